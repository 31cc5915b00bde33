// The container's process. A small monitor shell (one per container, ~1 MB) starts the command
// inside the container's namespaces, writes its pid, waits for it and reports the exit to
// `pont container-exited`, which records it (and removes a --rm container). Detached monitors
// lead their own session, so `rm -f` can kill the container's whole process group.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PontError } from '../core/errors.js';

export const RUN_DIR = process.env.PONT_RUN_DIR ?? '/run/pont';
export const containerRunDir = (id: string) => `${RUN_DIR}/containers/${id}`;

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));

// $1 id, $2 netns ("" = host's), $3 hostname, $4 pid file; then the command.
// fd 3 carries stdin past `&`, which would otherwise get /dev/null in a non-interactive shell.
const MONITOR = `
id=$1; ns=$2; host=$3; pidfile=$4; shift 4
exec 3<&0
if [ -n "$ns" ]; then
  ip netns exec "$ns" unshare --uts sh -c 'hostname "$0" && exec "$@"' "$host" "$@" <&3 3<&- &
else
  "$@" <&3 3<&- &
fi
echo $! > "$pidfile"
exec 3<&-
wait $!
code=$?
exec "${process.execPath}" "${MAIN}" container-exited "$id" "$code"
`;

export interface ProcessSpec {
  id: string;
  netns: string;
  hostname: string;
  cmd: string[];
  detach: boolean;
  /** -i: keep stdin open (detached: a FIFO that never reports end-of-file). */
  interactive: boolean;
}

export interface Started {
  pid: number;
  monitorPid: number;
  /** The monitor, when attached (foreground run): wait for it. */
  child?: ChildProcess;
}

export const logPath = (id: string) => `${containerRunDir(id)}/container.log`;

export async function startProcess(spec: ProcessSpec): Promise<Started> {
  const dir = containerRunDir(spec.id);
  mkdirSync(dir, { recursive: true });
  const pidfile = `${dir}/pid`;
  rmSync(pidfile, { force: true });
  const args = ['-c', MONITOR, 'pont-monitor', spec.id, spec.netns, spec.hostname, pidfile, ...spec.cmd];
  let child: ChildProcess;
  if (spec.detach) {
    const log = openSync(logPath(spec.id), 'a');
    let stdin: number | 'ignore' = 'ignore';
    if (spec.interactive) {
      const fifo = `${dir}/stdin`;
      if (!existsSync(fifo)) await mkfifo(fifo);
      stdin = openSync(fifo, constants.O_RDWR);
    }
    child = spawn('sh', args, { detached: true, stdio: [stdin, log, log] });
    child.unref();
    closeSync(log);
    if (typeof stdin === 'number') closeSync(stdin);
  } else {
    child = spawn('sh', args, { stdio: 'inherit' });
  }
  const pid = await waitForPidFile(pidfile, child);
  return { pid, monitorPid: child.pid!, ...(spec.detach ? {} : { child }) };
}

function mkfifo(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('mkfifo', ['-m', '600', path], { stdio: 'ignore' });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new PontError(`mkfifo ${path} failed`))));
    p.on('error', reject);
  });
}

async function waitForPidFile(path: string, child: ChildProcess): Promise<number> {
  for (let i = 0; i < 2500; i++) {
    try {
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (pid > 0) return pid;
    } catch {
      // not written yet
    }
    if (child.exitCode !== null) throw new PontError(`the container's process did not start (monitor exited ${child.exitCode})`);
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new PontError('the container process did not start within 5 s');
}

export function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    // a zombie is not alive
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Kills the monitor first (so it does not report), then the container's processes. */
export function killContainer(pid: number, monitorPid: number, detached: boolean): void {
  const kill = (target: number) => {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  if (monitorPid > 0) kill(monitorPid);
  if (detached && monitorPid > 0) kill(-monitorPid);
  if (pid > 0) kill(pid);
}
