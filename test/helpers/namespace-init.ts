// The process that holds a throwaway host's namespaces: `unshare` runs a shell script (INIT) that
// sets the host up, prints READY, then blocks reading a pipe from this process. Closing the pipe
// (or this process dying) ends the shell, and with it, as the pid namespace's init, everything
// started inside. Used by the test sandboxes, the cluster world's hosts (namespaces nested in a
// sandbox's) and the parity suite's Docker engine.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  timeoutMs?: number;
  env?: Record<string, string>;
  input?: string;
}

export interface NamespaceInit {
  child: ChildProcess;
  /** The namespaces' init (the shell), for nsenter. */
  pid: number;
}

export interface StartOptions {
  /** Create the new namespaces from inside those of this process (its net, mount and pid), not the caller's. */
  inside?: number;
}

/** Starts INIT in new network + mount + pid namespaces and waits for its READY line. */
export async function startInit(script: string, what: string, timeoutMs: number, opts: StartOptions = {}): Promise<NamespaceInit> {
  const unshare = ['unshare', '--net', '--mount', '--pid', '--fork', '--mount-proc', '--kill-child', 'bash', '-c', script];
  const [command, ...args] = opts.inside ? ['nsenter', '--target', String(opts.inside), '--net', '--mount', '--pid', '--', ...unshare] : unshare;
  const child = spawn(command, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      // never leave a half-started host behind (it would also keep the test worker alive)
      child.kill('SIGKILL');
      reject(new Error(`${what} did not start within ${timeoutMs / 1000} s: ${err}`));
    }, timeoutMs);
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}): ${err}`));
    });
  });
  return { child, pid: findInit(child.pid!) };
}

/**
 * The first process below `pid` (following each one's only child: unshare, or nsenter then
 * unshare) that is pid 1 of its own pid namespace: the innermost of its NSpid line is 1.
 */
function findInit(pid: number): number {
  for (let p = pid; p; p = Number(readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/)[0])) {
    const nspid = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))![1].split(/\s+/);
    if (nspid.length > 1 && nspid.at(-1) === '1') return p;
  }
  throw new Error(`no namespace init below process ${pid}`);
}

/** Runs a bash command inside the namespaces of `pid`, bounded in time. Never throws on exit codes. */
export async function shIn(pid: number, command: string, env: Record<string, string>, opts: RunOptions = {}): Promise<RunResult> {
  const r = await execa('nsenter', ['--target', String(pid), '--net', '--mount', '--pid', '--', 'bash', '--norc', '-c', command], {
    reject: false,
    timeout: opts.timeoutMs ?? 60_000,
    env: { ...env, ...opts.env },
    extendEnv: true,
    input: opts.input ?? '',
    stripFinalNewline: false,
  });
  if (r.timedOut) throw new Error(`timed out: ${command}`);
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
}

/** Closes the init's pipe and waits for the namespaces to end (SIGKILL after `graceMs`). */
export async function stopInit(child: ChildProcess, graceMs: number): Promise<void> {
  child.stdin!.end();
  await new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, graceMs);
    child.on('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
