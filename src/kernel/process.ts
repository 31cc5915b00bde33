// The container's process. A small monitor shell (one per container, ~1 MB) starts the command
// inside the container's namespaces, writes its pid, waits for it and reports the exit to
// `pont container-exited`, which records it (and removes a --rm container). Detached monitors
// lead their own session, so `rm -f` can kill the container's whole process group.
// Pids are recorded with their start times, and a pid is signalled only while it still names the
// process pont started: after a pid is recycled, an unrelated process is never killed. (Between
// the check and the signal, the pid would have to be freed and handed round the whole pid space
// again; a pidfd would close even that window, at the cost of loading koffi for every signal.)
import type { ChildProcess } from 'node:child_process';
import { childProcess } from './child-process.js';
import { chmodSync, closeSync, existsSync, fchmodSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PATH } from '../core/env.js';
import { PontError } from '../core/errors.js';
import { CONTAINER_ENTRY, containerCommand, type ProcessSpec, type ProcessTarget, withContainerCaps } from '../core/steps.js';
import { containerRunDir, logPath, pidPath } from './run-dir.js';
import { canPosixSpawn, type Exit, posixSpawn, reapChild } from './spawn.js';
import { type ProcStat, procStat } from './proc-stat.js';

// The CLI's entry. Relative to this module in dist/src, and to the bundle holding it in
// dist/bundle (scripts/bundle.mjs), where each program is one file as deep as its source.
const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));

// $1 id, $2 netns ("" = host's), $3 hostname, $4 pid file, $5 log ("" = none); then the command
// (under setpriv). fd 3 carries stdin past `&`, which would otherwise get /dev/null in a
// non-interactive shell. With a log (a foreground run without -t), the command's stdout and
// stderr are two fifos, each read by a tee that writes to the monitor's own stdout or stderr (the
// caller's terminal) and appends to the log, as dockerd's json-file keeps an attached container's
// output; the tees ignore INT, QUIT and HUP (a Ctrl-C is the container's), and the exit is
// reported once they have written everything. A process the command left behind may hold its
// output open: once both tees have sat idle for 0.5 s, they are ended. They outlive pont if it
// dies, as the terminal did before.
const MONITOR = `
id=$1; ns=$2; host=$3; pidfile=$4; log=$5; shift 5
exec 3<&0
if [ -n "$log" ]; then
  rm -f "$log.out" "$log.err" && mkfifo -m 600 "$log.out" "$log.err" || exit 125
  (trap '' INT QUIT HUP; exec tee -a "$log" <"$log.out") 3<&- &
  tout=$!
  (trap '' INT QUIT HUP; exec tee -a "$log" <"$log.err" >&2) 3<&- &
  terr=$!
  exec 6>&1 7>&2 1>"$log.out" 2>"$log.err"
  rm -f "$log.out" "$log.err"
fi
if [ -n "$ns" ]; then
  ip netns exec "$ns" unshare --uts sh -c '${CONTAINER_ENTRY}' "$host" "$@" <&3 3<&- 6>&- 7>&- &
else
  "$@" <&3 3<&- 6>&- 7>&- &
fi
echo $! > "$pidfile"
exec 3<&-
if [ -n "$log" ]; then exec 1>&6 2>&7 6>&- 7>&-; fi
wait $!
code=$?
if [ -n "$log" ]; then
  # EOF ends each tee. A process the command left behind may hold its output open: the tees are
  # ended once both have sat 0.5 s waiting on an empty fifo (wchan *pipe_read), never while one
  # still writes (a slow reader: nothing is cut); a kernel that hides wchan gets the plain wait
  (trap 'kill $s; exit 0' TERM
   idle=0
   while [ $idle -lt 5 ]; do
     sleep 0.1 & s=$!; wait $s
     idle=$((idle + 1))
     for p in $tout $terr; do
       w=; read -r w < /proc/$p/wchan
       case "$w" in ''|*pipe_read) ;; *) idle=0 ;; esac
     done
   done
   kill $tout $terr) 2>/dev/null &
  guard=$!
  wait $tout $terr 2>/dev/null
  kill $guard 2>/dev/null
  wait $guard 2>/dev/null
fi
exec "${process.execPath}" "${MAIN}" container-exited "$id" "$code"
`;

export interface Started {
  pid: number;
  monitorPid: number;
  pidStart?: number;
  monitorPidStart?: number;
  /** The monitor, when attached (foreground run): wait for it. */
  child?: ChildProcess;
}

export async function startProcess(spec: ProcessSpec): Promise<Started> {
  const dir = containerRunDir(spec.id);
  // The container's output, pid and stdin are its owner's (root's) alone: 0700 and 0600, also
  // when a directory or log of an older pont is reused.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const pidfile = pidPath(spec.id);
  rmSync(pidfile, { force: true });
  writeFileSync(pidfile, '', { mode: 0o600 }); // the monitor's `>` keeps this mode; empty is "not yet"
  // `env -i` at the end of the chain: the shells on the way (dash exports PWD) add nothing
  const logged = !spec.detach && !spec.tty;
  const args = ['-c', MONITOR, 'pont-monitor', spec.id, spec.netns, spec.hostname, pidfile, logged ? logPath(spec.id) : '', ...withContainerCaps(containerCommand(spec.env, spec.cmd))];
  const env = { PATH: DEFAULT_PATH };
  if (spec.detach) {
    const log = openSync(logPath(spec.id), 'a', 0o600);
    fchmodSync(log, 0o600);
    let stdin: number | 'ignore' = 'ignore';
    if (spec.interactive) {
      const fifo = `${dir}/stdin`;
      if (!existsSync(fifo)) await mkfifo(fifo);
      stdin = openSync(fifo, constants.O_RDWR);
    }
    let monitorPid: number;
    let exited: () => number | null;
    if (canPosixSpawn()) {
      // ~8 ms less than Node's fork (spawn.ts); its exit, if it ends this early, is ours to collect
      const stdinFd = typeof stdin === 'number' ? stdin : openSync('/dev/null', 'r');
      try {
        monitorPid = posixSpawn('sh', args, { stdio: [stdinFd, log, log], env, setsid: true });
      } catch (e) {
        throw new PontError(`the container's process did not start: ${(e as Error).message}`, { cause: e });
      } finally {
        closeSync(log);
        closeSync(stdinFd);
      }
      let exit: Exit | null = null;
      exited = () => ((exit ??= reapChild(monitorPid)) ? exit.code ?? 128 + (exit.signal ?? 0) : null);
    } else {
      const child = childProcess().spawn('sh', args, { detached: true, stdio: [stdin, log, log], env });
      child.unref();
      closeSync(log);
      if (typeof stdin === 'number') closeSync(stdin);
      monitorPid = child.pid!;
      exited = () => child.exitCode;
    }
    const pid = await waitForPidFile(pidfile, exited);
    return started(pid, monitorPid);
  }
  if (logged) {
    // made here, root's alone, as a detached container's (the tees append to it)
    closeSync(openSync(logPath(spec.id), 'a', 0o600));
    chmodSync(logPath(spec.id), 0o600);
  }
  const child = childProcess().spawn('sh', args, { stdio: 'inherit', env });
  const pid = await waitForPidFile(pidfile, () => child.exitCode);
  return { ...started(pid, child.pid!), child };
}

/** Read now, while both are pont's (a process that already ended gets none: never signalled). */
const started = (pid: number, monitorPid: number): Started => ({ pid, monitorPid, pidStart: procStat(pid)?.start, monitorPidStart: procStat(monitorPid)?.start });


function mkfifo(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = childProcess().spawn('mkfifo', ['-m', '600', path], { stdio: 'ignore' });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new PontError(`mkfifo ${path} failed`))));
    p.on('error', reject);
  });
}

/** `exited`: the monitor's exit code once it has ended, else null. */
async function waitForPidFile(path: string, exited: () => number | null): Promise<number> {
  for (let i = 0; i < 2500; i++) {
    try {
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (pid > 0) return pid;
    } catch {
      // not written yet
    }
    const code = exited();
    if (code !== null) throw new PontError(`the container's process did not start (monitor exited ${code})`);
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new PontError('the container process did not start within 5 s');
}

/** The recorded processes of a container (a ContainerRecord is one). */
export type ContainerProcesses = Omit<ProcessTarget, 'id'>;

const sameFile = (a: string, b: string) => {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
};

/**
 * Whether `pid` is still the process pont recorded. With a start time, it must match. A record
 * of an older pont has none: its container process counts as pont's only while it is inside the
 * container's own network namespace, and its monitor (in the host's namespace) never does.
 */
function owned(pid: number, start: number | undefined, netns: string): ProcStat | undefined {
  const st = procStat(pid);
  if (!st || st.state === 'Z') return undefined;
  if (start !== undefined) return st.start === start ? st : undefined;
  return netns && sameFile(`/proc/${pid}/ns/net`, `/run/netns/${netns}`) ? st : undefined;
}

/** The container's main process is alive and still the one pont started. */
export function isAlive(c: ContainerProcesses): boolean {
  return owned(c.pid, c.pidStart, c.netns) !== undefined;
}

/** The container's monitor is alive and still the one pont started. */
export function monitorAlive(c: ContainerProcesses): boolean {
  return owned(c.monitorPid, c.monitorPidStart, '') !== undefined;
}

const kill = (target: number, signal: NodeJS.Signals | number) => {
  try {
    process.kill(target, signal);
  } catch {
    // already gone
  }
};

/** Signals the container's main process if it is still the one pont started; false if not. */
/** `signal`: a name Node knows, or a number (the real-time signals). */
export function signalContainer(c: ContainerProcesses, signal: NodeJS.Signals | number): boolean {
  if (!isAlive(c)) return false;
  kill(c.pid, signal);
  return true;
}

/**
 * Kills the monitor first (so it does not report), then the container's processes: all of them
 * through the monitor's process group when detached. Each pid is checked first (see owned); the
 * group only when the monitor, or the main process inside it, is still pont's.
 */
export function killContainer(c: ContainerProcesses, detached: boolean): void {
  const monitor = owned(c.monitorPid, c.monitorPidStart, '');
  const main = owned(c.pid, c.pidStart, c.netns);
  const group = detached && c.monitorPid > 0 && (monitor !== undefined || main?.pgrp === c.monitorPid);
  if (monitor) kill(c.monitorPid, 'SIGKILL');
  if (group) kill(-c.monitorPid, 'SIGKILL');
  if (main) kill(c.pid, 'SIGKILL');
}

/**
 * Undoes a start whose pids were never recorded (a crash, or a failure while it started): kills
 * what was started after tick `since` for container `id` — its process (the pid file's, or any in
 * its namespace) and that process's parent, the monitor, with its group when detached. Nothing
 * older than `since` (the start of the pont process that made the container) is signalled.
 */
export function killStartedSince(id: string, netns: string, since: number, detached: boolean): void {
  const fresh = (pid: number) => {
    const st = procStat(pid);
    return st && st.state !== 'Z' && st.start >= since ? st : undefined;
  };
  const pids = new Set<number>();
  const fromFile = Number((readIfThere(pidPath(id)) ?? '').trim());
  if (fromFile > 0 && fresh(fromFile)) pids.add(fromFile);
  if (netns) for (const pid of processesInNetns(netns)) if (fresh(pid)) pids.add(pid);
  for (const pid of pids) {
    const parent = procStat(pid)?.ppid ?? 0;
    if (parent > 1 && parent !== process.pid && fresh(parent)) {
      kill(parent, 'SIGKILL');
      if (detached && fresh(parent)?.pgrp === parent) kill(-parent, 'SIGKILL');
    }
    kill(pid, 'SIGKILL');
  }
}

function readIfThere(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The pids whose network namespace is /run/netns/NAME (none when it is gone). */
function processesInNetns(name: string): number[] {
  let ino: number;
  try {
    ino = statSync(`/run/netns/${name}`).ino;
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${pid}/ns/net`).includes(`[${ino}]`)) out.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}
