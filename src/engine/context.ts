// What every engine operation receives: everything that touches the host (kernel, files,
// processes), the store, the clock and the id source, where output goes, and the command's fault
// injection. Nothing else reaches the host, so unit tests pass an in-memory one
// (test/helpers/fake-host.ts) and compare plans without root.
import { rfc3339Nano } from '../core/names.js';
import { newId } from '../kernel/random.js';
import { type Files, realFiles } from '../kernel/host.js';
import type { Kernel } from '../kernel/kernel.js';
import type { FirewallBackend } from '../firewall/backend.js';
import { loadFirewallBackend } from '../firewall/index.js';
import { readConfig, type Config } from '../store/config.js';
import type { Processes } from '../kernel/ops.js';
import { pidPath } from '../kernel/run-dir.js';
import { procStat } from '../kernel/proc-stat.js';
import { faultsFromEnv, type Faults } from './steps.js';
import type { State } from '../core/model.js';
import { readHostPorts, type HostPorts } from './container/ports.js';
import { ensureDns, stopDnsIfUnused } from './dns.js';
import { Store } from '../store/store.js';
import type { Cluster } from '../cluster/client.js';
import { writeErr, writeOut } from '../kernel/stdio.js';

export interface Context {
  kernel: Kernel;
  /** The backend that writes pont's firewall (`"firewall-backend"` in /etc/pont/config.json). */
  firewall: FirewallBackend;
  files: Files;
  procs: Processes;
  store: Store;
  /** A new 64-hex id (networks, containers, endpoints, transactions). */
  newId: () => string;
  /** The time now, as Docker writes it (RFC 3339 with nanoseconds). */
  now: () => string;
  /** This process's start in clock ticks since boot: what it starts is younger. */
  since: () => number;
  /** The ports host processes hold and the ephemeral range (/proc/net, ip_local_port_range). */
  hostPorts: () => HostPorts;
  out: (line: string) => void;
  err: (line: string) => void;
  dryRun: boolean;
  /** --explain: the change is made, and its steps printed as the equivalent commands (on stderr). */
  explain?: boolean;
  faults: Faults;
  /** The embedded resolver (src/dns), which outlives commands: steps and plans reach it here. */
  dns: Resolver;
  /**
   * The cluster store, for overlay networks: connected on first use (null when the config names
   * none). Commands that touch no overlay network never call it.
   */
  cluster: () => Promise<Cluster | null>;
}

export interface Resolver {
  /**
   * Before container `id`'s process starts: the resolver answers in `netns`, for the container as
   * `during` has it (its networks, and that container: the others are not read).
   */
  ready(netns: string, id: string, during: State): Promise<void>;
  /** Runs (and is told of) the resolver when `next` needs it. */
  ensure(next: State): Promise<void>;
  /** Stops it when no container of `next` needs it. */
  stopIfUnused(next: State): Promise<void>;
}

/** The real context; the kernel and process modules are loaded lazily so read-only commands stay light. */
export async function createContext(opts: { dryRun?: boolean; explain?: boolean } = {}): Promise<Context> {
  const [{ NetlinkKernel }, proc] = await Promise.all([import('../kernel/netlink-kernel.js'), import('../kernel/process.js')]);
  // read once per command, before anything is touched: a bad value is one line and no change
  const config = readConfig();
  const store = new Store();
  const kernel = new NetlinkKernel();
  return {
    kernel,
    firewall: await loadFirewallBackend(config.firewallBackend),
    files: realFiles,
    procs: { start: proc.startProcess, kill: proc.killContainer, killStartedSince: proc.killStartedSince, pidPath, alive: proc.isAlive },
    store,
    newId,
    now: () => rfc3339Nano(),
    since: () => procStat(process.pid)?.start ?? 0,
    hostPorts: readHostPorts,
    out: (l) => writeOut(l + '\n'),
    err: (l) => writeErr(l + '\n'),
    dryRun: Boolean(opts.dryRun),
    explain: Boolean(opts.explain),
    faults: faultsFromEnv(),
    dns: {
      async ready(netns, id, during) {
        const [{ ensureDnsRunning }, { containerNeedsDns }, { requestReady }] = await Promise.all([
          import('../dns/supervisor.js'), import('../dns/scope.js'), import('../dns/ready.js'),
        ]);
        if (!containerNeedsDns(during, id)) return;
        // asked for directly: the store is written once, at the end (the resolver follows it then)
        requestReady(netns, during);
        await ensureDnsRunning({ state: during, waitForNetns: netns });
      },
      ensure: ensureDns,
      stopIfUnused: stopDnsIfUnused,
    },
    cluster: lazyCluster(config.cluster, kernel, store, Boolean(opts.dryRun)),
  };
}

/** One connection per command, made when first asked for. */
export function lazyCluster(config: Config['cluster'], kernel: Kernel, store: Store, readOnly = false): () => Promise<Cluster | null> {
  let cluster: Promise<Cluster | null> | null = null;
  return () => {
    if (!config) return Promise.resolve(null);
    cluster ??= import('../cluster/client.js').then(({ Cluster: C }) => C.connect(config, kernel, store.dir, { readOnly }));
    return cluster;
  };
}
