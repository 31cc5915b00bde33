// The words every rendering of the graph uses for the same thing, so the SVG, Mermaid and text
// pictures name things alike (and tests look for one spelling). Pure.
import type { Graph, GraphContainer, GraphIface, GraphNetwork, GraphPort, GraphUplink } from './model.js';

/** Docker's name for the driver `null`. */
export const driverLabel = (n: GraphNetwork): string => (n.driver === 'null' ? 'none' : n.driver);

/** `mon-bridge (bridge) 172.18.0.0/16 gw 172.18.0.1`, `internal` when it has no way out. */
export function networkTitle(n: GraphNetwork): string {
  const parts = [`${n.name} (${driverLabel(n)})`];
  if (n.subnet) parts.push(n.subnet);
  if (n.gateway) parts.push(`gw ${n.gateway}`);
  if (n.internal) parts.push('internal');
  return parts.join(' ');
}

/** `eth0 172.18.0.2/16`: a name and its IPv4 addresses. */
export const ifaceLine = (i: GraphIface): string => [i.name, ...i.addresses].join(' ') + (i.up === false ? ' (down)' : '');

/** `mac 02:42:ac:12:00:02 mtu 1500`, empty when the kernel showed neither. */
export const linkDetail = (i: GraphIface): string => [i.mac && `mac ${i.mac}`, i.mtu && `mtu ${i.mtu}`].filter(Boolean).join(' ');

export const uplinkLines = (u: GraphUplink): string[] => [`uplink ${ifaceLine(u)}`, ...(u.defaultVia ? [`default via ${u.defaultVia}`] : []), linkDetail(u)].filter(Boolean);

/** `0.0.0.0:8080→80/tcp` */
export const portLabel = (p: GraphPort): string => `${p.hostIp}:${p.hostPort}→${p.containerPort}/${p.proto}`;

export const containerTitle = (c: GraphContainer): string => `${c.name} ${c.shortId}${c.running ? '' : ' (exited)'}`;

/** The network's device lines: its bridge, VXLAN device, parent link or CNI config. */
export function deviceLines(n: GraphNetwork): string[] {
  const out: string[] = [];
  if (n.bridge) out.push(`bridge ${ifaceLine(n.bridge)}`, linkDetail(n.bridge));
  if (n.vxlan) out.push(`vxlan ${n.vxlan.name} vni ${n.vxlan.vni}${n.vxlan.up === false ? ' (down)' : ''}`);
  if (n.parent) out.push(`parent ${n.parent.name} (${n.parent.mode}${n.parent.created ? `, ${n.parent.created} made by pont` : ''})`);
  if (n.cniConfig) out.push(`cni config ${n.cniConfig}`);
  if (n.driver === 'host') out.push("the host's own network stack");
  if (n.driver === 'null') out.push('loopback only');
  return out.filter(Boolean);
}

/** `veth pv3f2a1b4ce0 ⇄ eth0`, or how the interface is made when it is not a veth. */
export function linkKindLine(n: GraphNetwork, a: { inside: GraphIface; hostEnd?: GraphIface }): string {
  if (a.hostEnd) return `veth ${a.hostEnd.name}${a.hostEnd.up === false ? ' (down)' : ''} ⇄ ${a.inside.name}`;
  if (n.parent) return `${n.driver} on ${n.parent.name}`;
  return `${driverLabel(n)} interface`;
}

export const firewallTitle = (g: Graph): string => (g.firewallBackend === 'nftables' ? 'firewall (nftables, table inet pont)' : 'firewall (iptables)');

export function containerById(g: Graph, id: string): GraphContainer {
  return g.containers.find((c) => c.id === id) ?? { id, shortId: id.slice(0, 12), name: id.slice(0, 12), running: false };
}
