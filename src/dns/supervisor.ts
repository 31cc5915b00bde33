// Keeps one resolver running while any user-defined network exists, and none otherwise (it
// serves the containers that need DNS; started with the first network, its start is not paid by
// a `run`).
//
//   pont network create / run / connect ──ensureDnsRunning()──▶ supervisor (detached, pid file)
//                                                                └─▶ resolver child (restarted on death)
//   pont network rm / prune ──stopDnsIfUnused()──▶ SIGTERM to the supervisor
//
// The supervisor holds an flock on /run/pont/dns.lock for its lifetime (two racing
// ensureDnsRunning calls start one supervisor: the loser exits at once), writes "PID:START
// STORE" to /run/pont/dns.pid (START: field 22 of /proc/PID/stat, so a recycled pid is never
// signalled; STORE: the store layout its code reads, so that a pont upgraded beside running
// containers replaces the supervisor and resolver an older one started),
// appends its and the resolver's output to /run/pont/dns.log, restarts a dead resolver after
// 50 ms (doubling up to 5 s while it keeps dying young), and exits (child killed, pid file
// removed) on SIGTERM or once the store has had no user-defined network for 2 s.
// The two watch each other: the resolver's stdin is a pipe from the supervisor, so it sees the
// supervisor die at once (even by SIGKILL), starts a new supervisor and, once that one holds
// the lock, exits and leaves its sockets to the new one's resolver (index.ts).
// ensureDnsRunning/stopDnsIfUnused cost one store read and one pid check when nothing changes.
import type { ChildProcess } from 'node:child_process';
import { childProcess } from '../kernel/child-process.js';
import { canPosixSpawn, posixSpawn } from '../kernel/spawn.js';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { State } from '../core/model.js';
import { STORE_VERSION } from '../core/state-schema.js';
import { Store } from '../store/store.js';
import { inNetns } from '../kernel/netns.js';
import { flock, LOCK_EX } from '../kernel/syscalls.js';
import { formatProcessId, isAlive, parseProcessId, processId, type ProcessId } from './proc.js';
import { storeWantsResolver } from './scope.js';
import { StoreWatcher } from './watch.js';
import { agentChild, storeWantsAgent } from '../cluster/agent-child.js';
import { RUN_DIR } from '../kernel/run-dir.js';

/** pont's own directory: no variable moves it elsewhere. */
export const pidFile = (): string => `${RUN_DIR}/dns.pid`;
export const logFile = (): string => `${RUN_DIR}/dns.log`;
const lockFile = (): string => `${RUN_DIR}/dns.lock`;
/** How the supervisor names itself to its resolver child. */
export const PARENT_ENV = 'PONT_DNS_PARENT';
// The resolver's entry, as process.ts names the CLI's: the same path from dist/src/dns and from
// a bundle of dist/bundle (scripts/bundle.mjs), cli/main.js included.
const MAIN = fileURLToPath(new URL('../dns/main.js', import.meta.url));

const LOCK_NB = 4;
const IDLE_EXIT_MS = 2000;
const RESTART_MIN_MS = 50;
const RESTART_MAX_MS = 5000;
/** A child that lived this long is healthy: its next death restarts at the minimum delay. */
const HEALTHY_RUN_MS = 10_000;
const LOG_ROTATE_BYTES = 1 << 20;
/** A look at the namespace's UDP table costs ~0.1 ms; a `run` waits for it, so look often. */
const READY_POLL_MS = 2;
/** How long a supervisor of an older store layout has to stop its resolver and exit (its own shutdown waits 1 s for the resolver). */
const REPLACE_WAIT_MS = 3000;

/** The live supervisor named by the pid file, if that process is really ours. */
export const supervisorId = (): ProcessId | null => runningSupervisor()?.id ?? null;

/**
 * The live supervisor named by the pid file ("PID:START STORE_VERSION"), if that process is
 * really ours, and the store layout it reads (null: one a pont before store version 2 started,
 * whose pid file says none).
 */
function runningSupervisor(): { id: ProcessId; store: number | null } | null {
  let id: ProcessId | null;
  let store: number | null = null;
  try {
    const [pid, version] = readFileSync(pidFile(), 'utf8').trim().split(' ');
    id = parseProcessId(pid);
    if (version !== undefined && /^\d{1,4}$/.test(version)) store = Number(version);
  } catch {
    return null;
  }
  if (!id || !isAlive(id)) return null;
  try {
    const argv = readFileSync(`/proc/${id.pid}/cmdline`, 'utf8').split('\0');
    return argv.includes('--supervise') && argv.some((a) => a === 'dns' || a.endsWith('/dns/main.js')) ? { id, store } : null;
  } catch {
    return null;
  }
}


/** True when a UDP socket is bound to 127.0.0.11:53 in `netns` (read from its /proc view). */
export function dnsServedIn(netns: string): boolean {
  try {
    const table = inNetns(netns, () => readFileSync('/proc/thread-self/net/udp', 'utf8'));
    return table.includes(' 0B00007F:0035 ');
  } catch {
    return false;
  }
}

export interface EnsureOptions {
  /** The store as the caller just wrote it; read from disk when absent. */
  state?: State;
  /** Wait until this namespace's resolver socket exists (best effort, bounded by timeoutMs). */
  waitForNetns?: string;
  timeoutMs?: number;
}

/**
 * Starts the supervisor if a user-defined network exists and none runs. Resolves true when DNS is
 * (or, without waitForNetns, is being) served; never throws for a resolver that is slow to come.
 */
export async function ensureDnsRunning(opts: EnsureOptions = {}): Promise<boolean> {
  const state = opts.state ?? new Store().read();
  if (!storeWantsResolver(state)) return false;
  const running = runningSupervisor();
  // none, or one an older pont started (pont upgraded beside running containers): its resolver
  // cannot read this store's layout, and would keep the names of the last store it could; it
  // makes way for the supervisor and resolver on disk
  if (running?.store !== STORE_VERSION) {
    if (running) await stopSupervisor(running.id);
    spawnSupervisor();
  }
  if (!opts.waitForNetns) return true;
  // generous: a loaded machine can take seconds to start Node; normally this is ~0.5 s
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    if (dnsServedIn(opts.waitForNetns)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, READY_POLL_MS));
  }
}

/** SIGTERMs the supervisor, and waits until it has stopped its resolver and gone (SIGKILL after REPLACE_WAIT_MS). */
async function stopSupervisor(id: ProcessId): Promise<void> {
  const deadline = Date.now() + REPLACE_WAIT_MS;
  try {
    process.kill(id.pid, 'SIGTERM');
  } catch {
    return;
  }
  while (isAlive(id)) {
    if (Date.now() >= deadline) {
      try {
        process.kill(id.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * SIGTERMs the supervisor when no user-defined network is left; returns whether it did. Call it while
 * still holding the store lock, with the state just written, so that no `run` can add a
 * container between this check and the signal.
 */
export function stopDnsIfUnused(opts: { state?: State } = {}): boolean {
  const id = supervisorId();
  if (id === null) return false;
  const state = opts.state ?? new Store().read();
  if (storeWantsResolver(state)) return false;
  try {
    process.kill(id.pid, 'SIGTERM');
    return true;
  } catch {
    return false;
  }
}

function openLog(): number {
  mkdirSync(RUN_DIR, { recursive: true, mode: 0o755 });
  try {
    if (statSync(logFile()).size > LOG_ROTATE_BYTES) renameSync(logFile(), `${logFile()}.1`);
  } catch {
    // no log yet
  }
  return openSync(logFile(), 'a', 0o640);
}

export function spawnSupervisor(): void {
  const log = openLog();
  try {
    // a resolver replacing its dead supervisor calls this: its parent's name is not passed on
    const { [PARENT_ENV]: _parent, ...env } = process.env;
    if (canPosixSpawn()) {
      // a command's first container: ~8 ms less than Node's fork (kernel/spawn.ts)
      const devNull = openSync('/dev/null', 'r');
      try {
        posixSpawn(process.execPath, [MAIN, '--supervise'], { stdio: [devNull, log, log], env, setsid: true });
      } finally {
        closeSync(devNull);
      }
    } else {
      const child = childProcess().spawn(process.execPath, [MAIN, '--supervise'], { detached: true, stdio: ['ignore', log, log], env });
      child.unref();
    }
  } finally {
    closeSync(log);
  }
}

/** The supervisor's main loop; resolves with the process exit code once it has shut down. */
export function runSupervisor(): Promise<number> {
  mkdirSync(RUN_DIR, { recursive: true, mode: 0o755 });
  const lock = openSync(lockFile(), 'a');
  try {
    flock(lock, LOCK_EX | LOCK_NB);
  } catch {
    closeSync(lock);
    return Promise.resolve(0); // another supervisor holds it: that one serves
  }
  const logFd = openLog();
  const log = (line: string) => writeSync(logFd, `${new Date().toISOString()} dns-supervisor[${process.pid}] ${line}\n`);
  const self = processId(process.pid);
  if (!self) throw new Error('cannot read /proc/self/stat');
  // with the store layout this code reads: a pont of a later layout replaces it (ensureDnsRunning)
  writeFileSync(`${pidFile()}.tmp`, `${formatProcessId(self)} ${STORE_VERSION}\n`);
  renameSync(`${pidFile()}.tmp`, pidFile());
  log('started');

  return new Promise((resolve) => {
    let child: ChildProcess | null = null;
    let stopping = false;
    let delay = RESTART_MIN_MS;
    let restartTimer: NodeJS.Timeout | null = null;
    let idleSince: number | null = Date.now();
    const agent = agentChild(MAIN, logFd, log);

    const startChild = () => {
      restartTimer = null;
      const startedAt = Date.now();
      // stdin: a pipe we never write to; its end-of-file tells the child we died
      const c = childProcess().spawn(process.execPath, [MAIN], {
        stdio: ['pipe', logFd, logFd],
        env: { ...process.env, [PARENT_ENV]: formatProcessId(self) },
      });
      c.stdin?.on('error', () => {});
      child = c;
      let gone = false;
      const onGone = (why: string) => {
        if (gone) return;
        gone = true;
        child = null;
        if (stopping) return;
        delay = Date.now() - startedAt >= HEALTHY_RUN_MS ? RESTART_MIN_MS : delay;
        log(`resolver ${c.pid ?? '(not started)'} ${why}; restarting in ${delay} ms`);
        restartTimer = setTimeout(startChild, delay);
        delay = Math.min(delay * 2, RESTART_MAX_MS);
      };
      c.on('exit', (code, signal) => onGone(`exited (${signal ?? code})`));
      c.on('error', (e) => onGone(`could not run: ${e.message}`));
    };

    /** `idle`: our own decision, which can race with a container being added (see finish). */
    const shutdown = (why: string, idle = false) => {
      if (stopping) return;
      stopping = true;
      log(`stopping: ${why}`);
      watcher.stop();
      if (restartTimer) clearTimeout(restartTimer);
      const finish = () => {
        rmSync(pidFile(), { force: true });
        closeSync(lock);
        // ensureDnsRunning writes the store, then looks for us: a container added while we
        // were deciding to go idle saw us alive, so look at the store once more now we are gone
        // (a SIGTERM is obeyed as is: stopDnsIfUnused is called under the store lock)
        let needed = false;
        try {
          needed = idle && storeWantsResolver(new Store().read());
        } catch {
          // unreadable store: the next ensureDnsRunning decides
        }
        if (needed) spawnSupervisor();
        log(needed ? 'stopped; a user-defined network exists again: started a new supervisor' : 'stopped');
        closeSync(logFd);
        resolve(0);
      };
      const c = child as ChildProcess | null;
      const agentDone = agent.stop();
      if (!c) return void agentDone.then(finish);
      const kill = setTimeout(() => c.kill('SIGKILL'), 1000);
      c.once('exit', () => {
        clearTimeout(kill);
        void agentDone.then(finish);
      });
      c.kill('SIGTERM');
    };

    const watcher = new StoreWatcher({
      // the poll alone: each change would have it parse the store beside the resolver, on the
      // critical path of a `run` waiting for its namespace's resolver; the idle exit is in no hurry
      watch: false,
      onState: (s) => {
        agent.want(storeWantsAgent(s));
        idleSince = storeWantsResolver(s) ? null : (idleSince ?? Date.now());
      },
      onTick: () => {
        if (idleSince !== null && Date.now() - idleSince >= IDLE_EXIT_MS) shutdown('no user-defined network left', true);
      },
      onError: (e) => log(`store not read: ${e.message}`),
    });
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
    watcher.start();
    startChild();
  });
}
