// The real Kernel: netlink for links, addresses, routes, FDB and neighbour entries; bind-mounted
// namespaces, /proc/sys, and iptables-restore for the firewall.
import { closeSync, fstatSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import type { Kernel, RouteInfo, VxlanOpts } from './kernel.js';
import { addNetns, deleteNetns, inNetns, netnsExists } from './netns.js';
import { Rtnl } from './rtnl.js';
import { deleteLinkDetached } from './link-delete.js';
import { canPosixSpawn } from './spawn.js';
import { restoreFirewall, saveFirewall } from './iptables.js';
import { applyNft, listNftBaseChains, listNftTable } from './nft.js';
import { nftGeneration } from './nft-generation.js';
import { detachedProc } from './syscalls.js';

const sysctlPath = (proc: string, key: string) => `${proc}/sys/${key.replace(/\./g, '/')}`;

export class NetlinkKernel implements Kernel {
  private rtnl = new Rtnl();

  addBridge = (name: string, opts: { mtu?: number; mac?: string; mcastSnooping?: boolean }) => this.rtnl.addBridge(name, opts);
  addVeth = (hostName: string, peer: { name: string; ns: string; mac?: string; mtu?: number }, host?: { mac?: string }) => this.rtnl.addVeth(hostName, peer, host);
  addMacvlan = (name: string, opts: { parent: string; mode: string; ns: string; mac?: string }) => this.rtnl.addMacvlan(name, opts);
  addIpvlan = (name: string, opts: { parent: string; mode: string; ns: string }) => this.rtnl.addIpvlan(name, opts);
  addVlan = (name: string, parent: string, id: number) => this.rtnl.addVlan(name, parent, id);
  addDummy = (name: string) => this.rtnl.addDummy(name);
  addVxlan = (name: string, opts: VxlanOpts) => this.rtnl.addVxlan(name, opts);
  probeLinkKind = (kind: 'vlan' | 'dummy' | 'ipvlan' | 'macvlan') => this.rtnl.probeLinkKind(kind);
  async deleteLink(name: string, ns?: string, opts: { holdFd?: number } = {}): Promise<void> {
    // a sysctl of the link read and kept open would name the link gone, not one made again
    this.dropHeldSysctl();
    // detached: a command (posix_spawn), in the host's namespace, with the lock to hand on
    if (!ns && opts.holdFd !== undefined && canPosixSpawn() && (await deleteLinkDetached(name, opts))) return;
    await this.rtnl.deleteLink(name, ns);
  }
  setLinkUp = (name: string, up: boolean, ns?: string) => this.rtnl.setLinkUp(name, up, ns);
  setMaster = (name: string, master: string | null) => this.rtnl.setMaster(name, master);
  setHairpin = (name: string, on: boolean) => this.rtnl.setHairpin(name, on);
  addAddress = (dev: string, cidr: string, ns?: string) => this.rtnl.addAddress(dev, cidr, ns);
  deleteAddress = (dev: string, cidr: string, ns?: string) => this.rtnl.addAddress(dev, cidr, ns, true);
  addRoute = (r: RouteInfo, ns?: string) => this.rtnl.route(r, ns, false);
  deleteRoute = (r: RouteInfo, ns?: string) => this.rtnl.route(r, ns, true);
  listLinks = (ns?: string) => this.rtnl.listLinks(ns);
  getLink = (ref: string | number, ns?: string) => this.rtnl.getLink(ref, ns);
  listAddresses = (ns?: string, dev?: string) => this.rtnl.listAddresses(ns, dev);
  listRoutes = (ns?: string) => this.rtnl.listRoutes(ns);
  fdbAdd = (dev: string, mac: string, dst: string) => this.rtnl.fdbAdd(dev, mac, dst);
  fdbDel = (dev: string, mac: string, dst: string) => this.rtnl.fdbDel(dev, mac, dst);
  listFdb = (dev: string) => this.rtnl.listFdb(dev);
  neighAdd = (dev: string, ip: string, mac: string) => this.rtnl.neighAdd(dev, ip, mac);
  neighDel = (dev: string, ip: string) => this.rtnl.neighDel(dev, ip);
  listNeigh = (dev: string) => this.rtnl.listNeigh(dev);

  async addNetns(name: string): Promise<void> {
    this.dropHeldSysctl();
    addNetns(name);
  }
  async deleteNetns(name: string): Promise<void> {
    // as for a link: a descriptor kept would write into the namespace gone, not into a new one of its name
    this.dropHeldSysctl();
    this.rtnl.drop(name);
    deleteNetns(name);
  }
  netnsExists = (name: string) => netnsExists(name);

  /**
   * The sysctl read last, still open for writing: a sysctl step reads the value (its undo) and
   * then writes it, and its write goes through this descriptor instead of a second lookup of the
   * path (see ownProc for what a lookup costs). Dropped by the next read, by a namespace made or
   * removed and by a link removed: the key and namespace it matches are names, which a new object
   * could take.
   */
  private heldSysctl: { key: string; ns: string | undefined; fd: number } | null = null;

  /**
   * A container namespace's sysctls are opened under a procfs instance of this kernel's own,
   * contained in no mount namespace (syscalls.ts detachedProc: found by no path but this
   * process's /proc/<pid>/fd, gone with its descriptor at close), the host's under /proc. In a
   * procfs instance, /proc/sys/net is one directory of every network namespace, and the entry
   * `ipv6` of each namespace looked up there hangs from it in the dentry cache as long as the
   * namespace lives: a path under /proc/sys/net/ipv6 is looked up past all of them
   * (proc_sys_compare). Through /proc, each
   * container's IPv6 turned off left its entry there: beside 500 containers a new namespace's
   * first path took 0.56–0.87 ms, the host end's disable_ipv6 0.30–0.57 (strace, 2-core machine).
   * A fresh instance holds the namespaces this command looks at, and /proc the host's alone.
   * Where no instance can be made (a kernel before 5.2) or it is /proc's own (before 5.8 a pid
   * namespace has one procfs), /proc: the lookups are as slow as before there.
   */
  private ownProc: number | null | undefined;
  private procFor(ns: string | undefined): string {
    if (!ns) return '/proc';
    // made once, and so is its absence (not tried again at every sysctl)
    if (this.ownProc === undefined) this.ownProc = ownProcInstance();
    return this.ownProc === null ? '/proc' : `/proc/self/fd/${this.ownProc}`;
  }

  readSysctl(key: string, ns?: string): string {
    this.dropHeldSysctl();
    const path = sysctlPath(this.procFor(ns), key);
    return inNetns(ns, () => {
      let fd: number;
      try {
        fd = openSync(path, 'r+');
      } catch {
        // read-only (0444), or not there: read as before, and its error is the read's
        return readFileSync(path, 'utf8').trim();
      }
      let text: string;
      try {
        text = readFileSync(fd, 'utf8').trim();
      } catch (e) {
        closeSync(fd);
        throw e;
      }
      this.heldSysctl = { key, ns, fd };
      return text;
    });
  }
  writeSysctl(key: string, value: string, ns?: string): void {
    const held = this.heldSysctl?.key === key && this.heldSysctl.ns === ns ? this.heldSysctl : null;
    if (held) this.heldSysctl = null;
    else this.dropHeldSysctl();
    // Opened inside the namespace: /proc/sys/net answers for the opener's namespace, and the
    // descriptor stays with that namespace's value. Written at offset 0 (the read moved past it).
    let fd = held?.fd;
    if (fd === undefined) {
      const path = sysctlPath(this.procFor(ns), key);
      fd = inNetns(ns, () => openSync(path, 'w'));
    }
    try {
      writeSync(fd, value, 0);
    } finally {
      closeSync(fd);
    }
  }

  private dropHeldSysctl(): void {
    if (this.heldSysctl) closeSync(this.heldSysctl.fd);
    this.heldSysctl = null;
  }

  restoreFirewall = (doc: string) => restoreFirewall(doc);
  saveFirewall = () => saveFirewall();
  applyNft = (script: string) => applyNft(script);
  listNftTable = (family: string, name: string) => listNftTable(family, name);
  firewallGeneration = () => nftGeneration();
  listNftBaseChains = () => listNftBaseChains();

  close(): void {
    try {
      this.dropHeldSysctl();
      if (typeof this.ownProc === 'number') closeSync(this.ownProc);
    } finally {
      this.ownProc = undefined;
      this.rtnl.close();
    }
  }
}

/** A procfs instance of this process's own (detachedProc), or null: none, or one that is /proc's own superblock (no fresh dentries). */
function ownProcInstance(): number | null {
  let fd: number | null = null;
  try {
    fd = detachedProc();
    // a superblock of its own, reached through this process's /proc (one of another pid namespace would not)
    if (fd !== null && fstatSync(fd).dev !== statSync('/proc').dev && statSync(`/proc/self/fd/${fd}`).dev === fstatSync(fd).dev) return fd;
  } catch {
    // no instance: /proc
  }
  if (fd !== null) closeSync(fd);
  return null;
}
