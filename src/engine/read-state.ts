// The state as the read-only commands (ls, inspect, ps, port, logs, exec) see it. They change
// nothing, in the kernel or in the store: no lock, no write, no step. On the common path this is
// one file read. On a fresh host, or after a reboot, the kernel is only read to show what the
// next mutating command will record: the predefined networks (with the ids it will give them,
// see defaults.ts) and the containers that died with the previous boot.
import { existsSync } from 'node:fs';
import type { State } from '../core/model.js';
import { firewallMarker } from './firewall-base.js';
import { Store } from '../store/store.js';
import { writeErr } from '../kernel/stdio.js';

export async function readState(): Promise<State> {
  const store = new Store();
  const state = await withClusterNetworks(store, (await pendingRollback(store)) ?? store.read());
  const current = state.firewallMarker === firewallMarker();
  if (current && state.networks.some((n) => n.predefined)) return state;
  const [{ NetlinkKernel }, { planWorld }] = await Promise.all([import('../kernel/netlink-kernel.js'), import('./world.js')]);
  const kernel = new NetlinkKernel();
  try {
    return (await planWorld(kernel, state, { restore: !current })).state;
  } finally {
    kernel.close();
  }
}

/**
 * A crashed command's journal: the state it will be rolled back (or forward) to, said once on
 * stderr. Finishing it is the next mutating command's (a read-only command changes nothing).
 */
async function pendingRollback(store: Store): Promise<State | null> {
  // Most reads find no journal: its module (hashing, the step machinery) loads only for one.
  if (!existsSync(store.journalFile)) return null;
  const { isCommitted, journalAfter, readJournal, rollsForward } = await import('./journal.js');
  // read holding the lock, if it is free: a command that holds it is running, not interrupted
  const found = store.ifFree(() => {
    const j = readJournal(store);
    return j && !isCommitted(store, j) ? j : null;
  });
  if (!found) return null;
  const { journal: j } = found;
  if (rollsForward(found)) {
    writeErr(`pont: '${j.command}' was interrupted after its point of no return; the next mutating command finishes it (shown here as after it)\n`);
    return journalAfter(j, () => store.read()) ?? store.read();
  }
  writeErr(`pont: '${j.command}' was interrupted; the next mutating command rolls it back (shown here as before it)\n`);
  return j.before ?? store.read();
}

/** With a cluster store in the config: its overlay networks, as the next mutating command will record them. */
async function withClusterNetworks(store: Store, state: State): Promise<State> {
  const { readConfig } = await import('../store/config.js');
  let config;
  try {
    config = readConfig();
  } catch {
    // read-only commands need no config: a bad one is the next mutating command's error
    return state;
  }
  if (!config.cluster) return state;
  const data = await readCluster(store, config.cluster);
  if (!data) return state;
  const { syncOverlayNetworks } = await import('./overlay.js');
  return syncOverlayNetworks(state, data.networks);
}

export interface ClusterData {
  networks: import('../cluster/keys.js').NetworkEntry[];
  endpoints: import('../cluster/keys.js').EndpointEntry[];
  hosts: import('../cluster/keys.js').HostEntry[];
}

let clusterData: Promise<ClusterData | null> | null = null;

/** One read of the cluster store for a read-only command; null (said once on stderr) when it cannot be reached. */
export function readCluster(store: Store, config: import('../store/config.js').ClusterConfig): Promise<ClusterData | null> {
  clusterData ??= (async () => {
    const [{ NetlinkKernel }, { Cluster }, { PontError }] = await Promise.all([import('../kernel/netlink-kernel.js'), import('../cluster/client.js'), import('../core/errors.js')]);
    const kernel = new NetlinkKernel();
    try {
      const cluster = await Cluster.connect(config, kernel, store.dir, { readOnly: true });
      try {
        const [networks, endpoints, hosts] = await Promise.all([cluster.networks(), cluster.endpoints(), cluster.hosts()]);
        return { networks, endpoints, hosts };
      } finally {
        cluster.close();
      }
    } catch (e) {
      if (!(e instanceof PontError)) throw e;
      writeErr(`pont: ${e.message}; overlay networks as this host last saw them\n`);
      return null;
    } finally {
      kernel.close();
    }
  })();
  return clusterData;
}

/** The cluster's endpoints and hosts, for `network inspect` of overlay networks (null without a cluster). */
export async function clusterForInspect(): Promise<ClusterData | null> {
  const { readConfig } = await import('../store/config.js');
  const config = readConfig();
  return config.cluster ? readCluster(new Store(), config.cluster) : null;
}
