// The op table: for each kind of step, how to apply it to a host and how to observe, just before,
// the exact inverse (the MAC the link has, the value the sysctl had, the file's old content).
// The runner (engine/steps.ts) records that inverse in the journal before it applies the step, so
// a failure or a crash at any point is undone from what was really there.
import { nonEmptyParts } from '../core/firewall/parts.js';
import { PontError } from '../core/errors.js';
import { isFloodMac, type ClusterKv, type CniAttach, type LinkAdd, type Route, type Step } from '../core/steps.js';
import type { FirewallBackend } from '../firewall/backend.js';
import { loadFirewallBackend } from '../firewall/index.js';
import type { Files } from './host.js';
import type { FdbEntry, Kernel, LinkInfo, NeighInfo } from './kernel.js';
import type { Started } from './process.js';

/** The processes pont starts and kills (kernel/process.ts; a fake in unit tests). */
export interface Processes {
  start(spec: Extract<Step, { op: 'proc.start' }>['spec']): Promise<Started>;
  kill(target: Extract<Step, { op: 'proc.kill' }>['target'], detached: boolean): void;
  killStartedSince(id: string, netns: string, since: number, detached: boolean): void;
  /** The pid file's path of container `id`, whose old content a start's undo puts back. */
  pidPath(id: string): string;
  /** The container's main process is alive and still the one pont started. */
  alive(target: Omit<Extract<Step, { op: 'proc.kill' }>['target'], 'id'>): boolean;
}

/** Everything steps act on. `services` are the engine's, which steps call back (resolver, store). */
export interface StepHost {
  kernel: Kernel;
  /** The backend that applies firewall steps: the command's (its config), or a crashed command's (its journal). */
  firewall: FirewallBackend;
  files: Files;
  procs: Processes;
  /** This pont process's start (clock ticks since boot): what it starts is younger. */
  since: number;
  /** The store's lock, an open fd while this process holds it: what a detached step's child keeps (link-delete.ts). */
  lockFd?: () => number | null;
  services: {
    dnsReady(netns: string, id: string): Promise<void>;
    restoreStore(): void;
    /** The cluster store (overlay networks); absent on a host that joins no cluster. */
    cluster?: ClusterSteps;
    /** CNI plugin chains; the real ones (src/cni) when absent, a fake in unit tests. */
    cni?: CniSteps;
  };
}

/** What cluster steps need of the cluster store (src/cluster/client.ts). */
export interface ClusterSteps {
  /** All of `kvs` or none (a ClusterConflict naming the first key that exists). */
  create(kvs: ClusterKv[]): Promise<void>;
  /** Deletes each key that still holds its value; returns those it deleted. */
  remove(kvs: ClusterKv[]): Promise<ClusterKv[]>;
  /** The keys of `kvs` that hold exactly that value now. */
  holding(kvs: ClusterKv[]): Promise<ClusterKv[]>;
  /** One pass of the agent's reconciliation for this network, and the agent running. */
  sync(network: string, vxlan: string): Promise<void>;
}

/** Runs CNI plugin chains (src/cni); loaded when a CNI step runs. */
export interface CniSteps {
  add(a: CniAttach): Promise<unknown>;
  del(a: CniAttach): Promise<void>;
  /** A result is cached for this attachment (it was added and not deleted). */
  attached(a: CniAttach): Promise<boolean>;
}

const cniOf = (h: StepHost): CniSteps => h.services.cni ?? defaultCni;

const defaultCni: CniSteps = {
  async add(a) {
    const { addNetworkList, parseConfList } = await cniModules();
    return addNetworkList(parseConfList(a.list, a.source), runtimeOf(a));
  },
  async del(a) {
    const { delNetworkList, parseConfList } = await cniModules();
    await delNetworkList(parseConfList(a.list, a.source), runtimeOf(a));
  },
  async attached(a) {
    const { readCachedResult, parseConfList } = await cniModules();
    return readCachedResult(parseConfList(a.list, a.source), runtimeOf(a)) !== null;
  },
};

const cniModules = async () => ({ ...(await import('../cni/runtime/chain.js')), ...(await import('../cni/runtime/config.js')) });
const runtimeOf = (a: CniAttach) => ({ containerId: a.containerId, netns: `/run/netns/${a.netns}`, ifname: a.ifname, ...(a.capabilityArgs ? { capabilityArgs: a.capabilityArgs } : {}) });

const noCluster = () => new PontError('this step needs the cluster store: set "cluster-store" and "cluster-advertise" in /etc/pont/config.json', { category: 'usage' });
const clusterOf = (h: StepHost): ClusterSteps => {
  if (!h.services.cluster) throw noCluster();
  return h.services.cluster;
};

/**
 * The keys of a cluster step as this build reads them: a journal of an earlier build bound every
 * key of an endpoint's step to the lease (`lease` on the step); its endpoint keys only are now.
 */
const withLegacyLease = (s: { kvs: ClusterKv[]; lease?: boolean }): ClusterKv[] =>
  s.lease ? s.kvs.map((kv) => (kv.key.includes('/endpoints/') ? { ...kv, lease: true } : kv)) : s.kvs;

const lockHeld = (h: StepHost): { holdFd?: number } => {
  const fd = h.lockFd?.() ?? null;
  return fd === null ? {} : { holdFd: fd };
};

/** Deleting what is already gone is success: teardown must be idempotent. */
export const isGone = (e: unknown) => /ENODEV|ENOENT|ESRCH|EADDRNOTAVAIL|No such|does not exist|Cannot find/i.test((e as Error).message);
export const tolerateGone = (p: Promise<void>) =>
  p.catch((e: Error) => {
    if (!isGone(e)) throw e;
  });

/** What is between a listed table's braces, as a body for nft.table; null when there is no table. */
const tableBody = (listing: string): string | null => {
  const lines = listing.trimEnd().split('\n');
  return lines.length < 2 ? null : lines.slice(1, -1).join('\n');
};

type OpOf<O extends Step['op']> = Extract<Step, { op: O }>;

interface OpDef<O extends Step['op']> {
  /** Applies the step; what it returns (a started process) reaches the plan's completion. */
  apply(h: StepHost, s: OpOf<O>): Promise<unknown>;
  /** The exact inverse, observed on the host as it is just before apply. */
  observe(h: StepHost, s: OpOf<O>): Promise<Step[]>;
}

const findLink = async (k: Kernel, name: string, netns?: string): Promise<LinkInfo | undefined> => {
  if (netns && !k.netnsExists(netns)) return undefined;
  return k.getLink(name, netns || undefined);
};

const sameRoute = (a: Route, b: Route) => a.dst === b.dst && (a.gateway ?? '') === (b.gateway ?? '') && (!a.dev || !b.dev || a.dev === b.dev);

const hasRoute = async (k: Kernel, r: Route, netns?: string) => (netns && !k.netnsExists(netns) ? false : (await k.listRoutes(netns)).some((x) => sameRoute(x, r)));

const hasAddress = async (k: Kernel, dev: string, cidr: string, netns?: string) =>
  netns && !k.netnsExists(netns) ? false : (await k.listAddresses(netns, dev)).some((a) => a.cidr === cidr);

/** A device's FDB remotes and IPv4 neighbours; none when the device is not there. */
const fdbOf = async (k: Kernel, dev: string): Promise<FdbEntry[]> => ((await k.getLink(dev)) ? k.listFdb(dev) : []);
const neighOf = async (k: Kernel, dev: string, ip: string): Promise<NeighInfo | undefined> =>
  (await k.getLink(dev)) ? (await k.listNeigh(dev)).find((n) => n.ip === ip) : undefined;
const sameMac = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Where a new link of this kind appears. */
const linkNetns = (s: LinkAdd): string | undefined => (s.op === 'sublink.add' && s.netns ? s.netns : undefined);

/** A link to create: its undo deletes it, unless it was there already (someone else's: never ours to delete). */
const linkAdd = <O extends LinkAdd['op']>(apply: (k: Kernel, s: OpOf<O>) => Promise<void>): OpDef<O> => ({
  apply: (h, s) => apply(h.kernel, s),
  async observe(h, step) {
    const s = step as LinkAdd;
    const ns = linkNetns(s);
    return (await findLink(h.kernel, s.name, ns)) ? [] : [{ op: 'link.del', name: s.name, ...(ns ? { netns: ns } : {}), recreate: s }];
  },
});

/**
 * The value a sysctl step's observation read, taken by its application just after instead of a
 * second read: in a container's namespace each path's lookup walks the same-named entries of
 * every other namespace (proc_sys_compare), ~0.1 ms beside 500 containers.
 */
const observedSysctls = new WeakMap<Step, string | undefined>();

async function readSysctl(k: Kernel, key: string, netns?: string): Promise<string | undefined> {
  try {
    return k.readSysctl(key, netns);
  } catch {
    return undefined;
  }
}

/** A firewall step's backend: its own when it names one (a move between backends), else the command's. */
const firewallOf = async (h: StepHost, s: { backend?: FirewallBackend['name'] }) => (s.backend && s.backend !== h.firewall.name ? loadFirewallBackend(s.backend) : h.firewall);

const OPS: { [O in Step['op']]: OpDef<O> } = {
  'netns.add': {
    apply: (h, s) => h.kernel.addNetns(s.name),
    observe: async (h, s) => (h.kernel.netnsExists(s.name) ? [] : [{ op: 'netns.del', name: s.name }]),
  },
  'netns.del': {
    apply: async (h, s) => {
      if (h.kernel.netnsExists(s.name)) await h.kernel.deleteNetns(s.name);
    },
    observe: async (h, s) => (h.kernel.netnsExists(s.name) ? [{ op: 'netns.add', name: s.name }] : []),
  },
  'bridge.add': linkAdd((k, s) => k.addBridge(s.name, { ...(s.mtu ? { mtu: s.mtu } : {}), ...(s.mac ? { mac: s.mac } : {}), ...(s.mcastSnooping === false ? { mcastSnooping: false } : {}) })),
  'veth.add': linkAdd((k, s) => k.addVeth(s.name, { name: s.peer, ns: s.peerNetns, ...(s.peerMac ? { mac: s.peerMac } : {}), ...(s.mtu ? { mtu: s.mtu } : {}) }, { mac: s.mac })),
  'sublink.add': linkAdd((k, s) => {
    const o = { parent: s.parent, mode: s.mode, ns: s.netns, ...(s.mac ? { mac: s.mac } : {}) };
    return s.kind === 'macvlan' ? k.addMacvlan(s.name, o) : k.addIpvlan(s.name, o);
  }),
  'vlan.add': linkAdd(async (k, s) => {
    await k.addVlan(s.name, s.parent, s.id);
    await k.setLinkUp(s.name, true);
  }),
  'dummy.add': linkAdd(async (k, s) => {
    await k.addDummy(s.name);
    await k.setLinkUp(s.name, true);
  }),
  'vxlan.add': linkAdd((k, s) => k.addVxlan(s.name, { vni: s.vni, local: s.local, port: s.port, ...(s.mtu ? { mtu: s.mtu } : {}), ...(s.mac ? { mac: s.mac } : {}) })),
  'link.del': {
    apply: (h, s) => tolerateGone(h.kernel.deleteLink(s.name, s.netns, lockHeld(h))),
    async observe(h, s) {
      const link = await findLink(h.kernel, s.name, s.netns);
      if (!link || !s.recreate) return [];
      // the MAC the kernel chose (a veth's host end, a bridge without one asked) comes back with it
      const r = s.recreate;
      const remake = r.op === 'bridge.add' || r.op === 'veth.add' || r.op === 'sublink.add' || r.op === 'vxlan.add' ? { ...r, ...(link.mac ? { mac: link.mac } : {}) } : r;
      if (!s.settings) return [remake];
      const ns = s.netns ? { netns: s.netns } : {};
      const addrs = await h.kernel.listAddresses(s.netns, s.name);
      const sysctls = await Promise.all(s.settings.sysctls.map(async (key) => ({ key, value: await readSysctl(h.kernel, key, s.netns) })));
      // in the order a set-up makes them: addresses, then up, then what is tuned on the link
      return [
        remake,
        ...addrs.map((a): Step => ({ op: 'addr.add', dev: s.name, cidr: a.cidr, ...ns })),
        ...(link.up ? [{ op: 'link.set', name: s.name, up: true, ...ns } as Step] : []),
        ...sysctls.filter((x) => x.value !== undefined).map((x): Step => ({ op: 'sysctl', key: x.key, value: x.value!, ...ns })),
      ];
    },
  },
  'link.set': {
    apply: (h, s) => (s.up && !s.ifThere ? h.kernel.setLinkUp(s.name, true, s.netns) : tolerateGone(h.kernel.setLinkUp(s.name, s.up, s.netns))),
    async observe(h, s) {
      const link = await findLink(h.kernel, s.name, s.netns);
      return !link || link.up === s.up ? [] : [{ op: 'link.set', name: s.name, ...(s.netns ? { netns: s.netns } : {}), up: link.up, ifThere: true }];
    },
  },
  'link.master': {
    apply: (h, s) => (s.master ? h.kernel.setMaster(s.name, s.master) : tolerateGone(h.kernel.setMaster(s.name, null))),
    async observe(h, s) {
      const link = await h.kernel.getLink(s.name);
      if (!link) return [];
      const now = link.master ? (await h.kernel.getLink(link.master))?.name ?? null : null;
      return now === s.master ? [] : [{ op: 'link.master', name: s.name, master: now }];
    },
  },
  'link.hairpin': {
    // a link that is no bridge port any more (its master went first) has no hairpin to turn off
    apply: (h, s) =>
      s.on ? h.kernel.setHairpin(s.name, true) : tolerateGone(h.kernel.setHairpin(s.name, false)).catch((e: Error) => {
        if (!/EOPNOTSUPP/.test(e.message)) throw e;
      }),
    // the kernel seam reads no hairpin flag: pont's ports have it on, and nothing else sets it
    observe: async (h, s) => ((await findLink(h.kernel, s.name)) ? [{ ...s, on: !s.on }] : []),
  },
  'addr.add': {
    apply: (h, s) => h.kernel.addAddress(s.dev, s.cidr, s.netns),
    observe: async (h, s) => ((await hasAddress(h.kernel, s.dev, s.cidr, s.netns)) ? [] : [{ ...s, op: 'addr.del' }]),
  },
  'addr.del': {
    apply: (h, s) => tolerateGone(h.kernel.deleteAddress(s.dev, s.cidr, s.netns)),
    observe: async (h, s) => ((await hasAddress(h.kernel, s.dev, s.cidr, s.netns)) ? [{ ...s, op: 'addr.add' }] : []),
  },
  'fdb.add': {
    apply: (h, s) => h.kernel.fdbAdd(s.dev, s.mac, s.dst),
    async observe(h, s) {
      const same = (await fdbOf(h.kernel, s.dev)).filter((e) => sameMac(e.mac, s.mac));
      if (same.some((e) => e.dst === s.dst)) return [];
      // a replace moves a MAC's entry: its undo moves it back (a flooding entry is appended to, never moved)
      if (same.length && !isFloodMac(s.mac)) return [{ ...s, dst: same[0].dst }];
      return [{ ...s, op: 'fdb.del' }];
    },
  },
  'fdb.del': {
    apply: (h, s) => tolerateGone(h.kernel.fdbDel(s.dev, s.mac, s.dst)),
    observe: async (h, s) => ((await fdbOf(h.kernel, s.dev)).some((e) => sameMac(e.mac, s.mac) && e.dst === s.dst) ? [{ ...s, op: 'fdb.add' }] : []),
  },
  'neigh.add': {
    apply: (h, s) => h.kernel.neighAdd(s.dev, s.ip, s.mac),
    async observe(h, s) {
      const now = await neighOf(h.kernel, s.dev, s.ip);
      // an entry ARP learnt is a cache: deleting ours lets ARP learn it again
      if (!now?.permanent) return [{ ...s, op: 'neigh.del' }];
      return sameMac(now.mac, s.mac) ? [] : [{ ...s, mac: now.mac }];
    },
  },
  'neigh.del': {
    apply: (h, s) => tolerateGone(h.kernel.neighDel(s.dev, s.ip)),
    async observe(h, s) {
      const now = await neighOf(h.kernel, s.dev, s.ip);
      return now?.permanent ? [{ op: 'neigh.add', dev: s.dev, ip: s.ip, mac: now.mac }] : [];
    },
  },
  'route.add': {
    apply: (h, s) => h.kernel.addRoute(s.route, s.netns),
    observe: async (h, s) => ((await hasRoute(h.kernel, s.route, s.netns)) ? [] : [{ ...s, op: 'route.del' }]),
  },
  'route.del': {
    apply: (h, s) => tolerateGone(h.kernel.deleteRoute(s.route, s.netns)),
    observe: async (h, s) => ((await hasRoute(h.kernel, s.route, s.netns)) ? [{ ...s, op: 'route.add' }] : []),
  },
  'route.default': {
    async apply(h, s) {
      if (s.from) await tolerateGone(h.kernel.deleteRoute(s.from, s.netns));
      if (s.to) await h.kernel.addRoute(s.to, s.netns);
    },
    async observe(h, s) {
      if (!h.kernel.netnsExists(s.netns)) return [];
      const now = (await h.kernel.listRoutes(s.netns)).find((r) => r.dst === 'default');
      if (!now && !s.to) return [];
      return [{ op: 'route.default', netns: s.netns, ...(s.to ? { from: s.to } : {}), ...(now ? { to: { dst: 'default', gateway: now.gateway, dev: now.dev } } : {}) }];
    },
  },
  sysctl: {
    async apply(h, s) {
      const was = observedSysctls.has(s) ? observedSysctls.get(s) : await readSysctl(h.kernel, s.key, s.netns);
      observedSysctls.delete(s);
      if (was !== s.value) h.kernel.writeSysctl(s.key, s.value, s.netns);
    },
    async observe(h, s) {
      const was = await readSysctl(h.kernel, s.key, s.netns);
      observedSysctls.set(s, was);
      return was === undefined || was === s.value ? [] : [{ op: 'sysctl', key: s.key, value: was, ...(s.netns ? { netns: s.netns } : {}) }];
    },
  },
  'sysctl.leave': {
    apply: async () => undefined,
    observe: async (_h, s) => [{ ...s, op: 'sysctl' }],
  },
  'fw.add': {
    apply: async (h, s) => (await firewallOf(h, s)).add(h.kernel, s.parts),
    observe: async (_h, s) => (nonEmptyParts(s.parts).length ? [{ ...s, op: 'fw.del' }] : []),
  },
  'fw.del': {
    // some parts may be gone already (a flush, a reboot): the backend deletes exactly what remains
    apply: async (h, s) => (await firewallOf(h, s)).del(h.kernel, s.parts),
    // every command first repairs pont's firewall to what the store says (transaction.ts), so
    // the whole batch is there to be deleted, and to be put back
    observe: async (_h, s) => (nonEmptyParts(s.parts).length ? [{ ...s, op: 'fw.add' }] : []),
  },
  'fw.repair': {
    apply: (h, s) => h.firewall.repair(h.kernel, s.doc),
    // what it adds is what the store already said: a failed command leaves it
    observe: async () => [],
  },
  'nft.table': {
    // a replacement is one transaction: made if absent, emptied, written whole
    apply: (h, s) =>
      s.body === null
        ? tolerateGone(h.kernel.applyNft(`delete table ${s.family} ${s.name}\n`))
        : h.kernel.applyNft(`table ${s.family} ${s.name} {}\ndelete table ${s.family} ${s.name}\ntable ${s.family} ${s.name} {\n${s.body}\n}\n`),
    async observe(h, s) {
      const was = tableBody(await h.kernel.listNftTable(s.family, s.name));
      return was === s.body ? [] : [{ ...s, body: was }];
    },
  },
  'trace.probe': {
    apply: async (_h, s) => (await import('../learn/trace/probe.js')).sendProbe(s),
    // a packet sent cannot be taken back, and it changed nothing
    observe: async () => [],
  },
  'file.write': {
    apply: async (h, s) => (s.content === null ? h.files.remove(s.path) : h.files.write(s.path, s.content)),
    async observe(h, s) {
      const was = h.files.read(s.path);
      return was === s.content ? [] : [{ op: 'file.write', path: s.path, content: was }];
    },
  },
  'dir.add': {
    async apply(h, s) {
      h.files.makeDir(s.path);
      for (const [name, data] of Object.entries(s.files ?? {})) h.files.write(`${s.path}/${name}`, data);
    },
    observe: async (h, s) => (h.files.exists(s.path) ? [] : [{ op: 'dir.del', path: s.path }]),
  },
  'dir.del': {
    async apply(h, s) {
      if (!s.owned) return h.files.removeTree(s.path);
      for (const f of s.owned) h.files.remove(`${s.path}/${f}`);
      // another tool's file is left in it: the directory stays
      h.files.removeDir(s.path);
    },
    async observe(h, s) {
      if (!h.files.exists(s.path)) return [];
      const files: Record<string, string> = {};
      for (const name of h.files.listFiles(s.path)) {
        if (s.owned && !s.owned.includes(name)) continue;
        const data = h.files.read(`${s.path}/${name}`);
        if (data !== null) files[name] = data;
      }
      return [{ op: 'dir.add', path: s.path, ...(Object.keys(files).length ? { files } : {}) }];
    },
  },
  'proc.start': {
    apply: (h, s) => h.procs.start(s.spec),
    async observe(h, s) {
      // the pid file of an earlier run (start after stop) is put back as it was
      const pidFile = h.procs.pidPath(s.spec.id);
      return [
        { op: 'proc.kill-started', id: s.spec.id, netns: s.spec.netns, since: h.since, detached: s.spec.detach },
        { op: 'file.write', path: pidFile, content: h.files.read(pidFile) },
      ];
    },
  },
  'proc.kill-started': {
    apply: async (h, s) => h.procs.killStartedSince(s.id, s.netns, s.since, s.detached),
    observe: async () => [],
  },
  'proc.kill': {
    apply: async (h, s) => h.procs.kill(s.target, s.detached),
    // a killed process cannot be brought back: the point of no return (see journal.ts)
    observe: async () => [],
  },
  'dns.ready': {
    apply: (h, s) => h.services.dnsReady(s.netns, s.id),
    // it changes neither the store nor the kernel; an unused request expires in the resolver
    observe: async () => [],
  },
  'store.restore': {
    apply: async (h) => h.services.restoreStore(),
    observe: async () => [],
  },
  'cluster.create': {
    apply: (h, s) => clusterOf(h).create(withLegacyLease(s)),
    // a failed create wrote nothing, and a delete takes only the values written here
    observe: async (_h, s) => [{ ...s, op: 'cluster.delete' }],
  },
  'cluster.delete': {
    apply: async (h, s) => {
      await clusterOf(h).remove(s.kvs);
    },
    // only what holds pont's value now comes back (a key already gone stays gone)
    async observe(h, s) {
      const there = await clusterOf(h).holding(s.kvs);
      return there.length ? [{ op: 'cluster.create', kvs: withLegacyLease({ kvs: there, lease: s.lease }) }] : [];
    },
  },
  'cni.add': {
    apply: (h, s) => cniOf(h).add(s),
    observe: async (_h, s) => [{ ...s, op: 'cni.del' }],
  },
  'cni.del': {
    apply: (h, s) => cniOf(h).del(s),
    // what was attached comes back by a new ADD (the plugins choose its address again)
    observe: async (h, s) => ((await cniOf(h).attached(s)) ? [{ ...s, op: 'cni.add' }] : []),
  },
  'overlay.sync': {
    apply: (h, s) => clusterOf(h).sync(s.network, s.vxlan),
    observe: async () => [],
  },
};

export const applyStep = (h: StepHost, s: Step): Promise<unknown> => (OPS[s.op] as OpDef<Step['op']>).apply(h, s as never);
export const observeInverse = (h: StepHost, s: Step): Promise<Step[]> => (OPS[s.op] as OpDef<Step['op']>).observe(h, s as never);
