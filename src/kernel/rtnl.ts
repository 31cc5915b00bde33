// rtnetlink (links, addresses, routes) through the `netlink` package. It encodes messages and
// common attributes; IFLA_LINKINFO (bridge/veth/macvlan kinds, the veth peer) is encoded here.
import { openSync, closeSync } from 'node:fs';
import { createRtNetlink, type RtNetlinkSocket } from 'netlink';
import { KernelError } from '../core/errors.js';
import type { AddrInfo, LinkInfo, RouteInfo } from './kernel.js';
import { inNetns, netnsPath } from './netns.js';

const NLM_F_CREATE = 0x400;
const NLM_F_EXCL = 0x200;
const IFLA_ADDRESS = 1;
const IFLA_IFNAME = 3;
const IFLA_MTU = 4;
const IFLA_NET_NS_FD = 28;
const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const VETH_INFO_PEER = 1;
const IFLA_MACVLAN_MODE = 1;
const AF_INET = 2;
const MAIN_TABLE = 254;
const AF_BRIDGE = 7;
const IFLA_PROTINFO = 12;
const NLA_F_NESTED = 0x8000;
const IFLA_BRPORT_MODE = 4;
const RTM_SETLINK = 19;

const MACVLAN_MODES: Record<string, number> = { private: 1, vepa: 2, bridge: 4, passthru: 8 };
const IFLA_IPVLAN_MODE = 1;
const IPVLAN_MODES: Record<string, number> = { l2: 0, l3: 1, l3s: 2 };
const IFLA_VLAN_ID = 1;

function attr(type: number, payload: Buffer): Buffer {
  const len = 4 + payload.length;
  const b = Buffer.alloc((len + 3) & ~3);
  b.writeUInt16LE(len, 0);
  b.writeUInt16LE(type, 2);
  payload.copy(b, 4);
  return b;
}
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const cstr = (s: string) => Buffer.from(s + '\0');
const macBuf = (mac: string) => Buffer.from(mac.split(':').map((h) => parseInt(h, 16)));
const ipBuf = (ip: string) => Buffer.from(ip.split('.').map(Number));
const ipStr = (b?: Buffer) => (b ? [...b].join('.') : '');
const macStr = (b?: Buffer) => (b ? [...b].map((x) => x.toString(16).padStart(2, '0')).join(':') : undefined);

function linkinfo(kind: string, data?: Buffer): Buffer {
  return Buffer.concat([attr(IFLA_INFO_KIND, cstr(kind)), ...(data ? [attr(IFLA_INFO_DATA, data)] : [])]);
}

/** One socket per namespace, opened while the thread is inside it. */
export class Rtnl {
  private sockets = new Map<string, RtNetlinkSocket>();

  private sock(ns?: string): RtNetlinkSocket {
    const key = ns ?? '';
    let s = this.sockets.get(key);
    if (!s) {
      s = inNetns(ns, () => createRtNetlink());
      this.sockets.set(key, s);
    }
    return s;
  }

  /** Forget a namespace's socket (the namespace is going away). */
  drop(ns: string): void {
    this.sockets.get(ns)?.socket.close();
    this.sockets.delete(ns);
  }

  close(): void {
    for (const s of this.sockets.values()) s.socket.close();
    this.sockets.clear();
  }

  /** Requests go one at a time: a second dump on a socket mid-dump gets EBUSY. */
  private queue: Promise<unknown> = Promise.resolve();

  private call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const run = async () => {
      try {
        return await fn();
      } catch (e) {
        throw new KernelError(what, (e as Error).message.replace(/^Request rejected: /, ''), e);
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  async index(name: string, ns?: string): Promise<number> {
    const [m] = await this.call(`ip link show ${name}`, () => this.sock(ns).getLink({}, { ifname: name }));
    return m.data.index!;
  }

  addBridge(name: string, opts: { mtu?: number; mac?: string }): Promise<void> {
    return this.call(`ip link add ${name} type bridge`, async () => {
      await this.sock().newLink(
        {},
        {
          ifname: name,
          ...(opts.mtu ? { mtu: opts.mtu } : {}),
          ...(opts.mac ? { address: macBuf(opts.mac) } : {}),
          linkinfo: linkinfo('bridge'),
        },
        { flags: NLM_F_CREATE | NLM_F_EXCL },
      );
    });
  }

  /** Creates the pair with the peer already in `peer.ns`, named as asked, in one request. */
  addVeth(hostName: string, peer: { name: string; ns: string; mac?: string; mtu?: number }): Promise<void> {
    return this.call(`ip link add ${hostName} type veth peer name ${peer.name} netns ${peer.ns}`, async () => {
      const fd = openSync(netnsPath(peer.ns), 'r');
      try {
        const peerMsg = Buffer.concat([
          Buffer.alloc(16), // struct ifinfomsg
          attr(IFLA_IFNAME, cstr(peer.name)),
          attr(IFLA_NET_NS_FD, u32(fd)),
          ...(peer.mac ? [attr(IFLA_ADDRESS, macBuf(peer.mac))] : []),
          ...(peer.mtu ? [attr(IFLA_MTU, u32(peer.mtu))] : []),
        ]);
        await this.sock().newLink(
          {},
          { ifname: hostName, ...(peer.mtu ? { mtu: peer.mtu } : {}), linkinfo: linkinfo('veth', attr(VETH_INFO_PEER, peerMsg)) },
          { flags: NLM_F_CREATE | NLM_F_EXCL },
        );
      } finally {
        closeSync(fd);
      }
    });
  }

  async addMacvlan(name: string, opts: { parent: string; mode: string; ns: string; mac?: string }): Promise<void> {
    // resolved before the request: call() runs one request at a time, a nested one would wait forever
    const parent = await this.index(opts.parent);
    return this.call(`ip link add link ${opts.parent} name ${name}${opts.ns ? ` netns ${opts.ns}` : ''} type macvlan mode ${opts.mode}`, async () => {
      // no namespace: the link stays in the host's (the host shim)
      const fd = openSync(opts.ns ? netnsPath(opts.ns) : '/proc/thread-self/ns/net', 'r');
      try {
        await this.sock().newLink(
          {},
          {
            ifname: name,
            link: u32(parent),
            netNsFd: fd,
            ...(opts.mac ? { address: macBuf(opts.mac) } : {}),
            linkinfo: linkinfo('macvlan', attr(IFLA_MACVLAN_MODE, u32(MACVLAN_MODES[opts.mode] ?? 4))),
          },
          { flags: NLM_F_CREATE | NLM_F_EXCL },
        );
      } finally {
        closeSync(fd);
      }
    });
  }

  /** ipvlan sub-interface created straight into namespace `ns`. */
  async addIpvlan(name: string, opts: { parent: string; mode: string; ns: string }): Promise<void> {
    const parent = await this.index(opts.parent);
    return this.call(`ip link add link ${opts.parent} name ${name} netns ${opts.ns} type ipvlan mode ${opts.mode}`, async () => {
      const fd = openSync(netnsPath(opts.ns), 'r');
      try {
        const mode = Buffer.alloc(2);
        mode.writeUInt16LE(IPVLAN_MODES[opts.mode] ?? 0);
        await this.sock().newLink(
          {},
          { ifname: name, link: u32(parent), netNsFd: fd, linkinfo: linkinfo('ipvlan', attr(IFLA_IPVLAN_MODE, mode)) },
          { flags: NLM_F_CREATE | NLM_F_EXCL },
        );
      } finally {
        closeSync(fd);
      }
    });
  }

  /** 802.1q sub-interface `name` of `parent` with VLAN `id` (ip link add link P name N type vlan id I). */
  async addVlan(name: string, parent: string, id: number): Promise<void> {
    const index = await this.index(parent);
    return this.call(`ip link add link ${parent} name ${name} type vlan id ${id}`, async () => {
      const vid = Buffer.alloc(2);
      vid.writeUInt16LE(id);
      await this.sock().newLink({}, { ifname: name, link: u32(index), linkinfo: linkinfo('vlan', attr(IFLA_VLAN_ID, vid)) }, { flags: NLM_F_CREATE | NLM_F_EXCL });
    });
  }

  addDummy(name: string): Promise<void> {
    return this.call(`ip link add ${name} type dummy`, async () => {
      await this.sock().newLink({}, { ifname: name, linkinfo: linkinfo('dummy') }, { flags: NLM_F_CREATE | NLM_F_EXCL });
    });
  }

  /**
   * Whether the kernel knows a link type, tried in a throwaway namespace: the thread enters a
   * fresh one only to open a socket there; the namespace dies with that socket.
   */
  async probeLinkKind(kind: 'vlan' | 'dummy' | 'ipvlan' | 'macvlan'): Promise<boolean> {
    const { CLONE_NEWNET, unshare, setns } = await import('./syscalls.js');
    const home = openSync('/proc/thread-self/ns/net', 'r');
    let s: RtNetlinkSocket;
    try {
      unshare(CLONE_NEWNET);
      try {
        s = createRtNetlink();
      } finally {
        setns(home, CLONE_NEWNET);
      }
    } finally {
      closeSync(home);
    }
    try {
      const veth = linkinfo('veth', attr(VETH_INFO_PEER, Buffer.concat([Buffer.alloc(16), attr(IFLA_IFNAME, cstr('probe1'))])));
      await s.newLink({}, { ifname: 'probe0', linkinfo: veth }, { flags: NLM_F_CREATE | NLM_F_EXCL });
      const [p] = await s.getLink({}, { ifname: 'probe0' });
      const data: Record<string, Buffer | undefined> = {
        vlan: attr(IFLA_VLAN_ID, Buffer.from([5, 0])),
        dummy: undefined,
        ipvlan: attr(IFLA_IPVLAN_MODE, Buffer.from([0, 0])),
        macvlan: attr(IFLA_MACVLAN_MODE, u32(4)),
      };
      await s.newLink(
        {},
        { ifname: 'probe2', ...(kind === 'dummy' ? {} : { link: u32(p.data.index!) }), linkinfo: linkinfo(kind, data[kind]) },
        { flags: NLM_F_CREATE | NLM_F_EXCL },
      );
      return true;
    } catch {
      return false;
    } finally {
      s.socket.close();
    }
  }

  async deleteLink(name: string, ns?: string): Promise<void> {
    await this.call(`ip link del ${name}`, async () => {
      await this.sock(ns).delLink({}, { ifname: name });
    });
  }

  async setLinkUp(name: string, up: boolean, ns?: string): Promise<void> {
    const index = await this.index(name, ns);
    await this.call(`ip link set ${name} ${up ? 'up' : 'down'}`, () =>
      this.sock(ns).setLink({ index, change: { up: true }, flags: up ? { up: true } : {} }),
    );
  }

  /**
   * Bridge-port hairpin mode: a frame may leave by the port it came in. Needed when a container
   * reaches its own published port: br_netfilter bridges the DNATed frame straight back.
   * (IFLA_PROTINFO must carry NLA_F_NESTED, which the netlink package does not set: raw request.)
   */
  async setHairpin(name: string, on: boolean): Promise<void> {
    const index = await this.index(name);
    await this.call(`ip link set ${name} type bridge_slave hairpin ${on ? 'on' : 'off'}`, async () => {
      const ifinfo = Buffer.alloc(16);
      ifinfo.writeUInt8(AF_BRIDGE, 0);
      ifinfo.writeInt32LE(index, 4);
      const protinfo = attr(IFLA_PROTINFO | NLA_F_NESTED, attr(IFLA_BRPORT_MODE, Buffer.from([on ? 1 : 0])));
      await this.sock().request(RTM_SETLINK, [ifinfo, protinfo]);
    });
  }

  async setMaster(name: string, master: string | null): Promise<void> {
    const index = await this.index(name);
    const m = master ? await this.index(master) : 0;
    await this.call(`ip link set ${name} ${master ? `master ${master}` : 'nomaster'}`, () =>
      this.sock().setLink({ index }, { master: m }),
    );
  }

  async addAddress(dev: string, cidr: string, ns?: string, del = false): Promise<void> {
    const [ip, len] = cidr.split('/');
    const prefixlen = Number(len);
    const index = await this.index(dev, ns);
    const n = ip.split('.').reduce((a, x) => (a << 8) + Number(x), 0) >>> 0;
    const brd = prefixlen < 31 ? (n | (2 ** (32 - prefixlen) - 1)) >>> 0 : undefined;
    const attrs = {
      local: ipBuf(ip),
      address: ipBuf(ip),
      ...(brd !== undefined && !del ? { broadcast: Buffer.from([brd >>> 24, (brd >>> 16) & 255, (brd >>> 8) & 255, brd & 255]) } : {}),
    };
    const what = `ip addr ${del ? 'del' : 'add'} ${cidr}${brd !== undefined && !del ? ' brd +' : ''} dev ${dev}`;
    await this.call(what, async () => {
      if (del) await this.sock(ns).delAddress({ family: AF_INET, prefixlen, index }, attrs);
      else await this.sock(ns).newAddress({ family: AF_INET, prefixlen, index }, attrs, { flags: NLM_F_CREATE | NLM_F_EXCL });
    });
  }

  async route(r: RouteInfo, ns: string | undefined, del: boolean): Promise<void> {
    const [dst, len] = r.dst === 'default' ? ['0.0.0.0', '0'] : r.dst.split('/');
    const oif = r.dev ? await this.index(r.dev, ns) : undefined;
    const what = `ip route ${del ? 'del' : 'add'} ${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`;
    await this.call(what, async () => {
      const data = {
        family: AF_INET,
        dstLen: Number(len),
        table: MAIN_TABLE,
        protocol: 'BOOT' as const,
        scope: r.gateway ? ('UNIVERSE' as const) : ('LINK' as const),
        type: 'UNICAST' as const,
      };
      const attrs = {
        ...(Number(len) > 0 ? { dst: ipBuf(dst) } : {}),
        ...(r.gateway ? { gateway: ipBuf(r.gateway) } : {}),
        ...(oif !== undefined ? { oif } : {}),
      };
      if (del) await this.sock(ns).delRoute(data, attrs);
      else await this.sock(ns).newRoute(data, attrs, { flags: NLM_F_CREATE | NLM_F_EXCL });
    });
  }

  async listLinks(ns?: string): Promise<LinkInfo[]> {
    const msgs = await this.call('ip link show', () => this.sock(ns).getLinks());
    return msgs.map((m) => ({
      name: m.attrs.ifname ?? '',
      index: m.data.index ?? 0,
      up: Boolean(m.data.flags?.up),
      ...(m.attrs.master ? { master: m.attrs.master } : {}),
      mac: macStr(m.attrs.address),
      kind: kindOf(m.attrs.linkinfo),
    }));
  }

  async listAddresses(ns?: string): Promise<AddrInfo[]> {
    const links = await this.listLinks(ns);
    const addrs = await this.call('ip addr show', () => this.sock(ns).getAddresses());
    const byIndex = new Map(links.map((l) => [l.index, l.name]));
    return addrs
      .filter((a) => a.data.family === AF_INET)
      .map((a) => ({ dev: byIndex.get(a.data.index ?? 0) ?? '', cidr: `${ipStr(a.attrs.local ?? a.attrs.address)}/${a.data.prefixlen}` }));
  }

  async listRoutes(ns?: string): Promise<RouteInfo[]> {
    const links = await this.listLinks(ns);
    const routes = await this.call('ip route show', () => this.sock(ns).getRoutes());
    const byIndex = new Map(links.map((l) => [l.index, l.name]));
    return routes
      .filter((r) => r.data.family === AF_INET && (r.attrs.table ?? r.data.table) === MAIN_TABLE)
      .map((r) => ({
        dst: r.data.dstLen ? `${ipStr(r.attrs.dst)}/${r.data.dstLen}` : 'default',
        ...(r.attrs.oif ? { dev: byIndex.get(r.attrs.oif) } : {}),
        ...(r.attrs.gateway ? { gateway: ipStr(r.attrs.gateway) } : {}),
      }));
  }
}

function kindOf(info?: Buffer): string | undefined {
  if (!info) return undefined;
  for (let off = 0; off + 4 <= info.length; ) {
    const len = info.readUInt16LE(off);
    const type = info.readUInt16LE(off + 2);
    if (len < 4) break;
    if (type === IFLA_INFO_KIND) return info.subarray(off + 4, off + len).toString().replace(/\0+$/, '');
    off += (len + 3) & ~3;
  }
  return undefined;
}
