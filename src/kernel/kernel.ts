// The one seam between pont and the kernel. Engine and drivers only plan Steps (plain data);
// a Kernel applies them. NetlinkKernel (kernel/netlink-kernel.ts) is the real one; tests of pure
// logic use a recording fake.
import type { NftBaseChain } from './nft.js';

export type { NftBaseChain };

export interface LinkInfo {
  name: string;
  index: number;
  kind?: string;
  up: boolean;
  master?: number;
  mac?: string;
  mtu?: number;
}

/** A VXLAN device's FDB entry with a remote: frames for `mac` are tunnelled to host `dst`. */
export interface FdbEntry {
  mac: string;
  dst: string;
}

/** An IPv4 neighbour entry; `permanent`: set by hand (NUD_PERMANENT), never aged out. */
export interface NeighInfo {
  ip: string;
  mac: string;
  permanent: boolean;
}

export interface VxlanOpts {
  vni: number;
  /** The underlay address packets leave from. */
  local: string;
  /** The UDP destination port (4789, IANA's). */
  port: number;
  mtu?: number;
  mac?: string;
}

export interface AddrInfo {
  dev: string;
  cidr: string;
}

export interface RouteInfo {
  dst: string;
  dev?: string;
  gateway?: string;
}

/** `ns` names a pont-made network namespace (under /run/netns); absent means the host's. */
export interface Kernel {
  /** `mcastSnooping: false`: multicast floods every port instead of only those that joined. */
  addBridge(name: string, opts: { mtu?: number; mac?: string; mcastSnooping?: boolean }): Promise<void>;
  addVeth(hostName: string, peer: { name: string; ns: string; mac?: string; mtu?: number }, host?: { mac?: string }): Promise<void>;
  addMacvlan(name: string, opts: { parent: string; mode: string; ns: string; mac?: string }): Promise<void>;
  addIpvlan(name: string, opts: { parent: string; mode: string; ns: string }): Promise<void>;
  addVlan(name: string, parent: string, id: number): Promise<void>;
  addDummy(name: string): Promise<void>;
  /** A VXLAN device in the host's namespace, learning off, ARP proxy on, down. */
  addVxlan(name: string, opts: VxlanOpts): Promise<void>;
  /** Whether this kernel can create links of this type (tried in a throwaway namespace). */
  probeLinkKind(kind: 'vlan' | 'dummy' | 'ipvlan' | 'macvlan'): Promise<boolean>;
  /**
   * `holdFd` (the host's namespace, a command): the kernel's clean-up after the link is unlisted
   * may go on after this resolves, in a child that keeps this fd (the store's lock) open until then.
   */
  deleteLink(name: string, ns?: string, opts?: { holdFd?: number }): Promise<void>;
  setLinkUp(name: string, up: boolean, ns?: string): Promise<void>;
  setMaster(name: string, master: string | null): Promise<void>;
  setHairpin(name: string, on: boolean): Promise<void>;
  addAddress(dev: string, cidr: string, ns?: string): Promise<void>;
  deleteAddress(dev: string, cidr: string, ns?: string): Promise<void>;
  addRoute(route: RouteInfo, ns?: string): Promise<void>;
  deleteRoute(route: RouteInfo, ns?: string): Promise<void>;
  listLinks(ns?: string): Promise<LinkInfo[]>;
  /** One link, by name or index (undefined when there is none): one request, whatever the count. */
  getLink(ref: string | number, ns?: string): Promise<LinkInfo | undefined>;
  /** The IPv4 addresses of namespace `ns`, or of its link `dev` alone (none when it is not there). */
  listAddresses(ns?: string, dev?: string): Promise<AddrInfo[]>;
  listRoutes(ns?: string): Promise<RouteInfo[]>;

  /** A permanent FDB entry on device `dev` itself (NTF_SELF): appended for the all-zero MAC, else replaced. */
  fdbAdd(dev: string, mac: string, dst: string): Promise<void>;
  /** Deletes the entry of `mac` that goes to `dst` (ENOENT when there is none). */
  fdbDel(dev: string, mac: string, dst: string): Promise<void>;
  /** The device's own FDB entries that have a remote (a VXLAN device's), not its bridge's. */
  listFdb(dev: string): Promise<FdbEntry[]>;
  /** A permanent IPv4 neighbour entry, replacing any entry for `ip` on `dev`. */
  neighAdd(dev: string, ip: string, mac: string): Promise<void>;
  neighDel(dev: string, ip: string): Promise<void>;
  /** IPv4 neighbour entries of `dev` that have a MAC. */
  listNeigh(dev: string): Promise<NeighInfo[]>;

  addNetns(name: string): Promise<void>;
  deleteNetns(name: string): Promise<void>;
  netnsExists(name: string): boolean;

  readSysctl(key: string, ns?: string): string;
  writeSysctl(key: string, value: string, ns?: string): void;

  /** One `iptables-restore --noflush` run with this document on stdin. */
  restoreFirewall(doc: string): Promise<void>;
  saveFirewall(): Promise<string>;

  /** One `nft -f -` run with this script on stdin: one transaction. */
  applyNft(script: string): Promise<void>;
  /** `nft -s list table FAMILY NAME`, '' when there is no such table. */
  listNftTable(family: string, name: string): Promise<string>;
  /** Every base chain of every nftables table (iptables-nft's included). */
  listNftBaseChains(): Promise<NftBaseChain[]>;
  /** The nf_tables generation (kernel/nft-generation.ts); null when it cannot be read. */
  firewallGeneration(): Promise<number | null>;

  close(): void;
}
