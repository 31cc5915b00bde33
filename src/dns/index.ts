// The embedded DNS resolver, as the rest of pont sees it.
//
// What the container runtime must do for a container on a user-defined network:
//   - bring the namespace's loopback up: the resolver binds 127.0.0.11:53 only once lo is up
//     (before that the kernel would make it answer from the wrong address);
//   - write /etc/netns/<netns>/resolv.conf = "nameserver 127.0.0.11\noptions ndots:0\n"
//     (Docker's exact file; `ip netns exec` and the container's mount of it then use it);
//   - record the container in the store (running: true, netns, endpoints), then call
//     ensureDnsRunning({ state, waitForNetns: netns }) before starting the container's process;
//   - after rm / stop / the last disconnect, write the store and, still under the store lock,
//     call stopDnsIfUnused({ state }); delete the namespace after the store no longer lists it.
// The resolver follows the store by itself (inotify + poll): connect, disconnect and aliases
// need no call to take effect. A container takes part only while running with a netns and an
// endpoint on a non-predefined bridge/macvlan/ipvlan network (scope.ts).
// `pont dns [--supervise]` should call runDnsCommand and exit with the code it resolves to.
import { fstatSync } from 'node:fs';
import { Store } from '../store/store.js';
import { claimedParent, type ProcessId } from './proc.js';
import { Resolver } from './resolver.js';
import { storeWantsResolver } from './scope.js';
import { PARENT_ENV, runSupervisor, spawnSupervisor, supervisorId } from './supervisor.js';

export { dnsServedIn, ensureDnsRunning, logFile, pidFile, stopDnsIfUnused, type EnsureOptions } from './supervisor.js';
export { containersNeedingDns, storeNeedsDns, storeWantsResolver } from './scope.js';

const logLine = (line: string) => process.stderr.write(`${new Date().toISOString()} dns-resolver[${process.pid}] ${line}\n`);
/** How long a resolver whose supervisor died waits for the new one before leaving anyway. */
const TAKEOVER_WAIT_MS = 3000;

/**
 * The supervisor PONT_DNS_PARENT names, only if it is really our parent (pid and start time):
 * the variable is a claim, so a value naming any other process is ignored.
 */
function validatedParent(): ProcessId | null {
  const raw = process.env[PARENT_ENV];
  if (raw === undefined) return null;
  const id = claimedParent(raw, process.ppid);
  if (id) return id;
  logLine(`ignoring ${PARENT_ENV}=${JSON.stringify(raw.slice(0, 40))}: not this process's parent`);
  return null;
}

/** A pipe or a socket pair (what Node's spawn makes for stdio 'pipe'), not /dev/null or a tty. */
const isPipe = (fd: number): boolean => {
  try {
    const st = fstatSync(fd);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
};

/**
 * Our supervisor died without stopping us (a SIGTERM would have): start a new one unless no
 * user-defined network is left, keep answering until it holds the lock, then leave the sockets to it.
 */
async function replaceSupervisor(): Promise<void> {
  let needed = true; // an unreadable store: let a new supervisor decide (it exits when idle)
  try {
    needed = storeWantsResolver(new Store().read());
  } catch {
    // keep needed
  }
  if (!needed) return;
  spawnSupervisor();
  const deadline = Date.now() + TAKEOVER_WAIT_MS;
  while (supervisorId() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  logLine(supervisorId() ? `supervisor ${supervisorId()!.pid} took over` : 'no supervisor took over in time');
}

/** Runs the resolver in this process until SIGTERM/SIGINT (or its supervisor dies). */
function runResolver(): Promise<number> {
  const parent = validatedParent();
  return new Promise((resolve) => {
    let stopped = false;
    const stop = (why: string, code: number) => {
      if (stopped) return;
      stopped = true;
      logLine(`stopping: ${why}`);
      resolver.stop();
      resolve(code);
    };
    let orphaned = false;
    const onParentGone = () => {
      if (orphaned || stopped) return;
      orphaned = true;
      logLine(`supervisor ${parent?.pid} gone`);
      void replaceSupervisor().finally(() => stop('supervisor gone', 0));
    };
    const resolver = new Resolver({ log: logLine, parentPid: parent?.pid, onParentGone });
    process.once('SIGTERM', () => stop('SIGTERM', 0));
    process.once('SIGINT', () => stop('SIGINT', 0));
    // the supervisor holds the other end of our stdin: end-of-file is its death, at once
    if (parent && isPipe(0)) {
      process.stdin.on('end', onParentGone);
      process.stdin.on('error', onParentGone);
      process.stdin.resume();
    }
    resolver.start();
    logLine('started');
  });
}

/** `pont dns`: the resolver in the foreground; `pont dns --supervise`: the supervisor. */
export function runDnsCommand(opts: { supervise: boolean }): Promise<number> {
  return opts.supervise ? runSupervisor() : runResolver();
}
