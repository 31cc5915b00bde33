// An in-memory host for unit tests: FakeKernel (the Kernel seam of src/kernel/kernel.ts) and
// FakeFiles (the Files seam of src/kernel/host.ts). No root, no I/O, one instance a test, so
// tests run in parallel. It models what pont relies on of Linux: namespaces, links and their
// cascades, addresses, connected and static routes, VXLAN FDB and neighbour entries, sysctls,
// iptables-restore/-save and nft -f / nft list (fake-nft.ts); it fails the way NetlinkKernel
// does (a KernelError naming the equivalent command, whose cause is the NetlinkError; fs-style
// errors where the real one touches files), records every change (`calls`), shows its whole
// state as plain sorted data (`snapshot()`), and fails any call on demand (`failNext`, `failWhen`).
import { constants } from 'node:os';
import { KernelError } from '../../src/core/errors.js';
import { type Cidr, cidrContains, formatCidr, formatIPv4, parseCidr, parseIPv4 } from '../../src/core/ipv4.js';
import type { Host } from '../../src/kernel/host.js';
import type { AddrInfo, FdbEntry, Kernel, LinkInfo, NeighInfo, RouteInfo, VxlanOpts } from '../../src/kernel/kernel.js';
import { NetlinkError } from '../../src/kernel/nlsock.js';
import { FakeFiles, fsError } from './fake-files.js';
import { FakeFirewall, type FwTable } from './fake-firewall.js';
import { type FakeBaseChain, FakeNft } from './fake-nft.js';

import { FLOOD_MAC, type ProcessSpec, type ProcessTarget } from '../../src/core/steps.js';
import type { Files } from '../../src/kernel/host.js';
import type { Processes, StepHost } from '../../src/kernel/ops.js';
import type { Started } from '../../src/kernel/process.js';
import type { FirewallBackend } from '../../src/firewall/backend.js';
import { iptablesBackend } from '../../src/firewall/iptables.js';

export { FakeFiles, FakeFirewall, FakeNft, fsError };

export type LinkKind = 'bridge' | 'veth' | 'macvlan' | 'ipvlan' | 'vlan' | 'dummy' | 'vxlan';
export type ProbeKind = 'vlan' | 'dummy' | 'ipvlan' | 'macvlan';
type Method = keyof Kernel;

/** A kernel refusal as NetlinkKernel reports it: KernelError(command, errno name), cause NetlinkError. */
export function netlinkError(command: string, errno: string): KernelError {
  const n = (constants.errno as Record<string, number>)[errno];
  const cause = n === undefined ? new Error(errno) : new NetlinkError(n);
  return new KernelError(command, cause.message, cause);
}

/** The errno name an error carries: a KernelError's NetlinkError cause, or an fs error's code. */
export function errnoOf(e: unknown): string | undefined {
  if (e instanceof NetlinkError) return e.message;
  if (e instanceof KernelError) return errnoOf(e.cause);
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** Rejects a call: an errno name (shaped as the real method would throw it) or an Error thrown as is. */
export type Fault = string | Error;
export interface FakeCall {
  method: Method;
  args: unknown[];
  /** The message it failed with, when it did. */
  error?: string;
}
export type FaultHook = (call: { method: Method; args: readonly unknown[] }) => Fault | undefined | null | false;

export interface FakeKernelOptions {
  /** Link types this kernel lacks: probeLinkKind says false and creating one fails EOPNOTSUPP. */
  missingKinds?: ProbeKind[];
  /** A physical NIC of the host (no link kind), up, with this address and a default route via `gateway`. */
  uplink?: { name?: string; cidr: string; gateway?: string; mac?: string; mtu?: number };
  /** Host sysctls over the defaults, by key (`net.ipv4.ip_forward: '1'`). */
  sysctls?: Record<string, string>;
  /** br_netfilter loaded: its net.bridge.* keys exist (default true). */
  brNetfilter?: boolean;
  /** The iptables tables that exist at start (default raw, mangle, nat, filter). */
  tables?: FwTable[];
  /** An iptables-restore --noflush document applied at start (`*filter\n:FORWARD DROP [0:0]\nCOMMIT\n`). */
  firewall?: string;
  /** Base chains of other nftables tables (a forward chain with policy drop…). */
  nftForeign?: FakeBaseChain[];
}

interface Addr {
  addr: number;
  prefix: number;
  cidr: string;
}
interface Link {
  name: string;
  index: number;
  ns: Ns;
  /** undefined for lo and physical NICs, as netlink reports them (no IFLA_INFO_KIND). */
  kind?: LinkKind;
  loopback: boolean;
  up: boolean;
  mac: string;
  mtu: number;
  master?: Link;
  hairpin: boolean;
  peer?: Link;
  /** The lower device of a macvlan, ipvlan or vlan. */
  parent?: Link;
  /** The macvlans, ipvlans and vlans on this link (in any namespace). */
  uppers: Set<Link>;
  /** A bridge's ports. */
  ports: Set<Link>;
  mode?: string;
  vlanId?: number;
  /** A bridge made with multicast snooping off. */
  noSnooping?: boolean;
  vxlan?: { vni: number; local: string; port: number };
  /** A VXLAN device's FDB remotes, as added (a MAC may have several: the all-zero one, appended). */
  fdb: FdbEntry[];
  /** IPv4 neighbour entries by address. */
  neigh: Map<string, { mac: string; permanent: boolean }>;
  addrs: Addr[];
  /** Its net.ipv4.conf.DEV.* and net.ipv6.conf.DEV.* sysctls, by `ipv4/leaf`. */
  conf: Map<string, string>;
}
interface Route {
  dst: Cidr;
  dev: Link;
  gateway?: number;
  /** 'kernel': a connected route the kernel made for an address; 'boot': added by a request. */
  proto: 'kernel' | 'boot';
}
interface Ns {
  name: string;
  links: Map<string, Link>;
  nextIndex: number;
  routes: Route[];
  /** /proc/sys paths (net/bridge/…, net/ipv4/conf/all/…) to values; a device's are on the device. */
  sysctls: Map<string, string>;
}

/** What each call would print as its `ip`/iptables command, as rtnl.ts and iptables.ts word it. */
const addrWhat = (verb: string, dev: string, cidr: string) => {
  const len = Number(cidr.split('/')[1]);
  return `ip addr ${verb} ${cidr}${len < 31 && verb === 'add' ? ' brd +' : ''} dev ${dev}`;
};
const routeWhat = (verb: string, r: RouteInfo) => `ip route ${verb} ${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`;
type SubOpts = { parent: string; mode: string; ns: string; mac?: string };
const subWhat = (kind: string, name: string, o: SubOpts) => `ip link add link ${o.parent} name ${name}${o.ns ? ` netns ${o.ns}` : ''} type ${kind} mode ${o.mode}`;
const WHAT: Partial<Record<Method, (...a: any[]) => string>> = {
  addBridge: (name, o) => `ip link add ${name} type bridge${o?.mcastSnooping === false ? ' mcast_snooping 0' : ''}`,
  addVxlan: (name, o) => `ip link add ${name} type vxlan id ${o?.vni} local ${o?.local} dstport ${o?.port}`,
  fdbAdd: (dev, mac, dst) => `bridge fdb ${mac === FLOOD_MAC ? 'append' : 'replace'} ${mac} dev ${dev} dst ${dst} self permanent`,
  fdbDel: (dev, mac, dst) => `bridge fdb del ${mac} dev ${dev} dst ${dst} self`,
  listFdb: (dev) => `bridge fdb show dev ${dev}`,
  neighAdd: (dev, ip, mac) => `ip neigh replace ${ip} lladdr ${mac} dev ${dev} nud permanent`,
  neighDel: (dev, ip) => `ip neigh del ${ip} dev ${dev}`,
  listNeigh: (dev) => `ip neigh show dev ${dev}`,
  addVeth: (name, peer) => `ip link add ${name} type veth peer name ${peer?.name} netns ${peer?.ns}`,
  addMacvlan: (name, o) => subWhat('macvlan', name, o ?? {}),
  addIpvlan: (name, o) => subWhat('ipvlan', name, o ?? {}),
  addVlan: (name, parent, id) => `ip link add link ${parent} name ${name} type vlan id ${id}`,
  addDummy: (name) => `ip link add ${name} type dummy`,
  probeLinkKind: (kind) => `ip link add probe2 type ${kind}`,
  deleteLink: (name) => `ip link del ${name}`,
  setLinkUp: (name, up) => `ip link set ${name} ${up ? 'up' : 'down'}`,
  setMaster: (name, m) => `ip link set ${name} ${m ? `master ${m}` : 'nomaster'}`,
  setHairpin: (name, on) => `ip link set ${name} type bridge_slave hairpin ${on ? 'on' : 'off'}`,
  addAddress: (dev, cidr) => addrWhat('add', dev, String(cidr)),
  deleteAddress: (dev, cidr) => addrWhat('del', dev, String(cidr)),
  addRoute: (r) => routeWhat('add', r ?? {}),
  deleteRoute: (r) => routeWhat('del', r ?? {}),
  listLinks: () => 'ip link show',
  getLink: (ref) => `ip link show ${ref}`,
  listAddresses: () => 'ip link show',
  listRoutes: () => 'ip link show',
  restoreFirewall: () => 'iptables-restore -w 5 --noflush',
  saveFirewall: () => 'iptables-save',
  applyNft: () => 'nft -f -',
  listNftTable: (family, name) => `nft -s list table ${family} ${name}`,
  listNftBaseChains: () => 'nft -j list chains',
};

const MUTATING = new Set<Method>([
  'addBridge', 'addVeth', 'addMacvlan', 'addIpvlan', 'addVlan', 'addDummy', 'addVxlan', 'fdbAdd', 'fdbDel', 'neighAdd', 'neighDel', 'deleteLink', 'setLinkUp', 'setMaster', 'setHairpin',
  'addAddress', 'deleteAddress', 'addRoute', 'deleteRoute', 'addNetns', 'deleteNetns', 'writeSysctl', 'restoreFirewall', 'applyNft',
]);

const netnsPath = (name: string) => `/run/netns/${name}`;
const sysctlPath = (key: string) => key.replace(/\./g, '/');

// Sysctls: the keys pont reads or writes, and their neighbours, with the kernel's defaults.
const IPV4_CONF: Record<string, string> = {
  forwarding: '0', route_localnet: '0', rp_filter: '0', proxy_arp: '0', accept_local: '0',
  accept_redirects: '1', send_redirects: '1', arp_ignore: '0', arp_announce: '0', promote_secondaries: '0',
};
const IPV6_CONF: Record<string, string> = { disable_ipv6: '0', forwarding: '0', accept_ra: '1', autoconf: '1' };
const BRIDGE_NF = ['bridge-nf-call-iptables', 'bridge-nf-call-ip6tables', 'bridge-nf-call-arptables'];
/** Writing these under conf/all also sets conf/default and every device (inet_forward_change, addrconf). */
const PROPAGATED: Record<string, string[]> = { ipv4: ['forwarding'], ipv6: ['forwarding', 'disable_ipv6'] };
/** A sysctl key as its /proc/sys path; ip_forward is conf/all/forwarding under another name. */
const sysctlKey = (key: string) => (sysctlPath(key) === 'net/ipv4/ip_forward' ? 'net/ipv4/conf/all/forwarding' : sysctlPath(key));

const validName = (n: string) => n.length > 0 && n.length <= 15 && n !== '.' && n !== '..' && !/[/:\s]/.test(n);
const validMac = (m: string) => /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(m);
/** Unicast and not all zeros, as is_valid_ether_addr wants. */
const usableMac = (m: string) => !(parseInt(m.slice(0, 2), 16) & 1) && m !== '00:00:00:00:00:00';

export class FakeKernel implements Kernel {
  /** Every changing call (add*, delete*, set*, writeSysctl, restoreFirewall, netns), in order. */
  readonly calls: FakeCall[] = [];
  readonly firewall: FakeFirewall;
  readonly nft: FakeNft;
  /** Whether close() was called. */
  closed = false;
  private host: Ns;
  private namespaces = new Map<string, Ns>();
  private macCounter = 0;
  private missingKinds: Set<ProbeKind>;
  private brNetfilter: boolean;
  private faults = new Map<Method, Fault[]>();
  private hooks: FaultHook[] = [];

  constructor(opts: FakeKernelOptions = {}) {
    this.missingKinds = new Set(opts.missingKinds ?? []);
    this.brNetfilter = opts.brNetfilter ?? true;
    this.firewall = new FakeFirewall(opts.tables);
    this.nft = new FakeNft(opts.nftForeign);
    if (opts.firewall) this.firewall.restore(opts.firewall);
    this.host = this.makeNs('', undefined);
    this.setUp(this.host.links.get('lo')!, true);
    for (const [k, v] of Object.entries(opts.sysctls ?? {})) this.setSysctl(this.host, k, v);
    if (opts.uplink) {
      const u = opts.uplink;
      const name = u.name ?? 'eth0';
      this.addNic(name, { mac: u.mac, mtu: u.mtu, cidr: u.cidr });
      const gw = u.gateway === undefined ? undefined : parseIPv4(u.gateway);
      if (gw === null || (gw !== undefined && !this.linkRoute(this.host, gw))) throw new Error(`FakeKernel: uplink gateway ${u.gateway} is not on ${u.cidr}`);
      if (gw !== undefined) this.host.routes.push({ dst: { base: 0, prefix: 0 }, dev: this.host.links.get(name)!, gateway: gw, proto: 'boot' });
    }
  }

  // ---- test-side controls (not part of Kernel) ----

  /** The next call of `method` fails (before any effect) with `error`: an errno name or an Error. Queued per method. */
  failNext(method: Method, error: Fault = 'EIO'): this {
    this.faults.set(method, [...(this.faults.get(method) ?? []), error]);
    return this;
  }

  /** Every call for which `hook` returns an errno name or an Error fails with it; returns the remover. */
  failWhen(hook: FaultHook): () => void {
    this.hooks.push(hook);
    return () => {
      this.hooks = this.hooks.filter((h) => h !== hook);
    };
  }

  /** A physical NIC (no link kind) in the host or `ns`, up, with an optional address; not recorded in `calls`. */
  addNic(name: string, o: { mac?: string; mtu?: number; cidr?: string; ns?: string; up?: boolean } = {}): LinkInfo {
    const ns = this.nsOrThrow('ip link add', o.ns);
    this.checkNew(ns, `ip link add ${name}`, name, o.mac, o.mtu);
    const nic = this.newLink(ns, name, { mac: o.mac, mtu: o.mtu });
    nic.up = o.up ?? true;
    if (o.cidr) this.insertAddress(nic, o.cidr, `ip addr add ${o.cidr} dev ${name}`);
    return { name, index: nic.index, up: nic.up, mac: nic.mac };
  }

  /** An IPv4 neighbour entry ARP learnt (not permanent) on a link of the host; not recorded in `calls`. */
  learnNeighbour(dev: string, ip: string, mac: string): void {
    this.linkOf(this.host, dev).neigh.set(ip, { mac: mac.toLowerCase(), permanent: false });
  }

  /** The calls of one method, their arguments only. */
  callsOf(method: Method): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  // ---- links ----

  async addBridge(name: string, opts: { mtu?: number; mac?: string; mcastSnooping?: boolean }): Promise<void> {
    this.run('addBridge', [name, opts], (what) => {
      this.checkNew(this.host, what, name, opts.mac, opts.mtu);
      this.newLink(this.host, name, { kind: 'bridge', mac: opts.mac, mtu: opts.mtu, ...(opts.mcastSnooping === false ? { noSnooping: true } : {}) });
    });
  }

  async addVeth(hostName: string, peer: { name: string; ns: string; mac?: string; mtu?: number }, host?: { mac?: string }): Promise<void> {
    this.run('addVeth', [hostName, peer, host], (what) => {
      // rtnl.ts opens /run/netns/NS itself, before asking the kernel: a missing one is an fs error
      if (peer.ns === '') throw netlinkError(what, 'EINVAL'); // /run/netns/ is no namespace file
      const pns = this.namespaces.get(peer.ns);
      if (!pns) throw fsError('ENOENT', 'open', netnsPath(peer.ns));
      this.checkNew(this.host, what, hostName, host?.mac, peer.mtu);
      this.checkNew(pns, what, peer.name, peer.mac, peer.mtu);
      const p = this.newLink(pns, peer.name, { kind: 'veth', mac: peer.mac, mtu: peer.mtu });
      const h = this.newLink(this.host, hostName, { kind: 'veth', mac: host?.mac, mtu: peer.mtu });
      p.peer = h;
      h.peer = p;
    });
  }

  async addMacvlan(name: string, opts: SubOpts): Promise<void> {
    this.run('addMacvlan', [name, opts], (what) => this.addSub('macvlan', what, name, opts));
  }

  async addIpvlan(name: string, opts: { parent: string; mode: string; ns: string }): Promise<void> {
    this.run('addIpvlan', [name, opts], (what) => this.addSub('ipvlan', what, name, opts));
  }

  async addVlan(name: string, parent: string, id: number): Promise<void> {
    this.run('addVlan', [name, parent, id], (what) => {
      const lower = this.linkOf(this.host, parent);
      this.checkNew(this.host, what, name);
      if (this.missingKinds.has('vlan')) throw netlinkError(what, 'EOPNOTSUPP');
      if (!Number.isInteger(id) || id < 0 || id > 4094) throw netlinkError(what, 'ERANGE');
      if (lower.loopback) throw netlinkError(what, 'EOPNOTSUPP'); // VLAN-challenged
      if ([...lower.uppers].some((l) => l.kind === 'vlan' && l.vlanId === id)) throw netlinkError(what, 'EEXIST');
      this.newLink(this.host, name, { kind: 'vlan', mac: lower.mac, mtu: lower.mtu, parent: lower, vlanId: id });
    });
  }

  async addDummy(name: string): Promise<void> {
    this.run('addDummy', [name], (what) => {
      this.checkNew(this.host, what, name);
      if (this.missingKinds.has('dummy')) throw netlinkError(what, 'EOPNOTSUPP');
      this.newLink(this.host, name, { kind: 'dummy' });
    });
  }

  async addVxlan(name: string, o: VxlanOpts): Promise<void> {
    this.run('addVxlan', [name, o], (what) => {
      this.checkNew(this.host, what, name, o.mac, o.mtu);
      if (!Number.isInteger(o.vni) || o.vni < 0 || o.vni >= 2 ** 24) throw netlinkError(what, 'ERANGE');
      if (parseIPv4(o.local) === null || !Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw netlinkError(what, 'EINVAL');
      // one device per VNI and port in a namespace ("A VXLAN device with the specified VNI already exists")
      if (this.linksOf(this.host).some((l) => l.vxlan?.vni === o.vni && l.vxlan.port === o.port)) throw netlinkError(what, 'EEXIST');
      this.newLink(this.host, name, { kind: 'vxlan', mac: o.mac, mtu: o.mtu, vxlan: { vni: o.vni, local: o.local, port: o.port } });
    });
  }

  async probeLinkKind(kind: ProbeKind): Promise<boolean> {
    return this.run('probeLinkKind', [kind], () => !this.missingKinds.has(kind));
  }

  async deleteLink(name: string, ns?: string): Promise<void> {
    this.run('deleteLink', [name, ns], (what) => {
      const n = this.nsOrThrow(what, ns);
      const link = n.links.get(name);
      if (!link) throw netlinkError(what, 'ENODEV');
      if (!link.kind) throw netlinkError(what, 'EOPNOTSUPP'); // lo, a NIC: no rtnl_link_ops
      this.destroy(link);
    });
  }

  async setLinkUp(name: string, up: boolean, ns?: string): Promise<void> {
    this.run('setLinkUp', [name, up, ns], (what) => {
      const link = this.linkOf(this.nsOrThrow(`ip link show ${name}`, ns), name);
      if (up && !link.up && link.kind === 'vlan' && !link.parent!.up) throw netlinkError(what, 'ENETDOWN');
      this.setUp(link, up);
    });
  }

  async setMaster(name: string, master: string | null): Promise<void> {
    this.run('setMaster', [name, master], (what) => {
      const link = this.linkOf(this.host, name);
      const br = master ? this.linkOf(this.host, master) : undefined;
      if (br === link.master) return;
      if (br) {
        if (br.kind !== 'bridge') throw netlinkError(what, 'EOPNOTSUPP');
        if (link.kind === 'bridge') throw netlinkError(what, 'ELOOP');
        if (link.loopback) throw netlinkError(what, 'EINVAL');
        if (lowerOf(link)) throw netlinkError(what, 'EBUSY'); // its rx_handler is a macvlan's or ipvlan's
      }
      this.unenslave(link);
      if (br) {
        link.master = br;
        br.ports.add(link);
        this.bridgeMtu(br);
      }
    });
  }

  async setHairpin(name: string, on: boolean): Promise<void> {
    this.run('setHairpin', [name, on], (what) => {
      const link = this.linkOf(this.host, name);
      if (!link.master) throw netlinkError(what, 'EOPNOTSUPP');
      link.hairpin = on;
    });
  }

  async listLinks(ns?: string): Promise<LinkInfo[]> {
    return this.run('listLinks', [ns], (what) =>
      this.linksOf(this.nsOrThrow(what, ns)).map((l) => ({
        name: l.name,
        index: l.index,
        up: l.up,
        ...(l.master ? { master: l.master.index } : {}),
        mac: l.mac,
        mtu: l.mtu,
        kind: l.kind,
      })),
    );
  }

  // ---- FDB and neighbour entries (the host's links) ----

  async fdbAdd(dev: string, mac: string, dst: string): Promise<void> {
    this.run('fdbAdd', [dev, mac, dst], (what) => {
      const link = this.linkOf(this.host, dev);
      if (!validMac(mac) || parseIPv4(dst) === null) throw netlinkError(what, 'EINVAL');
      if (link.kind !== 'vxlan') throw netlinkError(what, 'EOPNOTSUPP'); // pont's entries are VXLAN remotes only
      const m = mac.toLowerCase();
      const same = link.fdb.filter((e) => e.mac === m);
      if (m === FLOOD_MAC) {
        // NLM_F_APPEND: one more remote; one already there is no error
        if (!same.some((e) => e.dst === dst)) link.fdb.push({ mac: m, dst });
        return;
      }
      // NLM_F_REPLACE moves a unicast MAC's (first) remote; a multicast one cannot be replaced
      if (same.length && parseInt(m.slice(0, 2), 16) & 1) throw netlinkError(what, 'EOPNOTSUPP');
      if (same.length) same[0].dst = dst;
      else link.fdb.push({ mac: m, dst });
    });
  }

  async fdbDel(dev: string, mac: string, dst: string): Promise<void> {
    this.run('fdbDel', [dev, mac, dst], (what) => {
      const link = this.linkOf(this.host, dev);
      const m = mac.toLowerCase();
      // vxlan_fdb_delete: ENOENT without an entry for the MAC, success (and no change) when only the remote is missing
      if (!link.fdb.some((e) => e.mac === m)) throw netlinkError(what, 'ENOENT');
      link.fdb = link.fdb.filter((e) => !(e.mac === m && e.dst === dst));
    });
  }

  async listFdb(dev: string): Promise<FdbEntry[]> {
    return this.run('listFdb', [dev], () => this.linkOf(this.host, dev).fdb.map((e) => ({ ...e })));
  }

  async neighAdd(dev: string, ip: string, mac: string): Promise<void> {
    this.run('neighAdd', [dev, ip, mac], (what) => {
      const link = this.linkOf(this.host, dev);
      if (!validMac(mac) || parseIPv4(ip) === null) throw netlinkError(what, 'EINVAL');
      link.neigh.set(ip, { mac: mac.toLowerCase(), permanent: true });
    });
  }

  async neighDel(dev: string, ip: string): Promise<void> {
    this.run('neighDel', [dev, ip], (what) => {
      if (!this.linkOf(this.host, dev).neigh.delete(ip)) throw netlinkError(what, 'ENOENT');
    });
  }

  async listNeigh(dev: string): Promise<NeighInfo[]> {
    return this.run('listNeigh', [dev], () => [...this.linkOf(this.host, dev).neigh].map(([ip, n]) => ({ ip, ...n })));
  }

  // ---- addresses and routes ----

  async addAddress(dev: string, cidr: string, ns?: string): Promise<void> {
    this.run('addAddress', [dev, cidr, ns], (what) => {
      const link = this.linkOf(this.nsOrThrow(`ip link show ${dev}`, ns), dev);
      this.insertAddress(link, cidr, what);
    });
  }

  async deleteAddress(dev: string, cidr: string, ns?: string): Promise<void> {
    this.run('deleteAddress', [dev, cidr, ns], (what) => {
      const link = this.linkOf(this.nsOrThrow(`ip link show ${dev}`, ns), dev);
      const p = parseCidr(cidr);
      if (!p) throw netlinkError(what, 'EINVAL');
      const i = link.addrs.findIndex((a) => a.addr === p.addr && a.prefix === p.cidr.prefix);
      if (i < 0) throw netlinkError(what, 'EADDRNOTAVAIL');
      link.addrs.splice(i, 1);
      const n = link.ns;
      // the connected route goes when no address of the device covers its subnet any more
      n.routes = n.routes.filter((r) => !(r.proto === 'kernel' && r.dev === link && !link.addrs.some((a) => sameNet(a, r.dst))));
      // a device left without any address loses every route through it (fib_disable_ip)
      if (!link.addrs.length) this.dropRoutes(link);
    });
  }

  async getLink(ref: string | number, ns?: string): Promise<LinkInfo | undefined> {
    return (await this.listLinks(ns)).find((l) => (typeof ref === 'number' ? l.index === ref : l.name === ref));
  }

  async listAddresses(ns?: string, dev?: string): Promise<AddrInfo[]> {
    return this.run('listAddresses', [ns, dev], (what) =>
      this.linksOf(this.nsOrThrow(what, ns)).filter((l) => dev === undefined || l.name === dev).flatMap((l) => l.addrs.map((a) => ({ dev: l.name, cidr: a.cidr }))));
  }

  async addRoute(route: RouteInfo, ns?: string): Promise<void> {
    this.run('addRoute', [route, ns], (what) => {
      const { n, dev, dst, gw } = this.routeRequest(what, route, ns);
      let out = dev;
      if (gw === undefined) {
        if (!dev) throw netlinkError(what, 'ENODEV');
        if (!dev.up) throw netlinkError(what, 'ENETDOWN');
      } else {
        if (this.linksOf(n).some((l) => l.addrs.some((a) => a.addr === gw))) throw netlinkError(what, 'EINVAL'); // a local address
        const via = this.linkRoute(n, gw, dev);
        if (!via) throw netlinkError(what, 'ENETUNREACH');
        out = via.dev;
      }
      if (n.routes.some((r) => sameCidr(r.dst, dst))) throw netlinkError(what, 'EEXIST');
      n.routes.push({ dst, dev: out!, ...(gw === undefined ? {} : { gateway: gw }), proto: 'boot' });
    });
  }

  async deleteRoute(route: RouteInfo, ns?: string): Promise<void> {
    this.run('deleteRoute', [route, ns], (what) => {
      const { n, dev, dst, gw } = this.routeRequest(what, route, ns);
      // rtnl.ts asks with protocol boot, and scope link without a gateway (universe with one):
      // only routes so made match, never a connected (proto kernel) route
      const i = n.routes.findIndex(
        (r) => sameCidr(r.dst, dst) && r.proto === 'boot' && (r.gateway === undefined) === (gw === undefined) && (!dev || r.dev === dev) && (gw === undefined || r.gateway === gw),
      );
      if (i < 0) throw netlinkError(what, 'ESRCH');
      n.routes.splice(i, 1);
    });
  }

  async listRoutes(ns?: string): Promise<RouteInfo[]> {
    return this.run('listRoutes', [ns], (what) =>
      sortedRoutes(this.nsOrThrow(what, ns)).map((r) => ({
        dst: r.dst.prefix ? formatCidr(r.dst) : 'default',
        dev: r.dev.name,
        ...(r.gateway === undefined ? {} : { gateway: formatIPv4(r.gateway) }),
      })),
    );
  }

  // ---- namespaces ----

  async addNetns(name: string): Promise<void> {
    this.run('addNetns', [name], () => {
      if (this.namespaces.has(name)) throw fsError('EEXIST', 'open', netnsPath(name));
      if (!name || name.includes('/')) throw fsError('ENOENT', 'open', netnsPath(name));
      this.namespaces.set(name, this.makeNs(name, this.host));
    });
  }

  async deleteNetns(name: string): Promise<void> {
    this.run('deleteNetns', [name], () => {
      const n = this.namespaces.get(name);
      if (!n) return; // netns.ts: nothing to do when /run/netns/NAME is not there
      for (const l of this.linksOf(n)) if (n.links.has(l.name)) this.destroy(l);
      this.namespaces.delete(name);
    });
  }

  netnsExists(name: string): boolean {
    return this.run('netnsExists', [name], () => name === '' || this.namespaces.has(name));
  }

  // ---- sysctls ----

  readSysctl(key: string, ns?: string): string {
    return this.run('readSysctl', [key, ns], () => {
      const n = this.nsForFile(ns);
      const v = sysctlGet(n, sysctlKey(key));
      if (v === undefined) throw fsError('ENOENT', 'open', `/proc/sys/${sysctlPath(key)}`);
      return v;
    });
  }

  writeSysctl(key: string, value: string, ns?: string): void {
    this.run('writeSysctl', [key, value, ns], () => this.setSysctl(this.nsForFile(ns), key, value));
  }

  // ---- firewall ----

  async restoreFirewall(doc: string): Promise<void> {
    this.run('restoreFirewall', [doc], (what) => {
      try {
        this.firewall.restore(doc);
      } catch (e) {
        throw new KernelError(what, (e as Error).message);
      }
    });
  }

  async saveFirewall(): Promise<string> {
    return this.run('saveFirewall', [], () => this.firewall.save());
  }

  async applyNft(script: string): Promise<void> {
    this.run('applyNft', [script], (what) => {
      try {
        this.nft.apply(script);
      } catch (e) {
        throw new KernelError(what, (e as Error).message);
      }
    });
  }

  async listNftTable(family: string, name: string): Promise<string> {
    return this.run('listNftTable', [family, name], () => this.nft.list(family, name));
  }

  async listNftBaseChains(): Promise<FakeBaseChain[]> {
    return this.run('listNftBaseChains', [], () => this.nft.baseChains());
  }

  /** No generation: every command reads and compares the whole firewall, as with iptables-legacy. */
  async firewallGeneration(): Promise<number | null> {
    return null;
  }

  close(): void {
    this.closed = true;
  }

  // ---- the whole state ----

  /** Namespaces, links, addresses, routes, sysctls and firewall as sorted plain data (no ifindexes). */
  snapshot(): KernelSnapshot {
    const netns: Record<string, NsSnapshot> = {};
    for (const name of [...this.namespaces.keys()].sort()) netns[name] = nsSnapshot(this.namespaces.get(name)!);
    return { host: nsSnapshot(this.host), netns, firewall: this.firewall.snapshot(), nft: this.nft.snapshot() };
  }

  // ---- internals ----

  /** Records a changing call, injects a requested fault, runs `fn` with the call's command line. */
  private run<T>(method: Method, args: unknown[], fn: (what: string) => T): T {
    while (args.length && args[args.length - 1] === undefined) args.pop();
    const call: FakeCall | undefined = MUTATING.has(method) ? { method, args: structuredClone(args) } : undefined;
    if (call) this.calls.push(call);
    const what = WHAT[method]?.(...args) ?? method;
    try {
      const fault = this.faults.get(method)?.shift() ?? this.hooks.map((h) => h({ method, args })).find((f) => f);
      if (fault) throw this.injected(method, args, what, fault);
      return fn(what);
    } catch (e) {
      if (call) call.error = (e as Error).message;
      throw e;
    }
  }

  private injected(method: Method, args: unknown[], what: string, fault: Fault): Error {
    if (fault instanceof Error) return fault;
    if (method === 'readSysctl' || method === 'writeSysctl') return fsError(fault, 'open', `/proc/sys/${sysctlPath(String(args[0]))}`);
    if (method === 'addNetns' || method === 'deleteNetns' || method === 'netnsExists') return fsError(fault, 'open', netnsPath(String(args[0])));
    if (method === 'restoreFirewall' || method === 'saveFirewall' || method === 'applyNft' || method === 'listNftTable' || method === 'listNftBaseChains') return new KernelError(what, fault);
    return netlinkError(what, fault);
  }

  private makeNs(name: string, from: Ns | undefined): Ns {
    const n: Ns = { name, links: new Map(), nextIndex: 1, routes: [], sysctls: new Map() };
    for (const fam of ['ipv4', 'ipv6'] as const) {
      for (const dev of ['all', 'default']) {
        for (const [leaf, v] of Object.entries(fam === 'ipv4' ? IPV4_CONF : IPV6_CONF)) {
          const p = `net/${fam}/conf/${dev}/${leaf}`;
          // a new namespace copies the host's IPv4 all/default (devconf_inherit_init_net=0); IPv6 starts afresh
          n.sysctls.set(p, (fam === 'ipv4' && from?.sysctls.get(p)) || v);
        }
      }
    }
    if (this.brNetfilter) for (const k of BRIDGE_NF) n.sysctls.set(`net/bridge/${k}`, '1');
    n.sysctls.set('net/ipv4/ip_local_port_range', '32768\t60999');
    this.newLink(n, 'lo', { loopback: true, mac: '00:00:00:00:00:00', mtu: 65536 });
    return n;
  }

  /** A write to /proc/sys: integers only where the value is one; some keys under conf/all reach further. */
  private setSysctl(n: Ns, key: string, value: string): void {
    const path = sysctlKey(key);
    const old = sysctlGet(n, path);
    if (old === undefined) throw fsError('ENOENT', 'open', `/proc/sys/${sysctlPath(key)}`);
    const v = String(value).trim();
    const int = /^-?\d+$/;
    if (int.test(old) && !int.test(v)) throw fsError('EINVAL', 'write', `/proc/sys/${sysctlPath(key)}`);
    const now = int.test(v) ? String(Number(v)) : v;
    const dev = devConf(n, path);
    if (dev) dev.link.conf.set(dev.key, now);
    else n.sysctls.set(path, now);
    const [, fam, , which, leaf] = path.split('/');
    if (which !== 'all' || !PROPAGATED[fam]?.includes(leaf) || old === now) return;
    n.sysctls.set(`net/${fam}/conf/default/${leaf}`, now);
    for (const l of n.links.values()) l.conf.set(`${fam}/${leaf}`, now);
    // inet_forward_change: a router does not take redirects
    if (fam === 'ipv4') n.sysctls.set('net/ipv4/conf/all/accept_redirects', now === '0' ? '1' : '0');
  }

  /** /proc/sys of a namespace: netns.ts enters it by opening /run/netns/NAME. */
  private nsForFile(ns?: string): Ns {
    if (!ns) return this.host;
    const n = this.namespaces.get(ns);
    if (!n) throw fsError('ENOENT', 'open', netnsPath(ns));
    return n;
  }

  /** A netlink request in a namespace: opening its socket fails as the request's KernelError. */
  private nsOrThrow(what: string, ns?: string): Ns {
    try {
      return this.nsForFile(ns);
    } catch (e) {
      throw new KernelError(what, (e as Error).message, e);
    }
  }

  /** rtnl.ts's index(): RTM_GETLINK by name. */
  private linkOf(n: Ns, name: string): Link {
    const l = n.links.get(name);
    if (!l) throw netlinkError(`ip link show ${name}`, 'ENODEV');
    return l;
  }

  private linksOf(n: Ns): Link[] {
    return [...n.links.values()].sort((a, b) => a.index - b.index);
  }

  /** What a new link must pass before anything is made (a pair is made whole or not at all). */
  private checkNew(n: Ns, what: string, name: string, mac?: string, mtu?: number): void {
    if (!validName(name)) throw netlinkError(what, 'EINVAL');
    if (n.links.has(name)) throw netlinkError(what, 'EEXIST');
    if (mac !== undefined && !validMac(mac)) throw netlinkError(what, 'EINVAL');
    if (mac !== undefined && !usableMac(mac)) throw netlinkError(what, 'EADDRNOTAVAIL');
    if (mtu !== undefined && (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535)) throw netlinkError(what, 'EINVAL');
  }

  private newLink(n: Ns, name: string, o: Partial<Link>): Link {
    const conf = new Map<string, string>();
    for (const fam of ['ipv4', 'ipv6']) {
      for (const leaf of Object.keys(fam === 'ipv4' ? IPV4_CONF : IPV6_CONF)) conf.set(`${fam}/${leaf}`, n.sysctls.get(`net/${fam}/conf/default/${leaf}`)!);
    }
    const link: Link = {
      name,
      index: n.nextIndex++,
      ns: n,
      loopback: false,
      up: false,
      hairpin: false,
      addrs: [],
      uppers: new Set(),
      ports: new Set(),
      fdb: [],
      neigh: new Map(),
      conf,
      ...o,
      mac: (o.mac ?? this.nextMac()).toLowerCase(),
      mtu: o.mtu ?? 1500,
    };
    n.links.set(name, link);
    link.parent?.uppers.add(link);
    return link;
  }

  /** Deterministic locally administered unicast MACs: 02:fa:ce:00:00:01, …:02, … */
  private nextMac(): string {
    const c = ++this.macCounter;
    return `02:fa:ce:${[c >>> 16, (c >>> 8) & 255, c & 255].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
  }

  private addSub(kind: 'macvlan' | 'ipvlan', what: string, name: string, o: SubOpts): void {
    const lower = this.linkOf(this.host, o.parent);
    const n = o.ns ? this.namespaces.get(o.ns) : this.host;
    if (!n) throw fsError('ENOENT', 'open', netnsPath(o.ns));
    // the request goes to the host's socket: a host link of that name refuses it too (NLM_F_EXCL)
    if (this.host.links.has(name)) throw netlinkError(what, 'EEXIST');
    this.checkNew(n, what, name, o.mac);
    if (this.missingKinds.has(kind)) throw netlinkError(what, 'EOPNOTSUPP');
    const root = lower.kind === kind ? lower.parent! : lower; // a macvlan of a macvlan hangs off its lower device
    if (root.loopback) throw netlinkError(what, 'EINVAL');
    // one rx_handler per device: a bridge port, or the other kind's lower device, is taken
    if (root.master || (lowerOf(root) && lowerOf(root) !== kind)) throw netlinkError(what, 'EBUSY');
    this.newLink(n, name, { kind, mac: kind === 'ipvlan' ? root.mac : o.mac, mtu: root.mtu, parent: root, mode: o.mode });
  }

  /** Unregisters a link and what goes with it: its veth peer, its upper links, its ports' enslavement. */
  private destroy(link: Link): void {
    if (!link.ns.links.has(link.name) || link.ns.links.get(link.name) !== link) return;
    this.setUp(link, false);
    link.ns.links.delete(link.name);
    link.parent?.uppers.delete(link);
    this.dropRoutes(link);
    this.unenslave(link);
    if (link.peer) this.destroy(link.peer);
    for (const u of [...link.uppers]) this.destroy(u);
    for (const p of link.ports) {
      p.master = undefined;
      p.hairpin = false;
    }
  }

  private unenslave(link: Link): void {
    const br = link.master;
    if (!br) return;
    link.master = undefined;
    link.hairpin = false;
    br.ports.delete(link);
    this.bridgeMtu(br);
  }

  /** A bridge takes the smallest MTU of its ports (1500 without ports): br_mtu_auto_adjust. */
  private bridgeMtu(br: Link): void {
    br.mtu = br.ports.size ? Math.min(...[...br.ports].map((p) => p.mtu)) : 1500;
  }

  private setUp(link: Link, up: boolean): void {
    if (link.up === up) return;
    link.up = up;
    if (up) {
      // lo gets 127.0.0.1/8 when it comes up
      if (link.loopback && !link.addrs.some((a) => a.cidr === '127.0.0.1/8')) link.addrs.push({ addr: 0x7f000001, prefix: 8, cidr: '127.0.0.1/8' });
      this.connect(link);
      return;
    }
    // down: every route through it goes, and every neighbour entry, permanent ones too (arp_ifdown);
    // a VLAN goes down with its lower device
    this.dropRoutes(link);
    link.neigh.clear();
    for (const l of link.uppers) if (l.kind === 'vlan') this.setUp(l, false);
  }

  private dropRoutes(link: Link): void {
    link.ns.routes = link.ns.routes.filter((r) => r.dev !== link);
  }

  /** The connected routes of an up link's addresses (lo's are in the local table, not main). */
  private connect(link: Link): void {
    if (!link.up || link.loopback) return;
    for (const a of link.addrs) {
      if (a.prefix === 32) continue;
      const dst = { base: netOf(a), prefix: a.prefix };
      if (!link.ns.routes.some((r) => r.proto === 'kernel' && r.dev === link && sameCidr(r.dst, dst))) link.ns.routes.push({ dst, dev: link, proto: 'kernel' });
    }
  }

  private insertAddress(link: Link, cidr: string, what: string): void {
    const p = parseCidr(cidr);
    if (!p) throw netlinkError(what, 'EINVAL');
    if (link.addrs.some((a) => a.addr === p.addr && a.prefix === p.cidr.prefix)) throw netlinkError(what, 'EEXIST');
    link.addrs.push({ addr: p.addr, prefix: p.cidr.prefix, cidr: `${formatIPv4(p.addr)}/${p.cidr.prefix}` });
    this.connect(link);
  }

  /** A route request's parts, as rtnl.ts finds them: the device's index first, then the request. */
  private routeRequest(what: string, route: RouteInfo, ns?: string): { n: Ns; dev?: Link; dst: Cidr; gw?: number } {
    const n = this.nsOrThrow(route.dev ? `ip link show ${route.dev}` : what, ns);
    const dev = route.dev ? this.linkOf(n, route.dev) : undefined;
    const dst = parseDst(route.dst, what);
    const gw = route.gateway === undefined ? undefined : parseIPv4(route.gateway);
    if (gw === null) throw netlinkError(what, 'EINVAL');
    return { n, dev, dst, gw };
  }

  /** The link-scope route (connected, or a device route) that reaches `gw`, out of `dev` when given. */
  private linkRoute(n: Ns, gw: number, dev?: Link): Route | undefined {
    return sortedRoutes(n)
      .filter((r) => r.gateway === undefined && (!dev || r.dev === dev) && cidrContains(r.dst, gw))
      .sort((a, b) => b.dst.prefix - a.dst.prefix)[0];
  }
}

// ---- plain helpers ----

/** 'macvlan' or 'ipvlan' when such links hang off this one (its rx_handler is theirs). */
function lowerOf(link: Link): 'macvlan' | 'ipvlan' | undefined {
  for (const l of link.uppers) if (l.kind === 'macvlan' || l.kind === 'ipvlan') return l.kind;
  return undefined;
}

/** A per-device sysctl path (net/ipv4/conf/DEV/leaf) of an existing device: the device and its key. */
function devConf(n: Ns, path: string): { link: Link; key: string } | undefined {
  const m = /^net\/(ipv[46])\/conf\/([^/]+)\/([^/]+)$/.exec(path);
  const link = m && m[2] !== 'all' && m[2] !== 'default' ? n.links.get(m[2]) : undefined;
  return link && m ? { link, key: `${m[1]}/${m[3]}` } : undefined;
}

const sysctlGet = (n: Ns, path: string) => {
  const dev = devConf(n, path);
  return dev ? dev.link.conf.get(dev.key) : n.sysctls.get(path);
};

const netOf = (a: Addr) => (a.prefix === 0 ? 0 : (a.addr & (~0 << (32 - a.prefix))) >>> 0);
const sameNet = (a: Addr, c: Cidr) => a.prefix === c.prefix && netOf(a) === c.base;
const sameCidr = (a: Cidr, b: Cidr) => a.base === b.base && a.prefix === b.prefix;
/** The main table as a dump lists it: by destination, then as added. */
const sortedRoutes = (n: Ns) => [...n.routes].sort((a, b) => a.dst.base - b.dst.base || a.dst.prefix - b.dst.prefix);

/** 'default' or a.b.c.d/len without host bits (the kernel refuses those: EINVAL). */
function parseDst(dst: string, what: string): Cidr {
  if (dst === 'default') return { base: 0, prefix: 0 };
  const p = parseCidr(dst);
  if (!p || p.addr !== p.cidr.base) throw netlinkError(what, 'EINVAL');
  return p.cidr;
}

export interface LinkSnapshot {
  kind?: LinkKind;
  mac: string;
  mtu: number;
  up: boolean;
  master?: string;
  hairpin?: true;
  peer?: { ns: string; name: string };
  parent?: string;
  mode?: string;
  vlanId?: number;
  mcastSnooping?: false;
  vxlan?: { vni: number; local: string; port: number };
  /** `mac dst`, sorted. */
  fdb?: string[];
  /** `ip mac permanent|learnt`, sorted. */
  neigh?: string[];
}
export interface NsSnapshot {
  links: Record<string, LinkSnapshot>;
  /** `dev cidr`, sorted. */
  addresses: string[];
  /** `dst [via gw] dev DEV [proto kernel]`, sorted. */
  routes: string[];
  /** By dotted key (net.ipv4.conf.br0.route_localnet), sorted; ip_forward shows as net.ipv4.conf.all.forwarding. */
  sysctls: Record<string, string>;
}
export interface KernelSnapshot {
  host: NsSnapshot;
  netns: Record<string, NsSnapshot>;
  firewall: ReturnType<FakeFirewall['snapshot']>;
  nft: ReturnType<FakeNft['snapshot']>;
}

function nsSnapshot(n: Ns): NsSnapshot {
  const links: Record<string, LinkSnapshot> = {};
  for (const l of [...n.links.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    links[l.name] = {
      ...(l.kind ? { kind: l.kind } : {}),
      mac: l.mac,
      mtu: l.mtu,
      up: l.up,
      ...(l.master ? { master: l.master.name } : {}),
      ...(l.hairpin ? { hairpin: true as const } : {}),
      ...(l.peer ? { peer: { ns: l.peer.ns.name, name: l.peer.name } } : {}),
      ...(l.parent ? { parent: l.parent.name } : {}),
      ...(l.mode ? { mode: l.mode } : {}),
      ...(l.vlanId !== undefined ? { vlanId: l.vlanId } : {}),
      ...(l.noSnooping ? { mcastSnooping: false as const } : {}),
      ...(l.vxlan ? { vxlan: { ...l.vxlan } } : {}),
      ...(l.fdb.length ? { fdb: l.fdb.map((e) => `${e.mac} ${e.dst}`).sort() } : {}),
      ...(l.neigh.size ? { neigh: [...l.neigh].map(([ip, n]) => `${ip} ${n.mac} ${n.permanent ? 'permanent' : 'learnt'}`).sort() } : {}),
    };
  }
  const all = new Map(n.sysctls);
  for (const l of n.links.values()) for (const [k, v] of l.conf) all.set(`net/${k.split('/')[0]}/conf/${l.name}/${k.split('/')[1]}`, v);
  const sysctls: Record<string, string> = {};
  for (const k of [...all.keys()].sort()) sysctls[k.replace(/\//g, '.')] = all.get(k)!;
  return {
    links,
    addresses: [...n.links.values()].flatMap((l) => l.addrs.map((a) => `${l.name} ${a.cidr}`)).sort(),
    routes: n.routes
      .map((r) => `${r.dst.prefix ? formatCidr(r.dst) : 'default'}${r.gateway === undefined ? '' : ` via ${formatIPv4(r.gateway)}`} dev ${r.dev.name}${r.proto === 'kernel' ? ' proto kernel' : ''}`)
      .sort(),
    sysctls,
  };
}

// ---- the host ----

export interface FakeHost extends Host {
  kernel: FakeKernel;
  files: FakeFiles;
  /** Both fakes' state, for deepEqual before/after. */
  snapshot(): { kernel: KernelSnapshot; files: ReturnType<FakeFiles['snapshot']> };
}

/** A fresh in-memory host: a kernel (with `opts`) and files (with `opts.files` in them). */
export function fakeHost(opts: FakeKernelOptions & { files?: Record<string, string> } = {}): FakeHost {
  const kernel = new FakeKernel(opts);
  const files = new FakeFiles(opts.files);
  return { kernel, files, snapshot: () => ({ kernel: kernel.snapshot(), files: files.snapshot() }) };
}

/** Processes that are only recorded: a start gets the next pid, a kill is noted. */
export class FakeProcesses implements Processes {
  readonly started: string[] = [];
  readonly killed: string[] = [];
  private nextPid = 1000;
  async start(spec: ProcessSpec): Promise<Started> {
    this.started.push(spec.id);
    const pid = this.nextPid++;
    return { pid, monitorPid: pid + 1, pidStart: 1, monitorPidStart: 1 };
  }
  kill(target: ProcessTarget): void {
    this.killed.push(target.id);
    this.dead.add(target.pid);
  }
  private readonly dead = new Set<number>();
  alive = (target: { pid: number }) => target.pid >= 1000 && target.pid < this.nextPid && !this.dead.has(target.pid);
  killStartedSince(id: string): void {
    this.killed.push(id);
  }
  pidPath = (id: string) => `/run/pont/containers/${id}/pid`;
}

/** The host as the step runner sees it, on the fakes (the engine's services do nothing). */
export function fakeStepHost(h: { kernel: Kernel; files: Files }, procs: Processes = new FakeProcesses(), firewall: FirewallBackend = iptablesBackend): StepHost {
  return { kernel: h.kernel, firewall, files: h.files, procs, since: 0, services: { dnsReady: async () => undefined, restoreStore: () => undefined } };
}
