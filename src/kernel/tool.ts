// Running a firewall tool (iptables-restore, nft): one process, its input on stdin, bounded in
// time. posix_spawn (spawn.ts) where koffi is, ~8 ms less than Node's fork on every batch;
// node:child_process otherwise (never execa here: its import alone costs ~200 ms, more than the
// whole command should take; execa serves the non-hot paths: container processes, tests).
import { closeSync, read, write } from 'node:fs';
import { KernelError } from '../core/errors.js';
import { canPosixSpawn, pipe, pollExit, posixSpawn, type Exit } from './spawn.js';

/** A firewall tool that hangs (a stuck xtables lock holder, a wedged nft) must not hold pont's lock. */
export const TOOL_TIMEOUT_MS = 30_000;


export function runTool(cmd: string, args: string[], input?: string): Promise<string> {
  return canPosixSpawn() ? runSpawned(cmd, args, input ?? '') : runForked(cmd, args, input);
}

const failure = (command: string, exit: Exit, err: string, timedOut: boolean) =>
  timedOut
    ? new KernelError(command, `no answer within ${TOOL_TIMEOUT_MS / 1000} s (killed by SIGKILL)`)
    : new KernelError(command, err.trim() || (exit.code === null ? `killed by signal ${exit.signal}` : `exit ${exit.code}`));

/**
 * Input and output go through libuv's thread pool (fs.write, fs.read on the pipes; the `net`
 * module is not loaded for them): the write is queued first, so it never waits behind a read of
 * its own tool, and stdout and stderr are read at once (a tool that fills one pipe while pont
 * waits on the other would hang). A tool holds up to three of the pool's four threads while it
 * runs; a command runs one at a time, and the resident service keeps Node's spawn (spawn.ts).
 */
async function runSpawned(cmd: string, args: string[], input: string): Promise<string> {
  const command = `${cmd} ${args.join(' ')}`;
  const opened: number[] = [];
  let stdin: [number, number];
  let stdout: [number, number];
  let stderr: [number, number];
  let pid: number;
  try {
    stdin = pipe();
    opened.push(...stdin);
    stdout = pipe();
    opened.push(...stdout);
    stderr = pipe();
    opened.push(...stderr);
    pid = posixSpawn(cmd, args, { stdio: [stdin[0], stdout[1], stderr[1]], env: process.env });
  } catch (e) {
    for (const fd of opened) closeSync(fd);
    throw new KernelError(command, (e as Error).message, e);
  }
  // the child's ends are the child's now
  for (const fd of [stdin[0], stdout[1], stderr[1]]) closeSync(fd);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }, TOOL_TIMEOUT_MS);
  writeAll(stdin[1], Buffer.from(input));
  const [out, err] = await Promise.all([readAll(stdout[0]), readAll(stderr[0])]);
  const exit = await waitExit(pid);
  clearTimeout(timer);
  if (out instanceof Error) throw new KernelError(command, `reading its output: ${out.message}`, out);
  if (exit.code === 0) return out;
  throw failure(command, exit, err instanceof Error ? '' : err, timedOut);
}

const retried = (e: NodeJS.ErrnoException) => e.code === 'EINTR' || e.code === 'EAGAIN';

/** Writes, then closes. A tool that exits early closes its stdin: its exit code tells what happened. */
function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  const next = (): void => {
    if (off >= buf.length) return closeSync(fd);
    write(fd, buf, off, buf.length - off, null, (e, n) => {
      if (e && !retried(e)) return closeSync(fd); // EPIPE: the tool is gone
      off += e ? 0 : n;
      next();
    });
  };
  next();
}

/** Everything until end of file, or the error that stopped the read; the fd is closed then. */
function readAll(fd: number): Promise<string | Error> {
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    const next = () =>
      read(fd, Buffer.allocUnsafe(65536), 0, 65536, null, (e, n, b) => {
        if (e && retried(e)) return next();
        if (e || n === 0) {
          closeSync(fd);
          resolve(e ?? Buffer.concat(chunks).toString());
        } else {
          chunks.push(b.subarray(0, n));
          next();
        }
      });
    next();
  });
}

/** The child has closed its output: it is ending; its exit is collected within a few polls. */
const waitExit = (pid: number): Promise<Exit> => new Promise((resolve) => pollExit(pid, resolve));

async function runForked(cmd: string, args: string[], input?: string): Promise<string> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL' });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => reject(new KernelError(`${cmd} ${args.join(' ')}`, e.message, e)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve(out);
      else if (signal) reject(new KernelError(`${cmd} ${args.join(' ')}`, `no answer within ${TOOL_TIMEOUT_MS / 1000} s (killed by ${signal})`));
      else reject(new KernelError(`${cmd} ${args.join(' ')}`, err.trim() || `exit ${code}`));
    });
    // A tool that exits early closes its stdin; its exit code tells what happened.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}
