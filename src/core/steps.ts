// Steps as data: every change pont makes to a host is one of these plain, serialisable values.
// Planners (drivers, engine) return lists of them; kernel/ops.ts applies them; the journal records
// them with their observed inverses. This module is pure: the values, their plan-time inverses
// (a teardown is the inverse of a set-up) and their explanations as pasteable shell lines.
import { explainFirewall } from './firewall/explain.js';
import type { FirewallBackendName, FirewallPart } from './firewall/parts.js';
import { shellArg, shellLine } from './shell.js';

export interface Route {
  dst: string;
  dev?: string;
  gateway?: string;
}

/** What a new link is; a link deletion carries one so that its undo can make the link again. */
export type LinkAdd =
  /** `mcastSnooping: false`: the bridge floods multicast to every port (an overlay's, across hosts). */
  | { op: 'bridge.add'; name: string; mac?: string; mtu?: number; mcastSnooping?: false }
  /** A veth pair: `name` on the host, `peer` created straight into namespace `peerNetns`. */
  | { op: 'veth.add'; name: string; mac?: string; peer: string; peerNetns: string; peerMac?: string; mtu?: number }
  /** A macvlan or ipvlan sub-interface of `parent`, made in `netns` ('' = the host's). */
  | { op: 'sublink.add'; kind: 'macvlan' | 'ipvlan'; name: string; parent: string; mode: string; netns: string; mac?: string }
  /** A VLAN link, brought up with it. */
  | { op: 'vlan.add'; name: string; parent: string; id: number }
  /** A dummy link (a parent made up for a parentless macvlan/ipvlan network), brought up with it. */
  | { op: 'dummy.add'; name: string }
  /**
   * A VXLAN device (an overlay's tunnel end), not brought up: learning off, so only the FDB entries
   * pont writes say where a MAC lives; `proxy` on, so ARP is answered from its neighbour table.
   * `mac`: the one an undo of its deletion gives it back (as observed).
   */
  | { op: 'vxlan.add'; name: string; vni: number; local: string; port: number; mtu?: number; mac?: string };

/** The processes a container's start recorded: what a kill may signal (see kernel/process.ts). */
export interface ProcessTarget {
  id: string;
  pid: number;
  pidStart?: number;
  monitorPid: number;
  monitorPidStart?: number;
  netns: string;
}

export interface ProcessSpec {
  id: string;
  netns: string;
  hostname: string;
  cmd: string[];
  /** The container's whole environment (see core/env.ts). */
  env: string[];
  detach: boolean;
  interactive: boolean;
  /** Given the caller's terminal as its own (-t): a foreground run's output is then not logged. */
  tty?: boolean;
}

/** A key and the value pont writes there, in the cluster store (src/cluster/keys.ts). */
export interface ClusterKv {
  key: string;
  value: string;
  /** The key lives only as long as this host's lease (an endpoint: it leaves with its host). */
  lease?: boolean;
}

export type Step =
  | { op: 'netns.add'; name: string }
  | { op: 'netns.del'; name: string }
  | LinkAdd
  /**
   * Deletes a link; `recreate` (what made it, its MAC as observed) is how an undo brings it back.
   * `settings`: what was set on the link goes with it (the kernel drops its addresses and its
   * per-link sysctls), so a teardown needs no step of its own for them; an undo puts back, as
   * observed just before, its IPv4 addresses, its up state and the per-link sysctls named here.
   */
  | { op: 'link.del'; name: string; netns?: string; recreate?: LinkAdd; settings?: { sysctls: string[] } }
  /** `ifThere`: a link that is gone is no error (a teardown of what a crash left). */
  | { op: 'link.set'; name: string; netns?: string; up: boolean; ifThere?: boolean }
  | { op: 'link.master'; name: string; master: string | null }
  | { op: 'link.hairpin'; name: string; on: boolean }
  | { op: 'addr.add'; dev: string; cidr: string; netns?: string }
  | { op: 'addr.del'; dev: string; cidr: string; netns?: string }
  /**
   * A permanent FDB entry of a VXLAN device: frames for `mac` go to host `dst`. The all-zero MAC
   * (flooding: broadcast, multicast, unknown) has one entry per peer host, appended; any other
   * MAC has one, replaced. A deletion removes the entry with that `dst` only.
   */
  | { op: 'fdb.add'; dev: string; mac: string; dst: string }
  | { op: 'fdb.del'; dev: string; mac: string; dst: string }
  /** A permanent IPv4 neighbour (ARP) entry on a device, replacing any entry for `ip`. */
  | { op: 'neigh.add'; dev: string; ip: string; mac: string }
  /** `mac`, when known, is what a plan-time inverse puts back (at run time the observed one is). */
  | { op: 'neigh.del'; dev: string; ip: string; mac?: string }
  | { op: 'route.add'; route: Route; netns?: string }
  | { op: 'route.del'; route: Route; netns?: string }
  /** Moves a namespace's default route from one gateway to another (either may be absent). */
  | { op: 'route.default'; netns: string; from?: Route; to?: Route }
  /** Sets a sysctl; its undo writes back the value observed just before (kernel/ops.ts). */
  | { op: 'sysctl'; key: string; value: string; netns?: string }
  /**
   * A teardown's side of a sysctl: nothing changes (forwarding stays on, as with Docker; a bridge's
   * or namespace's own keys go with it), but an undo of the teardown sets it again.
   */
  | { op: 'sysctl.leave'; key: string; value: string; netns?: string }
  /**
   * Adds (fw.add) or deletes (fw.del) firewall parts, backend-neutral: the command's backend
   * (StepHost.firewall, from /etc/pont/config.json) applies them as one atomic batch
   * (iptables-restore --noflush, or nft -f). A journal records which backend its steps ran on.
   */
  | { op: 'fw.add'; parts: FirewallPart[]; backend?: FirewallBackendName }
  /** `backend`: the one that applies it when not the command's own (pont's firewall moving from it). */
  | { op: 'fw.del'; parts: FirewallPart[]; backend?: FirewallBackendName }
  /** A repair batch for the command's backend, built from what the kernel shows (engine/system/firewall.ts): not undone. */
  | { op: 'fw.repair'; doc: string; explain: string[] }
  /**
   * A whole nftables table of pont's own besides its firewall (the packet tracer's, learn/trace):
   * `body` is what goes between its braces (chains and rules); `body: null` deletes the table.
   */
  | { op: 'nft.table'; family: 'inet' | 'bridge'; name: string; body: string | null }
  /**
   * Sends one probe packet from namespace `netns` ('' = the host) with `argv`, while `nft monitor
   * trace` listens in the host's namespace; its output is the monitor's lines. Changes nothing.
   */
  | { op: 'trace.probe'; netns: string; argv: string[]; settleMs: number }
  /** Writes a file pont owns; `content: null` removes it. */
  | { op: 'file.write'; path: string; content: string | null }
  /** mkdir -p, and the files a removal found in it (so that undoing a removal gives them back). */
  | { op: 'dir.add'; path: string; owned?: string[]; files?: Record<string, string> }
  /** Removes a directory: all of it, or with `owned` only those files, then itself if empty. */
  | { op: 'dir.del'; path: string; owned?: string[] }
  /** Starts a container's process (its monitor, see kernel/process.ts). */
  | { op: 'proc.start'; spec: ProcessSpec }
  /** Kills what `proc.start` of container `id` started after `since` (clock ticks since boot). */
  | { op: 'proc.kill-started'; id: string; netns: string; since: number; detached: boolean }
  /** Kills a container's recorded processes: the point of no return of rm, stop, restart. */
  | { op: 'proc.kill'; target: ProcessTarget; detached: boolean }
  /**
   * The resolver answers in `netns` before the process of container `id` starts, with the names
   * of the command's new store (the transaction supplies it; dns/ready.ts).
   */
  | { op: 'dns.ready'; netns: string; id: string }
  /** Puts the store back as the transaction found it (the undo of dns.ready in the journals of earlier pont builds, whose readiness step wrote the store). */
  | { op: 'store.restore' }
  /**
   * Writes keys in the cluster store (etcd) in one transaction, only if none of them exists (a
   * name, a VNI, an address taken by another host: the command fails, nothing written). A key
   * marked `lease` lives only as long as this host's lease.
   */
  | { op: 'cluster.create'; kvs: ClusterKv[]; /** journals of earlier builds: every key of an endpoint's step bound to the lease */ lease?: boolean }
  /** Removes keys in one transaction, each only if it still holds the value pont wrote. */
  | { op: 'cluster.delete'; kvs: ClusterKv[]; /** as on cluster.create */ lease?: boolean }
  /**
   * Overlay network `network` (VXLAN device `vxlan`) learns from the cluster store where the other
   * hosts' endpoints are (FDB and neighbour entries), and this host's agent keeps it so.
   */
  | { op: 'overlay.sync'; network: string; vxlan: string }
  /**
   * Runs a CNI network configuration list's plugins (ADD in order) for a container's namespace;
   * its output is the CNI result, which the transaction records on the endpoint (its address,
   * MAC, gateway). A failure in the middle runs DEL for the whole list: nothing is left behind.
   */
  | ({ op: 'cni.add' } & CniAttach)
  /** The list's DEL, in reverse, with the result cached at ADD (libcni's cache). */
  | ({ op: 'cni.del' } & CniAttach);

/** A container's attachment to a CNI network, as its plugins see it. */
export interface CniAttach {
  /** pont's network id (the endpoint's networkId). */
  network: string;
  /** The configuration list's text and where it was read from. */
  list: string;
  source: string;
  containerId: string;
  /** A namespace under /run/netns. */
  netns: string;
  ifname: string;
  /** runtimeConfig for plugins that declare the capability (portMappings). */
  capabilityArgs?: Record<string, unknown>;
  /** The shell lines of its ADD and of its DEL (CNI_COMMAND=… PLUGIN <<'EOF' config EOF), made by its planner. */
  explainAdd?: string[];
  explainDel?: string[];
}

export type Op = Step['op'];

/** The FDB's flooding entry: where broadcast, multicast and unknown unicast go (one per peer host). */
export const FLOOD_MAC = '00:00:00:00:00:00';
export const isFloodMac = (mac: string) => mac === FLOOD_MAC;

const ipLine = (ns: string | undefined, ...args: string[]) => shellLine(['ip', ...(ns ? ['-n', ns] : []), ...args]);

const routeWords = (r: Route) => [r.dst, ...(r.gateway ? ['via', r.gateway] : []), ...(r.dev ? ['dev', r.dev] : [])];

const sysctlLine = (key: string, v: string, ns?: string) => shellLine([...(ns ? ['ip', 'netns', 'exec', ns] : []), 'sysctl', '-w', `${key}=${v}`]);

/** The equivalent shell commands of a step (what --dry-run and `explain` print), firewall steps as `firewall` writes them. */
export function explain(s: Step, firewall: FirewallBackendName): string[] {
  switch (s.op) {
    case 'netns.add':
      return [shellLine(['ip', 'netns', 'add', s.name])];
    case 'netns.del':
      return [shellLine(['ip', 'netns', 'del', s.name])];
    case 'bridge.add':
      return [
        ipLine(undefined, 'link', 'add', s.name, ...(s.mac ? ['address', s.mac] : []), ...(s.mtu ? ['mtu', String(s.mtu)] : []), 'type', 'bridge', ...(s.mcastSnooping === false ? ['mcast_snooping', '0'] : [])),
      ];
    case 'veth.add':
      return [
        ipLine(undefined, 'link', 'add', s.name, ...(s.mac ? ['address', s.mac] : []), ...(s.mtu ? ['mtu', String(s.mtu)] : []), 'type', 'veth', 'peer', 'name', s.peer, 'netns', s.peerNetns, ...(s.peerMac ? ['address', s.peerMac] : [])),
      ];
    case 'sublink.add':
      return [ipLine(undefined, 'link', 'add', 'link', s.parent, 'name', s.name, ...(s.netns ? ['netns', s.netns] : []), ...(s.mac ? ['address', s.mac] : []), 'type', s.kind, 'mode', s.mode)];
    case 'vlan.add':
      return [ipLine(undefined, 'link', 'add', 'link', s.parent, 'name', s.name, 'type', 'vlan', 'id', String(s.id)), ipLine(undefined, 'link', 'set', s.name, 'up')];
    case 'dummy.add':
      return [ipLine(undefined, 'link', 'add', s.name, 'type', 'dummy'), ipLine(undefined, 'link', 'set', s.name, 'up')];
    case 'vxlan.add':
      return [
        ipLine(undefined, 'link', 'add', s.name, ...(s.mac ? ['address', s.mac] : []), ...(s.mtu ? ['mtu', String(s.mtu)] : []), 'type', 'vxlan', 'id', String(s.vni), 'local', s.local, 'dstport', String(s.port), 'nolearning', 'proxy'),
      ];
    case 'link.del':
      return [ipLine(s.netns, 'link', 'del', s.name)];
    case 'link.set':
      return [ipLine(s.netns, 'link', 'set', s.name, s.up ? 'up' : 'down')];
    case 'link.master':
      return [ipLine(undefined, 'link', 'set', s.name, ...(s.master ? ['master', s.master] : ['nomaster']))];
    case 'link.hairpin':
      return [shellLine(['bridge', 'link', 'set', 'dev', s.name, 'hairpin', s.on ? 'on' : 'off'])];
    case 'addr.add':
      return [ipLine(s.netns, 'addr', 'add', s.cidr, 'brd', '+', 'dev', s.dev)];
    case 'addr.del':
      return [ipLine(s.netns, 'addr', 'del', s.cidr, 'dev', s.dev)];
    case 'fdb.add':
      return [shellLine(['bridge', 'fdb', isFloodMac(s.mac) ? 'append' : 'replace', s.mac, 'dev', s.dev, 'dst', s.dst, 'self', 'permanent'])];
    case 'fdb.del':
      return [shellLine(['bridge', 'fdb', 'del', s.mac, 'dev', s.dev, 'dst', s.dst, 'self'])];
    case 'neigh.add':
      return [ipLine(undefined, 'neigh', 'replace', s.ip, 'lladdr', s.mac, 'dev', s.dev, 'nud', 'permanent')];
    case 'neigh.del':
      return [ipLine(undefined, 'neigh', 'del', s.ip, 'dev', s.dev)];
    case 'route.add':
    case 'route.del':
      return [ipLine(s.netns, 'route', s.op === 'route.add' ? 'add' : 'del', ...routeWords(s.route))];
    case 'route.default': {
      const line = (verb: string, r: Route) => ipLine(s.netns, 'route', verb, 'default', 'via', r.gateway ?? '', 'dev', r.dev ?? '');
      return [...(s.from ? [line('del', s.from)] : []), ...(s.to ? [line('add', s.to)] : [])];
    }
    case 'sysctl':
      return [sysctlLine(s.key, s.value, s.netns)];
    case 'sysctl.leave':
      return [];
    case 'fw.add':
      return explainFirewall(s.backend ?? firewall, 'add', s.parts);
    case 'fw.del':
      return explainFirewall(s.backend ?? firewall, 'del', s.parts);
    case 'fw.repair':
      return s.explain;
    case 'nft.table':
      return s.body === null ? [shellLine(['nft', 'delete', 'table', s.family, s.name])] : ["nft -f - <<'EOF'", `table ${s.family} ${s.name} {`, ...s.body.split('\n'), '}', 'EOF'];
    case 'trace.probe':
      return ['nft monitor trace &', shellLine([...(s.netns ? ['ip', 'netns', 'exec', s.netns] : []), ...s.argv]), 'kill %1'];
    case 'file.write':
      return s.content === null ? [shellLine(['rm', '-f', s.path])] : [`${shellLine(['printf', '%s', s.content])} > ${shellArg(s.path)}`];
    case 'dir.add':
      return [shellLine(['mkdir', '-p', s.path])];
    case 'dir.del':
      return s.owned
        ? [shellLine(['rm', '-f', ...s.owned.map((f) => `${s.path}/${f}`)]), shellLine(['rmdir', '--ignore-fail-on-non-empty', s.path])]
        : [shellLine(['rm', '-rf', s.path])];
    case 'proc.start':
      return [`${processLine(s.spec)}${s.spec.interactive ? '' : ' </dev/null'} &`];
    case 'proc.kill-started':
      return [`# kill what was started for container ${s.id} (its pid file, ${s.netns ? `processes in /run/netns/${s.netns}` : 'the host'}, started after tick ${s.since})`];
    case 'proc.kill':
      return explainKill(s.target, s.detached);
    case 'dns.ready':
      return [`# pont dns: answer on 127.0.0.11:53 in ${s.netns}`];
    case 'store.restore':
      return ['# put the store back as it was'];
    case 'cluster.create':
    case 'cluster.delete': {
      // HOST_LEASE: this host's lease, in hex as etcdctl takes it (its id is in /var/lib/pont/cluster-lease.json)
      const lease = (kv: ClusterKv) => (kv.lease ? ' --lease="$HOST_LEASE"' : '');
      const what = s.op === 'cluster.create' ? 'only if none of these keys exists' : 'each only if it still holds this value';
      const lines = s.kvs.map((kv) => (s.op === 'cluster.create' ? `etcdctl put${lease(kv)} ${shellLine([kv.key, kv.value])}` : shellLine(['etcdctl', 'del', kv.key])));
      return s.kvs.length > 1 || s.op === 'cluster.delete' ? [`# in one etcd transaction, ${what}:`, ...lines] : [`# ${what}:`, ...lines];
    }
    case 'cni.add':
    case 'cni.del':
      return explainCni(s);
    case 'overlay.sync':
      return [`# pont's agent: for each endpoint of network ${s.network} on another host, from etcd:`, `#   bridge fdb replace MAC dev ${s.vxlan} dst HOST self permanent; ip neigh replace IP lladdr MAC dev ${s.vxlan} nud permanent`, `#   and per such host: bridge fdb append 00:00:00:00:00:00 dev ${s.vxlan} dst HOST self permanent`];
  }
}

/** A CNI step as the shell lines that run its plugins by hand, as its planner wrote them. */
const explainCni = (s: { op: 'cni.add' | 'cni.del' } & CniAttach): string[] =>
  (s.op === 'cni.add' ? s.explainAdd : s.explainDel) ?? [`# CNI ${s.op === 'cni.add' ? 'ADD' : 'DEL'} of ${s.source} for ${s.netns} (${s.ifname})`];

/** Docker's default capabilities (CapEff 00000000a80425fb in a Docker 20.10 container). */
export const CONTAINER_CAPS = 'chown,dac_override,fowner,fsetid,kill,setgid,setuid,setpcap,net_bind_service,net_raw,sys_chroot,mknod,audit_write,setfcap';

/** The command line that runs `argv` with the container's capabilities only. */
export const withContainerCaps = (argv: readonly string[]): string[] => ['setpriv', '--bounding-set', `-all,${CONTAINER_CAPS.split(',').map((c) => `+${c}`).join(',')}`, '--', ...argv];

/**
 * The container's main process with only `env`: env -i. The monitor starts it as a background
 * job of its sh, which POSIX starts with SIGINT and SIGQUIT ignored, and a signal ignored on
 * entry cannot even be trapped; env gives them back their default (coreutils 8.31+), so that
 * `kill -s INT` and the Ctrl-C `start -a` passes on reach it as in Docker.
 */
export const containerCommand = (env: readonly string[], cmd: readonly string[]): string[] => ['env', '-i', '--default-signal=INT,QUIT', '--', ...env, ...cmd];

/**
 * What runs first in a container's own mount namespace (the copy `ip netns exec` makes of the
 * host's, a slave of it), as `sh -c` with the hostname as $0 and the command after it: detach
 * /run/netns there, then set the hostname. Kept, every later `ip netns add` or `del` on the host
 * would be copied into each running container's namespace (the slave of a shared mount): 500
 * containers held 500 copies each, and a namespace's mount cost ~4 ms more (2-core machine), its
 * unmount ~1. A Docker container does not see the host's namespaces either (here the empty
 * placeholder files under the mounts stay listed; nothing can enter them). `-c` (util-linux: no
 * canonicalization of a path that has none to make) spares umount a walk of the mount table:
 * 1.4 ms less CPU per container start beside 500 containers, 0.8 beside one (2-core machine).
 */
export const CONTAINER_ENTRY = 'umount -l -c /run/netns 2>/dev/null; hostname "$0" && exec "$@"';

/** The container's process as a shell line: in its namespace, with its own hostname. */
export function processLine(spec: ProcessSpec): string {
  const enter = spec.netns ? ['ip', 'netns', 'exec', spec.netns, 'unshare', '--uts', 'sh', '-c', CONTAINER_ENTRY, spec.hostname] : [];
  return shellLine([...enter, ...withContainerCaps(containerCommand(spec.env, spec.cmd))]);
}

/**
 * The kill of a container's processes as shell lines, each kill after the check it depends on.
 * A pid not known yet (a run being planned) is "$PID" / "$MONITOR".
 */
export function explainKill(c: ProcessTarget, detached: boolean): string[] {
  const pid = c.pid > 0 ? String(c.pid) : '"$PID"';
  const monitor = c.monitorPid > 0 ? String(c.monitorPid) : '"$MONITOR"';
  const check = (p: string, start: number | undefined, netns: string) =>
    start !== undefined ? `# only if field 22 (start time) of /proc/${p}/stat is still ${start}`
      : c.pid <= 0 ? `# only if ${p} is still the process started here`
      : netns ? `# only if /proc/${p}/ns/net is still /run/netns/${netns}` : '# skipped: no start time recorded';
  return [
    check(monitor, c.monitorPidStart, ''), `kill -9 ${monitor}`,
    ...(detached ? [`# its process group, if the monitor or ${pid} (one of the group) passed the check`, `kill -9 -- -${monitor}`] : []),
    check(pid, c.pidStart, c.netns), `kill -9 ${pid}`,
  ];
}

/**
 * The plan-time inverse of a step: what a teardown plan does for it (a teardown is the inverse of
 * the set-up, in reverse). Where the inverse needs what the kernel had (a sysctl's old value),
 * the plan has none and the inverse is empty: at run time kernel/ops.ts observes and records the
 * exact one.
 */
export function invert(s: Step): Step[] {
  switch (s.op) {
    case 'netns.add':
      return [{ op: 'netns.del', name: s.name }];
    case 'netns.del':
      return [{ op: 'netns.add', name: s.name }];
    case 'sysctl':
      return [{ ...s, op: 'sysctl.leave' }];
    case 'sysctl.leave':
      return [{ ...s, op: 'sysctl' }];
    case 'bridge.add':
    case 'veth.add':
    case 'vlan.add':
    case 'dummy.add':
    case 'vxlan.add':
      return [{ op: 'link.del', name: s.name, recreate: s }];
    case 'sublink.add':
      return [{ op: 'link.del', name: s.name, ...(s.netns ? { netns: s.netns } : {}), recreate: s }];
    // the link alone: what `settings` brings back (addresses, up, sysctls) only observation knows
    case 'link.del':
      return s.recreate ? [s.recreate] : [];
    case 'link.set':
      return [{ ...s, up: !s.up }];
    case 'link.master':
      return [{ op: 'link.master', name: s.name, master: null }];
    case 'link.hairpin':
      return [{ ...s, on: !s.on }];
    case 'addr.add':
      return [{ ...s, op: 'addr.del' }];
    case 'addr.del':
      return [{ ...s, op: 'addr.add' }];
    case 'fdb.add':
      return [{ ...s, op: 'fdb.del' }];
    case 'fdb.del':
      return [{ ...s, op: 'fdb.add' }];
    case 'neigh.add':
      return [{ ...s, op: 'neigh.del' }];
    case 'neigh.del':
      return s.mac ? [{ op: 'neigh.add', dev: s.dev, ip: s.ip, mac: s.mac }] : [];
    case 'route.add':
      return [{ ...s, op: 'route.del' }];
    case 'route.del':
      return [{ ...s, op: 'route.add' }];
    case 'route.default':
      return [{ op: 'route.default', netns: s.netns, ...(s.to ? { from: s.to } : {}), ...(s.from ? { to: s.from } : {}) }];
    case 'fw.add':
      return [{ ...s, op: 'fw.del' }];
    case 'fw.del':
      return [{ ...s, op: 'fw.add' }];
    case 'dir.add':
      return [{ op: 'dir.del', path: s.path, ...(s.owned ? { owned: s.owned } : {}) }];
    case 'dir.del':
      return [{ op: 'dir.add', path: s.path }];
    case 'dns.ready':
      return [];
    case 'cluster.create':
      return [{ ...s, op: 'cluster.delete' }];
    case 'cluster.delete':
      return [{ ...s, op: 'cluster.create' }];
    // the agent owns the entries: they go with the VXLAN device, or when the store says so
    case 'overlay.sync':
      return [];
    case 'cni.add':
      return [{ ...s, op: 'cni.del' }];
    case 'cni.del':
      return [{ ...s, op: 'cni.add' }];
    case 'nft.table':
      return s.body === null ? [] : [{ ...s, body: null }];
    case 'trace.probe':
      return [];
    // a file's old content, a process's pids: only observation knows them
    case 'file.write':
    case 'fw.repair':
    case 'proc.start':
    case 'proc.kill-started':
    case 'proc.kill':
    case 'store.restore':
      return [];
  }
}

/** The inverse of a whole plan: each step's inverse, last step first. */
export const inverse = (steps: readonly Step[]): Step[] => [...steps].reverse().flatMap(invert);

/** A firewall step's parts as the store implies them (fw.del is the withdrawal of parts). */
export const firewallPartsOf = (s: Step): FirewallPart[] => (s.op === 'fw.add' ? s.parts : []);
