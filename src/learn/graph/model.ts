// The topology `pont network graph` draws, as plain data: built from the store (what pont made
// and why) and one read of the kernel (what exists now: MACs, MTUs, link state, the host's own
// links), then handed to a renderer (dot.ts, mermaid.ts, text.ts). Pure: no I/O, so the whole
// picture is unit-tested from a fake state and kernel view.
import type { ClusterView } from '../../cluster/view.js';
import type { ContainerRecord, DriverName, EndpointRecord, NetworkRecord, State } from '../../core/model.js';
import { shortId } from '../../core/names.js';
import { vxlanName } from '../../drivers/overlay.js';
import type { AddrInfo, LinkInfo, RouteInfo } from '../../kernel/kernel.js';
import { firewallChainsOf } from './chains.js';

/** What one read of the kernel saw: the host's namespace, and each running container's. */
export interface KernelView {
  host: { links: LinkInfo[]; addresses: AddrInfo[]; routes: RouteInfo[] };
  /** By the container's netns name; absent when it could not be read (not running, or not pont's namespace). */
  containers: Record<string, { links: LinkInfo[]; addresses: AddrInfo[] }>;
}

export interface GraphIface {
  name: string;
  addresses: string[];
  mac?: string;
  mtu?: number;
  up?: boolean;
}

export interface GraphUplink extends GraphIface {
  /** The gateway of the host's default route through this link. */
  defaultVia?: string;
}

/** A container's interface on one network; `hostEnd` is the veth's other end on the bridge. */
export interface GraphAttachment {
  containerId: string;
  inside: GraphIface;
  hostEnd?: GraphIface;
}

export interface GraphPort {
  hostIp: string;
  hostPort: number;
  containerId: string;
  containerPort: number;
  proto: string;
}

export interface GraphPeer {
  host: string;
  address: string;
  /** Container names on that host, with their address on this network. */
  endpoints: { name: string; ip: string; mac: string }[];
}

export interface GraphNetwork {
  id: string;
  name: string;
  driver: DriverName;
  internal: boolean;
  subnet?: string;
  gateway?: string;
  /** bridge and overlay: the bridge device as the kernel has it. */
  bridge?: GraphIface;
  /** macvlan / ipvlan: the host link the containers' sub-interfaces hang from, and its mode. */
  parent?: { name: string; mode: string; created?: string };
  vxlan?: { name: string; vni: number; up?: boolean; peers: GraphPeer[] };
  /** cni: where its plugin chain's configuration came from. */
  cniConfig?: string;
  attachments: GraphAttachment[];
  /** host and none: the containers in that mode (they have no interface of their own). */
  members: string[];
  ports: GraphPort[];
  /** The firewall chains that serve it, as its backend names them. */
  chains: string[];
}

export interface GraphContainer {
  id: string;
  shortId: string;
  name: string;
  running: boolean;
}

export interface Graph {
  firewallBackend: 'iptables' | 'nftables';
  uplinks: GraphUplink[];
  networks: GraphNetwork[];
  containers: GraphContainer[];
}

export interface GraphOptions {
  /** Only this network (already resolved from a name or id) and the containers on it. */
  networkId?: string;
  cluster?: ClusterView | null;
}

export function buildGraph(state: State, kernel: KernelView, opts: GraphOptions = {}): Graph {
  const backend = state.firewallBackend ?? 'iptables';
  const networks = state.networks
    .filter((n) => !opts.networkId || n.id === opts.networkId)
    .map((n) => graphNetwork(n, state, kernel, opts.cluster ?? null, backend));
  const shown = new Set(networks.flatMap((n) => [...n.attachments.map((a) => a.containerId), ...n.members]));
  const containers = state.containers
    .filter((c) => shown.has(c.id))
    .map((c) => ({ id: c.id, shortId: shortId(c.id), name: c.name, running: c.running }));
  return { firewallBackend: backend, uplinks: hostUplinks(state, kernel), networks, containers };
}

function graphNetwork(n: NetworkRecord, state: State, kernel: KernelView, cluster: ClusterView | null, backend: Graph['firewallBackend']): GraphNetwork {
  const onIt = state.containers.filter((c) => c.endpoints.some((e) => e.networkId === n.id));
  const hostLink = (name: string) => kernel.host.links.find((l) => l.name === name);
  const out: GraphNetwork = {
    id: n.id,
    name: n.name,
    driver: n.driver,
    internal: n.internal,
    subnet: n.ipam[0]?.subnet,
    gateway: n.ipam[0]?.gateway,
    attachments: onIt.map((c) => attachment(n, c, c.endpoints.find((e) => e.networkId === n.id)!, kernel)),
    members: modeMembers(n, state.containers),
    ports: onIt.flatMap((c) => c.ports.filter((p) => p.networkId === n.id).map((p) => ({ hostIp: p.hostIp || '0.0.0.0', hostPort: p.hostPort, containerId: c.id, containerPort: p.containerPort, proto: p.proto }))),
    chains: firewallChainsOf(n, state, backend),
  };
  if (n.bridge) out.bridge = iface(n.bridge, hostLink(n.bridge), kernel.host.addresses);
  if ((n.driver === 'macvlan' || n.driver === 'ipvlan') && n.parent) {
    const mode = n.options[`${n.driver}_mode`] ?? (n.driver === 'macvlan' ? 'bridge' : 'l2');
    out.parent = { name: n.parent, mode, created: n.createdParent?.kind };
  }
  if (n.driver === 'overlay' && n.vni !== undefined) {
    const name = vxlanName(n.id);
    out.vxlan = { name, vni: n.vni, up: hostLink(name)?.up, peers: overlayPeers(n, cluster) };
  }
  if (n.driver === 'cni' && n.cni) out.cniConfig = n.cni.source;
  return out;
}

/** Containers of a host or none network: those run with that mode (none: unless they left it). */
function modeMembers(n: NetworkRecord, containers: ContainerRecord[]): string[] {
  if (n.driver === 'host') return containers.filter((c) => c.networkMode === 'host').map((c) => c.id);
  if (n.driver === 'null') return containers.filter((c) => c.networkMode === 'none' && !c.leftNone).map((c) => c.id);
  return [];
}

function attachment(n: NetworkRecord, c: ContainerRecord, ep: EndpointRecord, kernel: KernelView): GraphAttachment {
  const inNs = kernel.containers[c.netns];
  const seen = inNs?.links.find((l) => l.name === ep.ifname);
  const inside: GraphIface = seen
    ? iface(ep.ifname, seen, inNs.addresses)
    : { name: ep.ifname, addresses: ep.ipAddress ? [`${ep.ipAddress}/${ep.prefixLen}`] : [], mac: ep.macAddress || undefined };
  if (!inside.addresses.length && ep.ipAddress) inside.addresses = [`${ep.ipAddress}/${ep.prefixLen}`];
  inside.mac ??= ep.macAddress || undefined;
  const out: GraphAttachment = { containerId: c.id, inside };
  // every endpoint records a host name; only a bridge's (and an overlay's) is a veth end on the host
  if (ep.hostIfname && n.bridge) out.hostEnd = iface(ep.hostIfname, kernel.host.links.find((l) => l.name === ep.hostIfname), []);
  return out;
}

function iface(name: string, link: LinkInfo | undefined, addresses: AddrInfo[]): GraphIface {
  return {
    name,
    addresses: addresses.filter((a) => a.dev === name && !a.cidr.includes(':')).map((a) => a.cidr),
    mac: link?.mac,
    mtu: link?.mtu,
    up: link?.up,
  };
}

/** Other hosts with endpoints on this overlay network, from the cluster agent's last view. */
function overlayPeers(n: NetworkRecord, cluster: ClusterView | null): GraphPeer[] {
  const peers = new Map<string, GraphPeer>();
  for (const e of cluster?.endpoints ?? []) {
    if (e.network !== n.id) continue;
    const hostName = cluster!.hosts.find((h) => h.id === e.host)?.name ?? e.host.slice(0, 12);
    const p = peers.get(e.host) ?? { host: hostName, address: e.hostAddress, endpoints: [] };
    p.endpoints.push({ name: e.name, ip: e.ipAddress, mac: e.macAddress });
    peers.set(e.host, p);
  }
  return [...peers.values()];
}

/**
 * The host's own ways out: links pont did not make that carry a default route or an IPv4
 * address (lo excepted).
 */
function hostUplinks(state: State, kernel: KernelView): GraphUplink[] {
  const ponts = pontLinks(state);
  const defaults = kernel.host.routes.filter((r) => r.dst === 'default' || r.dst === '0.0.0.0/0');
  return kernel.host.links
    .filter((l) => l.name !== 'lo' && !ponts.has(l.name))
    .map((l) => ({ ...iface(l.name, l, kernel.host.addresses), defaultVia: defaults.find((r) => r.dev === l.name)?.gateway }))
    .filter((u) => u.addresses.length > 0 || u.defaultVia !== undefined);
}

function pontLinks(state: State): Set<string> {
  const names = new Set<string>();
  for (const n of state.networks) {
    if (n.bridge) names.add(n.bridge);
    if (n.driver === 'overlay') names.add(vxlanName(n.id));
    if (n.shim) names.add(n.shim.ifname);
    if (n.createdParent && n.parent) names.add(n.parent);
  }
  for (const c of state.containers) for (const e of c.endpoints) if (e.hostIfname) names.add(e.hostIfname);
  return names;
}
