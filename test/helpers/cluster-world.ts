// A multi-host world for the overlay (issue 14): hosts h1..hN that share an etcd, all inside one
// throwaway sandbox, so nothing of it is seen on the real host.
//
//   sandbox = the underlay (the hosts' "router"): bridge ul0 10.99.0.254/24, etcd on :2379
//     ├─ ul-h1 ══ veth ══ eth0 10.99.0.11/24   host h1: own net + mount + pid namespaces,
//     ├─ ul-h2 ══ veth ══ eth0 10.99.0.12/24   private /run (so /run/netns, /run/pont),
//     └─ ...                                   /var/lib/pont, /etc/netns, /etc/pont
//
// Each host's namespaces are nested in the sandbox's: its init is a shell blocked on a pipe from
// this process, and everything started in the host (pont's agent, resolver, containers) lives in
// the host's pid namespace, so it dies with that init (kill) or with the sandbox (destroy).
import { execFileSync, type ChildProcess } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import type { FirewallBackendName } from '../../src/core/firewall/parts.js';
import { shIn, startInit, stopInit, type RunOptions, type RunResult } from './namespace-init.js';
import { HOST_INIT, PONT, ROOT, Sandbox } from './sandbox.js';

export type { RunOptions, RunResult };

export const UNDERLAY = { bridge: 'ul0', router: '10.99.0.254', routerMac: '02:99:00:00:00:fe', prefix: 24, etcdPort: 2379 };
const ETCD_ENDPOINT = `${UNDERLAY.router}:${UNDERLAY.etcdPort}`;
const PATH = `${ROOT}/bin:/usr/sbin:/usr/bin:/sbin:/bin`;

export interface ClusterWorldOptions {
  /** 2..5 hosts, named h1..hN, at 10.99.0.11..10.99.0.1N. */
  hosts: number;
  /** Written to each host's /etc/pont/config.json as "firewall-backend" when given. */
  firewall?: FirewallBackendName;
  /** The cluster lease ttl in seconds ("discovery.ttl" in "cluster-store-opts"); 10 unless given. */
  ttl?: number;
}

export interface WorldHost {
  readonly name: string;
  /** Its underlay address, on eth0. */
  readonly address: string;
  /** The host init's pid as the real host sees it (nsenter --target). */
  readonly pid: number;
  /** Runs a bash command in the host (its net, mount and pid namespaces), bounded in time; never throws on exit codes. */
  sh(command: string, opts?: RunOptions): Promise<RunResult>;
  /** Like sh, but throws with stderr when the command fails. */
  ok(command: string, opts?: RunOptions): Promise<string>;
  /** Runs the repository's `pont ARGS` in the host. */
  pont(args: string, opts?: RunOptions): Promise<RunResult>;
}

/** The config.json a host of the world starts with, as Docker's daemon.json spells these keys. */
export function hostConfig(address: string, opts: { ttl: number; firewall?: FirewallBackendName }): string {
  const config: Record<string, unknown> = {
    'cluster-store': `etcd://${ETCD_ENDPOINT}`,
    'cluster-advertise': address,
    'cluster-store-opts': { 'discovery.ttl': String(opts.ttl) },
  };
  if (opts.firewall) config['firewall-backend'] = opts.firewall;
  return JSON.stringify(config, null, 2) + '\n';
}

async function okOrThrow(run: Promise<RunResult>, command: string, where: string): Promise<string> {
  const r = await run;
  if (r.exitCode !== 0) throw new Error(`command failed in ${where} (${r.exitCode}): ${command}\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

class Host implements WorldHost {
  /** Set by ClusterWorld.kill: the pid may be reused, so no command may nsenter it any more. */
  killed = false;

  constructor(readonly name: string, readonly address: string, readonly init: ChildProcess, readonly pid: number, readonly pidNamespace: string) {}

  sh(command: string, opts: RunOptions = {}): Promise<RunResult> {
    if (this.killed) return Promise.reject(new Error(`host ${this.name} was killed (ClusterWorld.kill); it runs no more commands`));
    return shIn(this.pid, command, { PATH }, opts);
  }

  ok(command: string, opts: RunOptions = {}): Promise<string> {
    return okOrThrow(this.sh(command, opts), command, this.name);
  }

  pont(args: string, opts: RunOptions = {}): Promise<RunResult> {
    return this.sh(`${PONT} ${args}`, opts);
  }
}

/** The underlay's end of host `name`'s veth, a port of ul0. */
const underlayPort = (name: string) => `ul-${name}`;

const startEtcd = [
  'mkdir -p /run/etcd',
  // in the sandbox's pid namespace, so it dies with the sandbox; data on the sandbox's /run tmpfs
  `{ setsid etcd --name underlay --data-dir /run/etcd/data --listen-client-urls http://${ETCD_ENDPOINT} --advertise-client-urls http://${ETCD_ENDPOINT} ` +
    '--listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster underlay=http://127.0.0.1:2380 ' +
    '</dev/null >/run/etcd/log 2>&1 & }',
].join(' && ');

const waitEtcd = `timeout 30 sh -c 'until etcdctl --endpoints=${ETCD_ENDPOINT} endpoint health >/dev/null 2>&1; do sleep 0.1; done' || { echo 'etcd did not become healthy:' >&2; tail -20 /run/etcd/log >&2; exit 1; }`;

export class ClusterWorld {
  readonly etcd = `etcd://${ETCD_ENDPOINT}`;
  readonly underlay: { readonly pid: number; sh(command: string, opts?: RunOptions): Promise<RunResult>; ok(command: string, opts?: RunOptions): Promise<string> };

  private constructor(private readonly sandbox: Sandbox, private readonly members: Host[]) {
    this.underlay = {
      pid: sandbox.pid,
      sh: (command, opts) => sandbox.sh(command, opts),
      ok: (command, opts) => okOrThrow(sandbox.sh(command, opts), command, 'the underlay'),
    };
  }

  static async create(opts: ClusterWorldOptions): Promise<ClusterWorld> {
    const ttl = opts.ttl ?? 10;
    if (!Number.isInteger(opts.hosts) || opts.hosts < 2 || opts.hosts > 5) throw new Error(`a cluster world has 2 to 5 hosts, not ${opts.hosts}`);
    if (!Number.isInteger(ttl) || ttl < 1) throw new Error(`the cluster ttl is a whole number of seconds, not ${ttl}`);
    const sandbox = await Sandbox.create();
    const members: Host[] = [];
    try {
      const { bridge, router, prefix } = UNDERLAY;
      // a fixed MAC: a bridge otherwise takes its ports' lowest, and a killed host's port taking
      // it away would leave the other hosts' ARP entry for the router stale for seconds
      await sandbox.ok(`ip link add ${bridge} address ${UNDERLAY.routerMac} type bridge && ip addr add ${router}/${prefix} dev ${bridge} && ip link set ${bridge} up && sysctl -qw net.ipv4.ip_forward=1 && ${startEtcd}`);
      const names = Array.from({ length: opts.hosts }, (_, i) => `h${i + 1}`);
      // hosts come up while etcd elects itself
      const [, ...hosts] = await Promise.all([
        sandbox.ok(waitEtcd),
        ...names.map((name, i) => ClusterWorld.addHost(sandbox, name, `10.99.0.${11 + i}`, members, { ttl, firewall: opts.firewall })),
      ]);
      return new ClusterWorld(sandbox, hosts as Host[]);
    } catch (e) {
      await Promise.all(members.map((h) => stopInit(h.init, 2000)));
      await sandbox.destroy();
      throw e;
    }
  }

  private static async addHost(sandbox: Sandbox, name: string, address: string, started: Host[], config: { ttl: number; firewall?: FirewallBackendName }): Promise<Host> {
    const { child, pid } = await startInit(HOST_INIT, `host ${name}`, 30_000, { inside: sandbox.pid });
    const host = new Host(name, address, child, pid, await pidNamespaceOf(pid));
    started.push(host);
    const port = underlayPort(name);
    // `netns PID` is read in the caller's pid namespace: the sandbox's, where the host init has its middle NSpid
    const nspid = await sandboxPidOf(pid);
    await sandbox.ok(`ip link add ${port} mtu 1500 type veth peer name eth0 mtu 1500 netns ${nspid} && ip link set ${port} master ${UNDERLAY.bridge} && ip link set ${port} up`);
    await host.ok(`ip addr add ${address}/${UNDERLAY.prefix} dev eth0 && ip link set eth0 up && ip route add default via ${UNDERLAY.router} && cat > /etc/pont/config.json`, {
      input: hostConfig(address, config),
    });
    return host;
  }

  /** Host i (0-based: host(0) is h1). */
  host(i: number): WorldHost {
    const h = this.members[i];
    if (!h) throw new Error(`the world has hosts 0..${this.members.length - 1}, not ${i}`);
    return h;
  }

  get hosts(): WorldHost[] {
    return [...this.members];
  }

  /**
   * Kills host i: its init dies, so its net/mount/pid namespaces and every process pont started
   * in it (agent, resolver, containers) go with it. Returns once its veth's peer has left ul0,
   * i.e. the kernel has dismantled its network namespace.
   */
  async kill(i: number): Promise<void> {
    const h = this.host(i) as Host;
    if (h.killed) throw new Error(`host ${h.name} is already killed`);
    h.killed = true;
    const exited = new Promise<void>((resolve) => (h.init.exitCode !== null || h.init.signalCode !== null ? resolve() : h.init.once('exit', () => resolve())));
    // SIGKILL to pid 1 of a pid namespace ends every process in it; the namespace check makes
    // sure the pid is still the host's init, not a reuse after an unnoticed exit
    if (h.init.exitCode === null && h.init.signalCode === null && (await pidNamespaceOf(h.pid)) === h.pidNamespace) process.kill(h.pid, 'SIGKILL');
    await exited;
    const port = underlayPort(h.name);
    // a dead namespace is dismantled by a kernel worker, shortly after its last process is gone
    const gone = await this.underlay.sh(`for i in $(seq 100); do ip link show ${port} >/dev/null 2>&1 || exit 0; sleep 0.1; done; exit 1`);
    if (gone.exitCode !== 0) throw new Error(`host ${h.name} was killed, but its veth ${port} is still on ${UNDERLAY.bridge} after 10 s: its network namespace lives on`);
  }

  /** Ends every host, etcd and the underlay; nothing is left behind. */
  async destroy(): Promise<void> {
    const namespaces = new Set([...this.members.map((h) => h.pidNamespace), await pidNamespaceOf(this.sandbox.pid)].filter((n) => n !== ''));
    await Promise.all(this.members.filter((h) => !h.killed).map((h) => stopInit(h.init, 5000)));
    await this.sandbox.destroy();
    // an init's parent sees it exit before the kernel has killed and reaped the rest of its pid
    // namespace (overlay-world.sh --down met the same): wait, bounded, until none is left
    await untilEmpty(namespaces, 5000);
  }
}

/** The pid that the sandbox's pid namespace gives a process of a host (the middle of its NSpid line). */
async function sandboxPidOf(pid: number): Promise<number> {
  const nspid = /^NSpid:\s+(.*)$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1].split(/\s+/);
  return Number(nspid[1]);
}

/** Waits until no process of the real host's view is in one of `namespaces` (`pid:[inode]`), or `ms` passed. */
async function untilEmpty(namespaces: ReadonlySet<string>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const entries = (await readdir('/proc')).filter((e) => /^\d+$/.test(e));
    const left = await Promise.all(entries.map((e) => readlink(`/proc/${e}/ns/pid`).then((ns) => namespaces.has(ns), () => false)));
    if (!left.includes(true) || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The pid namespace of a process, as `pid:[inode]`; '' once it is gone. */
const pidNamespaceOf = (pid: number): Promise<string> => readlink(`/proc/${pid}/ns/pid`).catch(() => '');

/** Why a test in a cluster world cannot run here ('' when it can): root, and Debian's etcd. */
export const worldSkipReason = (): string => {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  try {
    execFileSync('etcd', ['--version'], { stdio: 'ignore' });
    return '';
  } catch {
    return 'needs etcd (Debian package etcd-server)';
  }
};
