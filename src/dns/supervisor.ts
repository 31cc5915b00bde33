// Keeps one resolver running while any container needs DNS, and none otherwise.
//
//   pont run / network connect ──ensureDnsRunning()──▶ supervisor (detached, pid file)
//                                                        └─▶ resolver child (restarted on death)
//   pont rm / network disconnect ──stopDnsIfUnused()──▶ SIGTERM to the supervisor
//
// The supervisor holds an flock on /run/pont/dns.lock for its lifetime (two racing
// ensureDnsRunning calls start one supervisor: the loser exits at once), writes its pid to
// /run/pont/dns.pid, appends its and the resolver's output to /run/pont/dns.log, restarts a
// dead resolver after 50 ms (doubling up to 5 s while it keeps dying young), and exits (child
// killed, pid file removed) on SIGTERM or once the store has needed no DNS for 2 s.
// ensureDnsRunning/stopDnsIfUnused cost one store read and one pid check when nothing changes.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { State } from '../core/model.js';
import { Store } from '../engine/store.js';
import { inNetns } from '../kernel/netns.js';
import { flock, LOCK_EX } from '../kernel/syscalls.js';
import { storeNeedsDns } from './scope.js';
import { StoreWatcher } from './watch.js';

export const runDir = (): string => '/run/pont';
export const pidFile = (): string => `${runDir()}/dns.pid`;
export const logFile = (): string => `${runDir()}/dns.log`;
const lockFile = (): string => `${runDir()}/dns.lock`;
const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

const LOCK_NB = 4;
const IDLE_EXIT_MS = 2000;
const RESTART_MIN_MS = 50;
const RESTART_MAX_MS = 5000;
/** A child that lived this long is healthy: its next death restarts at the minimum delay. */
const HEALTHY_RUN_MS = 10_000;
const LOG_ROTATE_BYTES = 1 << 20;

/** pid of the live supervisor named by the pid file, if that process is really ours. */
export function supervisorPid(): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile(), 'utf8'), 10);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    // a recycled pid runs something else: only a `... dns ... --supervise` process counts
    return argv.includes('--supervise') && argv.some((a) => a === 'dns' || a.endsWith('/dns/main.js')) ? pid : null;
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
 * Starts the supervisor if a container needs DNS and none runs. Resolves true when DNS is
 * (or, without waitForNetns, is being) served; never throws for a resolver that is slow to come.
 */
export async function ensureDnsRunning(opts: EnsureOptions = {}): Promise<boolean> {
  const state = opts.state ?? new Store().read();
  if (!storeNeedsDns(state)) return false;
  if (supervisorPid() === null) spawnSupervisor();
  if (!opts.waitForNetns) return true;
  // generous: a loaded machine can take seconds to start Node; normally this is ~0.5 s
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    if (dnsServedIn(opts.waitForNetns)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * SIGTERMs the supervisor when no container needs DNS; returns whether it did. Call it while
 * still holding the store lock, with the state just written, so that no `run` can add a
 * container between this check and the signal.
 */
export function stopDnsIfUnused(opts: { state?: State } = {}): boolean {
  const pid = supervisorPid();
  if (pid === null) return false;
  const state = opts.state ?? new Store().read();
  if (storeNeedsDns(state)) return false;
  try {
    process.kill(pid, 'SIGTERM');
    return true;
  } catch {
    return false;
  }
}

function openLog(): number {
  mkdirSync(runDir(), { recursive: true, mode: 0o755 });
  try {
    if (statSync(logFile()).size > LOG_ROTATE_BYTES) renameSync(logFile(), `${logFile()}.1`);
  } catch {
    // no log yet
  }
  return openSync(logFile(), 'a', 0o640);
}

function spawnSupervisor(): void {
  const log = openLog();
  try {
    const child = spawn(process.execPath, [MAIN, '--supervise'], { detached: true, stdio: ['ignore', log, log] });
    child.unref();
  } finally {
    closeSync(log);
  }
}

/** The supervisor's main loop; resolves with the process exit code once it has shut down. */
export function runSupervisor(): Promise<number> {
  mkdirSync(runDir(), { recursive: true, mode: 0o755 });
  const lock = openSync(lockFile(), 'a');
  try {
    flock(lock, LOCK_EX | LOCK_NB);
  } catch {
    closeSync(lock);
    return Promise.resolve(0); // another supervisor holds it: that one serves
  }
  const logFd = openLog();
  const log = (line: string) => writeSync(logFd, `${new Date().toISOString()} dns-supervisor[${process.pid}] ${line}\n`);
  writeFileSync(`${pidFile()}.tmp`, `${process.pid}\n`);
  renameSync(`${pidFile()}.tmp`, pidFile());
  log('started');

  return new Promise((resolve) => {
    let child: ChildProcess | null = null;
    let stopping = false;
    let delay = RESTART_MIN_MS;
    let restartTimer: NodeJS.Timeout | null = null;
    let idleSince: number | null = Date.now();

    const startChild = () => {
      restartTimer = null;
      const startedAt = Date.now();
      const c = spawn(process.execPath, [MAIN], {
        stdio: ['ignore', logFd, logFd],
        env: { ...process.env, PONT_DNS_PARENT: String(process.pid) },
      });
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
          needed = idle && storeNeedsDns(new Store().read());
        } catch {
          // unreadable store: the next ensureDnsRunning decides
        }
        if (needed) spawnSupervisor();
        log(needed ? 'stopped; a container needs DNS again: started a new supervisor' : 'stopped');
        closeSync(logFd);
        resolve(0);
      };
      const c = child as ChildProcess | null;
      if (!c) return finish();
      const kill = setTimeout(() => c.kill('SIGKILL'), 1000);
      c.once('exit', () => {
        clearTimeout(kill);
        finish();
      });
      c.kill('SIGTERM');
    };

    const watcher = new StoreWatcher({
      onState: (s) => {
        idleSince = storeNeedsDns(s) ? null : (idleSince ?? Date.now());
      },
      onTick: () => {
        if (idleSince !== null && Date.now() - idleSince >= IDLE_EXIT_MS) shutdown('no container needs DNS', true);
      },
      onError: (e) => log(`store not read: ${e.message}`),
    });
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
    watcher.start();
    startChild();
  });
}
