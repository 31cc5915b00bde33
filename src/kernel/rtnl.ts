// rtnetlink requests pont needs (links, addresses, routes, FDB and neighbour entries), encoded
// here on top of nlsock.ts.
// Requests go one at a time per process (a second dump on a socket mid-dump gets EBUSY), and
// each namespace gets its own socket, opened while the thread is inside it.
import { closeSync, openSync } from 'node:fs';
import { KernelError } from '../core/errors.js';
import { isFloodMac } from '../core/steps.js';
import type { AddrInfo, FdbEntry, LinkInfo, NeighInfo, RouteInfo, VxlanOpts } from './kernel.js';
import { inNetns, netnsPath } from './netns.js';
import { attr, NetlinkError, NLM_F_APPEND, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE, NlSocket, parseAttrs, type NlMessage } from './nlsock.js';

const RTM_NEWLINK = 16;
const RTM_DELLINK = 17;
const RTM_GETLINK = 18;
const RTM_SETLINK = 19;
const RTM_NEWADDR = 20;
const RTM_DELADDR = 21;
const RTM_GETADDR = 22;
const RTM_NEWROUTE = 24;
const RTM_DELROUTE = 25;
const RTM_GETROUTE = 26;
const RTM_NEWNEIGH = 28;
const RTM_DELNEIGH = 29;
const RTM_GETNEIGH = 30;

const AF_INET = 2;
const AF_BRIDGE = 7;
const IFF_UP = 1;
const IFLA_ADDRESS = 1;
const IFLA_IFNAME = 3;
const IFLA_MTU = 4;
const IFLA_LINK = 5;
const IFLA_MASTER = 10;
const IFLA_PROTINFO = 12;
const IFLA_LINKINFO = 18;
const IFLA_NET_NS_FD = 28;
const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const VETH_INFO_PEER = 1;
const IFLA_MACVLAN_MODE = 1;
const IFLA_IPVLAN_MODE = 1;
const IFLA_VLAN_ID = 1;
const IFLA_BRPORT_MODE = 4;
const IFLA_BR_MCAST_SNOOPING = 23;
const IFLA_VXLAN_ID = 1;
const IFLA_VXLAN_LOCAL = 4;
const IFLA_VXLAN_LEARNING = 7;
const IFLA_VXLAN_PROXY = 11;
const IFLA_VXLAN_PORT = 15;
const NDA_DST = 1;
const NDA_LLADDR = 2;
const NDA_IFINDEX = 8;
const NTF_SELF = 0x02;
const NUD_PERMANENT = 0x80;
const NLA_F_NESTED = 0x8000;
const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const IFA_BROADCAST = 4;
const RTA_DST = 1;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_TABLE = 15;
const MAIN_TABLE = 254;
const RTPROT_BOOT = 3;
const RT_SCOPE_UNIVERSE = 0;
const RT_SCOPE_LINK = 253;
const RTN_UNICAST = 1;

const MACVLAN_MODES: Record<string, number> = { private: 1, vepa: 2, bridge: 4, passthru: 8 };
const IPVLAN_MODES: Record<string, number> = { l2: 0, l3: 1, l3s: 2 };

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const cstr = (s: string) => Buffer.from(s + '\0');
const macBuf = (mac: string) => Buffer.from(mac.split(':').map((h) => parseInt(h, 16)));
const ipBuf = (ip: string) => Buffer.from(ip.split('.').map(Number));
const ipStr = (b?: Buffer) => (b ? [...b].join('.') : '');
const be16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const macStr = (b?: Buffer) => (b ? [...b].map((x) => x.toString(16).padStart(2, '0')).join(':') : undefined);

function ifinfo(o: { family?: number; index?: number; flags?: number; change?: number } = {}): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt8(o.family ?? 0, 0);
  b.writeInt32LE(o.index ?? 0, 4);
  b.writeUInt32LE(o.flags ?? 0, 8);
  b.writeUInt32LE(o.change ?? 0, 12);
  return b;
}

function ifaddr(prefixlen: number, index: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt8(AF_INET, 0);
  b.writeUInt8(prefixlen, 1);
  b.writeUInt32LE(index, 4);
  return b;
}

/** struct ndmsg: family, ifindex, state, flags. */
function ndmsg(o: { family: number; index: number; state?: number; flags?: number }): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt8(o.family, 0);
  b.writeInt32LE(o.index, 4);
  b.writeUInt16LE(o.state ?? 0, 8);
  b.writeUInt8(o.flags ?? 0, 10);
  return b;
}

function rtmsg(o: { dstLen: number; scope: number; family?: number; table?: number; protocol?: number; type?: number }): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt8(o.family ?? AF_INET, 0);
  b.writeUInt8(o.dstLen, 1);
  b.writeUInt8(o.table ?? MAIN_TABLE, 4);
  b.writeUInt8(o.protocol ?? RTPROT_BOOT, 5);
  b.writeUInt8(o.scope, 6);
  b.writeUInt8(o.type ?? RTN_UNICAST, 7);
  return b;
}

const linkinfo = (kind: string, data?: Buffer) =>
  attr(IFLA_LINKINFO, Buffer.concat([attr(IFLA_INFO_KIND, cstr(kind)), ...(data ? [attr(IFLA_INFO_DATA, data)] : [])]));

function kindOf(info?: Buffer): string | undefined {
  const k = info && parseAttrs(info).get(IFLA_INFO_KIND);
  return k ? k.toString().replace(/\0+$/, '') : undefined;
}

export class Rtnl {
  private sockets = new Map<string, NlSocket>();
  private queue: Promise<unknown> = Promise.resolve();

  private sock(ns?: string): NlSocket {
    const key = ns ?? '';
    let s = this.sockets.get(key);
    if (!s) {
      s = inNetns(ns, () => new NlSocket());
      this.sockets.set(key, s);
    }
    return s;
  }

  /** Forget a namespace's socket (the namespace is going away). */
  drop(ns: string): void {
    this.sockets.get(ns)?.close();
    this.sockets.delete(ns);
  }

  close(): void {
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
  }

  /** One request at a time; a kernel refusal becomes a KernelError naming the equivalent command. */
  private call(what: string, ns: string | undefined, type: number, flags: number, payload: Buffer[]): Promise<NlMessage[]> {
    const run = async () => {
      try {
        return await this.sock(ns).request(type, flags, payload);
      } catch (e) {
        throw new KernelError(what, (e as Error).message, e);
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  async index(name: string, ns?: string): Promise<number> {
    const [m] = await this.call(`ip link show ${name}`, ns, RTM_GETLINK, 0, [ifinfo(), attr(IFLA_IFNAME, cstr(name))]);
    return m.data.readInt32LE(4);
  }

  private newLink(what: string, attrs: Buffer[], ns?: string): Promise<NlMessage[]> {
    return this.call(what, ns, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, [ifinfo(), ...attrs]);
  }

  async addBridge(name: string, opts: { mtu?: number; mac?: string; mcastSnooping?: boolean }): Promise<void> {
    const snooping = opts.mcastSnooping === false;
    await this.newLink(`ip link add ${name} type bridge${snooping ? ' mcast_snooping 0' : ''}`, [
      attr(IFLA_IFNAME, cstr(name)),
      ...(opts.mtu ? [attr(IFLA_MTU, u32(opts.mtu))] : []),
      ...(opts.mac ? [attr(IFLA_ADDRESS, macBuf(opts.mac))] : []),
      linkinfo('bridge', snooping ? attr(IFLA_BR_MCAST_SNOOPING, Buffer.from([0])) : undefined),
    ]);
  }

  /** Learning off (pont writes every FDB entry), ARP proxy on; UDP checksums as the kernel defaults. */
  async addVxlan(name: string, o: VxlanOpts): Promise<void> {
    await this.newLink(`ip link add ${name} type vxlan id ${o.vni} local ${o.local} dstport ${o.port}`, [
      attr(IFLA_IFNAME, cstr(name)),
      ...(o.mtu ? [attr(IFLA_MTU, u32(o.mtu))] : []),
      ...(o.mac ? [attr(IFLA_ADDRESS, macBuf(o.mac))] : []),
      linkinfo(
        'vxlan',
        Buffer.concat([
          attr(IFLA_VXLAN_ID, u32(o.vni)),
          attr(IFLA_VXLAN_LOCAL, ipBuf(o.local)),
          attr(IFLA_VXLAN_PORT, be16(o.port)),
          attr(IFLA_VXLAN_LEARNING, Buffer.from([0])),
          attr(IFLA_VXLAN_PROXY, Buffer.from([1])),
        ]),
      ),
    ]);
  }

  /** Creates the pair with the peer already in `peer.ns`, named as asked, in one request. */
  async addVeth(hostName: string, peer: { name: string; ns: string; mac?: string; mtu?: number }, host?: { mac?: string }): Promise<void> {
    const fd = openSync(netnsPath(peer.ns), 'r');
    try {
      const peerMsg = Buffer.concat([
        ifinfo(),
        attr(IFLA_IFNAME, cstr(peer.name)),
        attr(IFLA_NET_NS_FD, u32(fd)),
        ...(peer.mac ? [attr(IFLA_ADDRESS, macBuf(peer.mac))] : []),
        ...(peer.mtu ? [attr(IFLA_MTU, u32(peer.mtu))] : []),
      ]);
      await this.newLink(`ip link add ${hostName} type veth peer name ${peer.name} netns ${peer.ns}`, [
        attr(IFLA_IFNAME, cstr(hostName)),
        ...(peer.mtu ? [attr(IFLA_MTU, u32(peer.mtu))] : []),
        ...(host?.mac ? [attr(IFLA_ADDRESS, macBuf(host.mac))] : []),
        linkinfo('veth', attr(VETH_INFO_PEER, peerMsg)),
      ]);
    } finally {
      closeSync(fd);
    }
  }

  /** A macvlan/ipvlan sub-interface of `parent`, created straight into `ns` ('' = the host's). */
  private async addSub(kind: 'macvlan' | 'ipvlan', name: string, o: { parent: string; mode: string; ns: string; mac?: string }): Promise<void> {
    const parent = await this.index(o.parent);
    const fd = openSync(o.ns ? netnsPath(o.ns) : '/proc/thread-self/ns/net', 'r');
    try {
      const data = kind === 'macvlan' ? attr(IFLA_MACVLAN_MODE, u32(MACVLAN_MODES[o.mode] ?? 4)) : attr(IFLA_IPVLAN_MODE, u16(IPVLAN_MODES[o.mode] ?? 0));
      await this.newLink(`ip link add link ${o.parent} name ${name}${o.ns ? ` netns ${o.ns}` : ''} type ${kind} mode ${o.mode}`, [
        attr(IFLA_IFNAME, cstr(name)),
        attr(IFLA_LINK, u32(parent)),
        attr(IFLA_NET_NS_FD, u32(fd)),
        ...(o.mac ? [attr(IFLA_ADDRESS, macBuf(o.mac))] : []),
        linkinfo(kind, data),
      ]);
    } finally {
      closeSync(fd);
    }
  }

  addMacvlan = (name: string, o: { parent: string; mode: string; ns: string; mac?: string }) => this.addSub('macvlan', name, o);
  addIpvlan = (name: string, o: { parent: string; mode: string; ns: string }) => this.addSub('ipvlan', name, o);

  async addVlan(name: string, parent: string, id: number): Promise<void> {
    const index = await this.index(parent);
    await this.newLink(`ip link add link ${parent} name ${name} type vlan id ${id}`, [
      attr(IFLA_IFNAME, cstr(name)),
      attr(IFLA_LINK, u32(index)),
      linkinfo('vlan', attr(IFLA_VLAN_ID, u16(id))),
    ]);
  }

  async addDummy(name: string): Promise<void> {
    await this.newLink(`ip link add ${name} type dummy`, [attr(IFLA_IFNAME, cstr(name)), linkinfo('dummy')]);
  }

  /**
   * Whether the kernel knows a link type, tried in a throwaway namespace: the thread enters a
   * fresh one only to open a socket there; the namespace dies with that socket.
   */
  async probeLinkKind(kind: 'vlan' | 'dummy' | 'ipvlan' | 'macvlan'): Promise<boolean> {
    const { CLONE_NEWNET, unshare, setns } = await import('./syscalls.js');
    const home = openSync('/proc/thread-self/ns/net', 'r');
    let s: NlSocket;
    try {
      unshare(CLONE_NEWNET);
      try {
        s = new NlSocket();
      } finally {
        setns(home, CLONE_NEWNET);
      }
    } finally {
      closeSync(home);
    }
    try {
      const peer = Buffer.concat([ifinfo(), attr(IFLA_IFNAME, cstr('probe1'))]);
      await s.request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, [ifinfo(), attr(IFLA_IFNAME, cstr('probe0')), linkinfo('veth', attr(VETH_INFO_PEER, peer))]);
      const [p] = await s.request(RTM_GETLINK, 0, [ifinfo(), attr(IFLA_IFNAME, cstr('probe0'))]);
      const data: Record<string, Buffer | undefined> = {
        vlan: attr(IFLA_VLAN_ID, u16(5)),
        dummy: undefined,
        ipvlan: attr(IFLA_IPVLAN_MODE, u16(0)),
        macvlan: attr(IFLA_MACVLAN_MODE, u32(4)),
      };
      await s.request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, [
        ifinfo(),
        attr(IFLA_IFNAME, cstr('probe2')),
        ...(kind === 'dummy' ? [] : [attr(IFLA_LINK, u32(p.data.readInt32LE(4)))]),
        linkinfo(kind, data[kind]),
      ]);
      return true;
    } catch (e) {
      if (e instanceof NetlinkError) return false;
      throw e;
    } finally {
      s.close();
    }
  }

  async deleteLink(name: string, ns?: string): Promise<void> {
    await this.call(`ip link del ${name}`, ns, RTM_DELLINK, 0, [ifinfo(), attr(IFLA_IFNAME, cstr(name))]);
  }

  async setLinkUp(name: string, up: boolean, ns?: string): Promise<void> {
    const index = await this.index(name, ns);
    await this.call(`ip link set ${name} ${up ? 'up' : 'down'}`, ns, RTM_NEWLINK, 0, [ifinfo({ index, flags: up ? IFF_UP : 0, change: IFF_UP })]);
  }

  /**
   * Bridge-port hairpin mode: a frame may leave by the port it came in. Needed when a container
   * reaches its own published port: br_netfilter bridges the DNATed frame straight back.
   */
  async setHairpin(name: string, on: boolean): Promise<void> {
    const index = await this.index(name);
    await this.call(`ip link set ${name} type bridge_slave hairpin ${on ? 'on' : 'off'}`, undefined, RTM_SETLINK, 0, [
      ifinfo({ family: AF_BRIDGE, index }),
      attr(IFLA_PROTINFO | NLA_F_NESTED, attr(IFLA_BRPORT_MODE, Buffer.from([on ? 1 : 0]))),
    ]);
  }

  async setMaster(name: string, master: string | null): Promise<void> {
    const index = await this.index(name);
    const m = master ? await this.index(master) : 0;
    await this.call(`ip link set ${name} ${master ? `master ${master}` : 'nomaster'}`, undefined, RTM_NEWLINK, 0, [ifinfo({ index }), attr(IFLA_MASTER, u32(m))]);
  }

  async addAddress(dev: string, cidr: string, ns?: string, del = false): Promise<void> {
    const [ip, len] = cidr.split('/');
    const prefixlen = Number(len);
    const index = await this.index(dev, ns);
    const n = ip.split('.').reduce((a, x) => (a << 8) + Number(x), 0) >>> 0;
    const brd = prefixlen < 31 ? (n | (2 ** (32 - prefixlen) - 1)) >>> 0 : undefined;
    const attrs = [
      attr(IFA_LOCAL, ipBuf(ip)),
      attr(IFA_ADDRESS, ipBuf(ip)),
      ...(brd !== undefined && !del ? [attr(IFA_BROADCAST, Buffer.from([brd >>> 24, (brd >>> 16) & 255, (brd >>> 8) & 255, brd & 255]))] : []),
    ];
    const what = `ip addr ${del ? 'del' : 'add'} ${cidr}${brd !== undefined && !del ? ' brd +' : ''} dev ${dev}`;
    await this.call(what, ns, del ? RTM_DELADDR : RTM_NEWADDR, del ? 0 : NLM_F_CREATE | NLM_F_EXCL, [ifaddr(prefixlen, index), ...attrs]);
  }

  async route(r: RouteInfo, ns: string | undefined, del: boolean): Promise<void> {
    // a destination without /len is one host (as `ip route` reads it), never the default route
    const [dst, len = '32'] = r.dst === 'default' ? ['0.0.0.0', '0'] : r.dst.split('/');
    const oif = r.dev ? await this.index(r.dev, ns) : undefined;
    const what = `ip route ${del ? 'del' : 'add'} ${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`;
    await this.call(what, ns, del ? RTM_DELROUTE : RTM_NEWROUTE, del ? 0 : NLM_F_CREATE | NLM_F_EXCL, [
      rtmsg({ dstLen: Number(len), scope: r.gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK }),
      ...(Number(len) > 0 ? [attr(RTA_DST, ipBuf(dst))] : []),
      ...(r.gateway ? [attr(RTA_GATEWAY, ipBuf(r.gateway))] : []),
      ...(oif !== undefined ? [attr(RTA_OIF, u32(oif))] : []),
    ]);
  }

  /** `bridge fdb append` for the all-zero MAC (one entry per peer), `bridge fdb replace` for others. */
  async fdbAdd(dev: string, mac: string, dst: string): Promise<void> {
    const flood = isFloodMac(mac);
    const index = await this.index(dev);
    await this.call(`bridge fdb ${flood ? 'append' : 'replace'} ${mac} dev ${dev} dst ${dst} self permanent`, undefined, RTM_NEWNEIGH, NLM_F_CREATE | (flood ? NLM_F_APPEND : NLM_F_REPLACE), [
      ndmsg({ family: AF_BRIDGE, index, state: NUD_PERMANENT, flags: NTF_SELF }),
      attr(NDA_LLADDR, macBuf(mac)),
      attr(NDA_DST, ipBuf(dst)),
    ]);
  }

  /** With NDA_DST, a MAC's entry loses that remote only (the whole entry when it was its last). */
  async fdbDel(dev: string, mac: string, dst: string): Promise<void> {
    const index = await this.index(dev);
    await this.call(`bridge fdb del ${mac} dev ${dev} dst ${dst} self`, undefined, RTM_DELNEIGH, 0, [
      ndmsg({ family: AF_BRIDGE, index, flags: NTF_SELF }),
      attr(NDA_LLADDR, macBuf(mac)),
      attr(NDA_DST, ipBuf(dst)),
    ]);
  }

  async listFdb(dev: string): Promise<FdbEntry[]> {
    const index = await this.index(dev);
    // an ifinfomsg naming the port, as `bridge fdb show dev` asks (an ndmsg is taken as "all devices")
    const msgs = await this.call(`bridge fdb show dev ${dev}`, undefined, RTM_GETNEIGH, NLM_F_DUMP, [ifinfo({ family: AF_BRIDGE, index })]);
    return neighbours(msgs, AF_BRIDGE, index)
      .filter(({ a }) => a.get(NDA_DST)?.length === 4 && a.get(NDA_LLADDR))
      .map(({ a }) => ({ mac: macStr(a.get(NDA_LLADDR))!, dst: ipStr(a.get(NDA_DST)) }));
  }

  async neighAdd(dev: string, ip: string, mac: string): Promise<void> {
    const index = await this.index(dev);
    await this.call(`ip neigh replace ${ip} lladdr ${mac} dev ${dev} nud permanent`, undefined, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, [
      ndmsg({ family: AF_INET, index, state: NUD_PERMANENT }),
      attr(NDA_DST, ipBuf(ip)),
      attr(NDA_LLADDR, macBuf(mac)),
    ]);
  }

  async neighDel(dev: string, ip: string): Promise<void> {
    const index = await this.index(dev);
    await this.call(`ip neigh del ${ip} dev ${dev}`, undefined, RTM_DELNEIGH, 0, [ndmsg({ family: AF_INET, index }), attr(NDA_DST, ipBuf(ip))]);
  }

  async listNeigh(dev: string): Promise<NeighInfo[]> {
    const index = await this.index(dev);
    const msgs = await this.call(`ip neigh show dev ${dev}`, undefined, RTM_GETNEIGH, NLM_F_DUMP, [ndmsg({ family: AF_INET, index }), attr(NDA_IFINDEX, u32(index))]);
    return neighbours(msgs, AF_INET, index)
      .filter(({ a }) => a.get(NDA_LLADDR)?.length === 6)
      .map(({ m, a }) => ({ ip: ipStr(a.get(NDA_DST)), mac: macStr(a.get(NDA_LLADDR))!, permanent: Boolean(m.data.readUInt16LE(8) & NUD_PERMANENT) }));
  }

  async listLinks(ns?: string): Promise<LinkInfo[]> {
    const msgs = await this.call('ip link show', ns, RTM_GETLINK, NLM_F_DUMP, [ifinfo()]);
    return msgs.map(linkInfo);
  }

  async getLink(ref: string | number, ns?: string): Promise<LinkInfo | undefined> {
    const req = typeof ref === 'number' ? [ifinfo({ index: ref })] : [ifinfo(), attr(IFLA_IFNAME, cstr(ref))];
    try {
      const [m] = await this.call(`ip link show ${ref}`, ns, RTM_GETLINK, 0, req);
      return m ? linkInfo(m) : undefined;
    } catch (e) {
      if ((e as Error).cause instanceof NetlinkError && ['ENODEV', 'ENOENT'].includes(((e as Error).cause as Error).message)) return undefined;
      throw e;
    }
  }

  async listAddresses(ns?: string, dev?: string): Promise<AddrInfo[]> {
    // one link's: its index first, then no name to ask for any address
    const link = dev === undefined ? undefined : await this.getLink(dev, ns);
    if (dev !== undefined && !link) return [];
    const msgs = await this.call(dev ? `ip addr show dev ${dev}` : 'ip addr show', ns, RTM_GETADDR, NLM_F_DUMP, [ifaddr(0, 0)]);
    const found = msgs
      .filter((m) => m.data.readUInt8(0) === AF_INET && (!link || m.data.readUInt32LE(4) === link.index))
      .map((m) => {
        const a = parseAttrs(m.data, 8);
        return { index: m.data.readUInt32LE(4), cidr: `${ipStr(a.get(IFA_LOCAL) ?? a.get(IFA_ADDRESS))}/${m.data.readUInt8(1)}` };
      });
    const names = link ? new Map([[link.index, link.name]]) : await this.namesOf(found.map((f) => f.index), ns);
    return found.map((f) => ({ dev: names.get(f.index) ?? '', cidr: f.cidr }));
  }

  async listRoutes(ns?: string): Promise<RouteInfo[]> {
    const msgs = await this.call('ip route show', ns, RTM_GETROUTE, NLM_F_DUMP, [rtmsg({ dstLen: 0, scope: 0, table: 0, protocol: 0, type: 0 })]);
    const found = msgs
      .filter((m) => m.data.readUInt8(0) === AF_INET)
      .map((m) => ({ m, a: parseAttrs(m.data, 12) }))
      .filter(({ m, a }) => (a.get(RTA_TABLE)?.readUInt32LE(0) ?? m.data.readUInt8(4)) === MAIN_TABLE);
    const names = await this.namesOf(found.map(({ a }) => a.get(RTA_OIF)?.readUInt32LE(0) ?? 0), ns);
    return found.map(({ m, a }) => {
      const dstLen = m.data.readUInt8(1);
      const oif = a.get(RTA_OIF)?.readUInt32LE(0);
      return {
        dst: dstLen ? `${ipStr(a.get(RTA_DST))}/${dstLen}` : 'default',
        ...(oif ? { dev: names.get(oif) } : {}),
        ...(a.get(RTA_GATEWAY) ? { gateway: ipStr(a.get(RTA_GATEWAY)) } : {}),
      };
    });
  }

  /**
   * The names of these links, asked one by one: the IPv4 addresses and routes of a host lie on a
   * few of its links, and a dump of every link (a thousand veths beside 500 containers, ~1.5 MB
   * to parse) cost a network create or rm ~50 ms there.
   */
  private async namesOf(indices: number[], ns?: string): Promise<Map<number, string>> {
    const unique = [...new Set(indices)].filter((i) => i > 0);
    const links = await Promise.all(unique.map((i) => this.getLink(i, ns)));
    return new Map(links.filter((l) => l !== undefined).map((l) => [l.index, l.name]));
  }
}

/** A neighbour dump's entries of one device (the dump's own filter is the kernel's to honour or not). */
function neighbours(msgs: NlMessage[], family: number, index: number): { m: NlMessage; a: Map<number, Buffer> }[] {
  return msgs.filter((m) => m.data.readUInt8(0) === family && m.data.readInt32LE(4) === index).map((m) => ({ m, a: parseAttrs(m.data, 12) }));
}

function linkInfo(m: NlMessage): LinkInfo {
  const a = parseAttrs(m.data, 16);
  const master = a.get(IFLA_MASTER)?.readUInt32LE(0);
  return {
    name: a.get(IFLA_IFNAME)?.toString().replace(/\0+$/, '') ?? '',
    index: m.data.readInt32LE(4),
    up: Boolean(m.data.readUInt32LE(8) & IFF_UP),
    ...(master ? { master } : {}),
    mac: macStr(a.get(IFLA_ADDRESS)),
    ...(a.get(IFLA_MTU) ? { mtu: a.get(IFLA_MTU)!.readUInt32LE(0) } : {}),
    kind: kindOf(a.get(IFLA_LINKINFO)),
  };
}
