// The cluster agent: one per host while a container of it is on an overlay network (started and
// restarted by the DNS supervisor, see agent-child.ts). It
//   - keeps this host's lease alive (a heartbeat every discovery.heartbeat seconds); if the lease
//     was lost (etcd unreachable for longer than its ttl), takes a new one and writes this host's
//     entry and endpoints again from the local store (and any address freed meanwhile);
//   - frees the addresses of hosts gone for two ttls, and its own that no endpoint holds (reaper.ts);
//   - follows every key under /pont/v1/ with a watch (a full read again after a lost watch or a
//     compaction), and makes each local overlay network's VXLAN device know the other hosts'
//     endpoints (reconcile.ts), as soon as an endpoint or host comes or goes;
//   - writes cluster-view.json for the resolver (the other hosts' containers' names).
// SIGTERM (no overlay endpoint left here): revokes the lease, so this host leaves the cluster at
// once. Its supervisor gone (stdin closed): exits and keeps the lease for the next agent.
import { hostname } from 'node:os';
import { rmSync } from 'node:fs';
import type { State } from '../core/model.js';
import { NetlinkKernel } from '../kernel/netlink-kernel.js';
import { readConfig } from '../store/config.js';
import { Store, writeFileWhole } from '../store/store.js';
import { StoreWatcher } from '../dns/watch.js';
import { endpointKvs, vxlanName } from '../drivers/overlay.js';
import { advertiseAddress, ensureLease, hostId, leaseFile, readLease, underlayMtu, withLeaseLock } from './client.js';
import { Etcd, parseClusterStore, type KeyValue } from './etcd.js';
import { decode, hostKey, PREFIX, type EndpointEntry, type HostEntry } from './keys.js';
import { leftoverClaims, orphanedClaims, type Orphan } from './reaper.js';
import { applyEntries, desiredEntries, remoteEndpoints } from './reconcile.js';
import { VIEW_FILE, type ClusterView } from './view.js';

const RESYNC_MS = 5000;

const endpointIds = (s: State) => new Set(s.containers.flatMap((c) => c.endpoints.map((e) => e.endpointId)));

export async function runAgent(): Promise<number> {
  const config = readConfig();
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} cluster-agent[${process.pid}] ${line}\n`);
  if (!config.cluster) {
    log('no "cluster-store" in /etc/pont/config.json: nothing to do');
    return 0;
  }
  const c = config.cluster;
  const store = new Store();
  const kernel = new NetlinkKernel();
  const etcd = new Etcd(parseClusterStore(c.store));
  const address = await advertiseAddress(kernel, c);
  const mtu = await underlayMtu(kernel, address);
  const self: HostEntry = { id: hostId(store.dir), name: hostname(), address };
  log(`host ${self.id.slice(0, 12)} at ${address}, store ${c.store}, ttl ${c.ttl}s, heartbeat ${c.heartbeat}s`);

  let lease: string | null = null;
  let view = new Map<string, KeyValue>();
  let revision = 0;
  let cancelWatch: (() => void) | null = null;
  let state: State = store.read();
  let lastView = '';
  let stopping = false;

  /**
   * The local endpoints on overlay networks, written again under the current lease, each in one
   * transaction with its address: where the address still holds this host's value, or is free,
   * both are written (an endpoint key of a lapsed lease that has not expired yet is moved under
   * this one); where another host holds it, neither is, and the log says so.
   */
  async function register(): Promise<void> {
    for (const ctr of state.containers) {
      for (const ep of ctr.endpoints) {
        const net = state.networks.find((n) => n.id === ep.networkId && n.driver === 'overlay');
        if (!net || !lease) continue;
        const here = { alone: false, local: address, underlayMtu: mtu, host: self.id };
        const kvs = endpointKvs(net, ctr, ep, here);
        const taken = kvs.find((kv) => !kv.lease)!;
        const success = kvs.map((kv) => ({ op: 'put' as const, key: kv.key, value: kv.value, ...(kv.lease ? { lease: lease! } : {}) }));
        if ((await etcd.txn({ compare: [{ key: taken.key, target: 'value', value: taken.value }], success })).succeeded) continue;
        if ((await etcd.txn({ compare: [{ key: taken.key, target: 'createRevision', value: 0 }], success })).succeeded) continue;
        const now = await etcd.get(taken.key);
        log(`${taken.key} is held by another host now (${now?.value}): ${ctr.name} keeps ${ep.ipAddress} here, remove it or reconnect it`);
      }
    }
  }

  // one registration at a time, apart from the heartbeats (which keep the new lease alive
  // meanwhile); one that failed half-way is tried again a second later
  let registering = false;
  let registerAgain = false;
  async function registerAll(): Promise<void> {
    if (registering) {
      registerAgain = true;
      return;
    }
    registering = true;
    try {
      do {
        registerAgain = false;
        try {
          await register();
        } catch (e) {
          log(`register: ${(e as Error).message}; trying again`);
          registerAgain = true;
          await new Promise((r) => setTimeout(r, 1000));
        }
      } while (registerAgain && !stopping);
    } finally {
      registering = false;
    }
  }

  let beating = false;
  async function heartbeat(): Promise<void> {
    // a beat that outlasts the interval (etcd slow to answer) is not overlapped by the next
    if (beating) return;
    beating = true;
    try {
      // a command may have taken a new lease since (the file says which)
      const known = readLease(store.dir);
      if (known && known.id !== lease) lease = null;
      if (lease && (await etcd.leaseKeepAlive(lease)) > 0) return;
      const r = await ensureLease(etcd, self, c.ttl, store.dir);
      const changed = r.id !== lease;
      lease = r.id;
      // keys written under a lease that expired went with it: write this host's again under this one
      if (changed) {
        log(`${r.fresh ? 'new' : 'current'} lease ${r.id}`);
        void registerAll();
      }
    } catch (e) {
      log(`heartbeat: ${(e as Error).message}`);
      if (/lease not found|LeaseGone/i.test((e as Error).message)) lease = null;
    } finally {
      beating = false;
    }
  }

  let absentSince = new Map<string, number>();
  const reaping = new Set<string>();
  /** Frees an address of a host gone for two ttls, if that host is still absent and the key unchanged. */
  async function reap(o: Orphan): Promise<void> {
    reaping.add(o.key);
    try {
      const r = await etcd.txn({
        compare: [{ key: o.key, target: 'value', value: o.value }, { key: hostKey(o.host), target: 'createRevision', value: 0 }],
        success: [{ op: 'delete', key: o.key }],
      });
      if (r.succeeded) log(`${o.key.slice(PREFIX.length)} freed: host ${o.host.slice(0, 12)} has been gone for ${2 * c.ttl}s`);
    } catch (e) {
      log(`${o.key.slice(PREFIX.length)} not freed: ${(e as Error).message}`);
    } finally {
      reaping.delete(o.key);
    }
  }

  let tidying = false;
  /**
   * Frees this host's addresses that no endpoint of its store holds, with the store's lock held
   * and the store read again (a command that holds it may be between an address's write and its
   * store's: then the next pass).
   */
  async function tidy(): Promise<void> {
    if (tidying) return;
    tidying = true;
    let held = false;
    try {
      held = store.tryLock();
      if (!held) return;
      for (const o of leftoverClaims([...view.values()], self.id, endpointIds(store.read()))) {
        if (await etcd.deleteIf(o.key, o.value)) log(`${o.key.slice(PREFIX.length)} freed: no container here holds it`);
      }
    } catch (e) {
      log(`own addresses not tidied: ${(e as Error).message}`);
    } finally {
      if (held) store.unlock();
      tidying = false;
    }
  }

  let pending: NodeJS.Timeout | null = null;
  const schedule = () => {
    if (!pending) pending = setTimeout(() => void reconcile(), 20);
  };

  async function reconcile(): Promise<void> {
    pending = null;
    const all = [...view.values()];
    const hosts = all.filter((kv) => kv.key.startsWith(`${PREFIX}hosts/`)).map((kv) => decode<HostEntry>(kv.value)).filter((h): h is HostEntry => h !== undefined);
    const endpoints = all.filter((kv) => kv.key.startsWith(`${PREFIX}endpoints/`)).map((kv) => decode<EndpointEntry>(kv.value)).filter((e): e is EndpointEntry => e !== undefined);
    const mine = new Set(state.containers.flatMap((ct) => ct.endpoints.map((e) => e.networkId)));
    for (const net of state.networks) {
      if (net.driver !== 'overlay' || !mine.has(net.id)) continue;
      try {
        const r = await applyEntries(kernel, vxlanName(net.id), desiredEntries(endpoints, hosts, net.id, self.id));
        if (r.added || r.removed) log(`${net.name}: ${r.added} entries added, ${r.removed} removed`);
      } catch (e) {
        log(`${net.name}: ${(e as Error).message}`);
      }
    }
    // a monotonic clock: a step of the wall clock must not shorten the grace
    const orphans = orphanedClaims(all, new Set(hosts.map((h) => h.id)), self.id, absentSince, performance.now(), 2 * c.ttl * 1000);
    absentSince = orphans.absentSince;
    for (const o of orphans.reap) if (!reaping.has(o.key)) void reap(o);
    if (leftoverClaims(all, self.id, endpointIds(state)).length) void tidy();
    const remote = [...new Set(endpoints.map((e) => e.network))].flatMap((n) => remoteEndpoints(endpoints, hosts, n, self.id));
    const out: ClusterView = {
      revision,
      hosts: hosts.map((h) => ({ id: h.id, name: h.name, address: h.address })),
      endpoints: remote.map(({ dst: _dst, prefixLen: _p, ...e }) => e),
    };
    const text = JSON.stringify({ ...out, revision: 0 });
    if (text !== lastView) {
      lastView = text;
      writeFileWhole(`${store.dir}/${VIEW_FILE}`, JSON.stringify(out) + '\n');
    }
  }

  async function resync(): Promise<void> {
    cancelWatch?.();
    cancelWatch = null;
    if (stopping) return;
    try {
      const r = await etcd.range(PREFIX);
      view = new Map(r.kvs.map((kv) => [kv.key, kv]));
      revision = r.revision;
      schedule();
      cancelWatch = etcd.watch(
        PREFIX,
        revision + 1,
        (events, rev) => {
          for (const ev of events) {
            if (ev.type === 'put') view.set(ev.kv.key, ev.kv);
            else view.delete(ev.kv.key);
          }
          revision = Math.max(revision, rev);
          schedule();
        },
        (e) => {
          log(`watch lost (${e.message}); reading everything again`);
          setTimeout(() => void resync(), e.compacted ? 0 : 1000);
        },
      );
    } catch (e) {
      log(`cannot read the cluster store: ${(e as Error).message}; trying again`);
      setTimeout(() => void resync(), 1000);
    }
  }

  const watcher = new StoreWatcher({
    onState: (s) => {
      state = s;
      schedule();
    },
    onError: (e) => log(`store not read: ${e.message}`),
  });

  await heartbeat();
  await resync();
  watcher.start();
  const beat = setInterval(() => void heartbeat(), c.heartbeat * 1000);
  const safety = setInterval(schedule, RESYNC_MS);

  return new Promise((resolve) => {
    const exit = async (why: string, leave: boolean) => {
      if (stopping) return;
      stopping = true;
      clearInterval(beat);
      clearInterval(safety);
      watcher.stop();
      cancelWatch?.();
      if (leave && lease) {
        try {
          const left = lease;
          // under the lease lock, and the file removed only if it still names this lease: a
          // command may have taken a new one meanwhile (a run that came with the SIGTERM)
          await withLeaseLock(store.dir, async () => {
            await etcd.leaseRevoke(left);
            if (readLease(store.dir)?.id === left) rmSync(leaseFile(store.dir), { force: true });
          });
          rmSync(`${store.dir}/${VIEW_FILE}`, { force: true });
          log(`${why}: lease ${lease} revoked, this host left the cluster`);
        } catch (e) {
          log(`${why}: lease not revoked (${(e as Error).message}); it expires in ${c.ttl}s`);
        }
      } else {
        log(`${why}: exiting, lease kept`);
      }
      etcd.close();
      kernel.close();
      resolve(0);
    };
    process.on('SIGTERM', () => void exit('SIGTERM', true));
    process.on('SIGINT', () => void exit('SIGINT', true));
    process.stdin.on('end', () => void exit('supervisor gone', false));
    process.stdin.on('error', () => void exit('supervisor gone', false));
    process.stdin.resume();
  });
}
