// The process that holds a throwaway host's namespaces: `unshare` runs a shell script (INIT) that
// sets the host up, prints READY, then blocks reading a pipe from this process. Closing the pipe
// (or this process dying) ends the shell, and with it, as the pid namespace's init, everything
// started inside. Used by the test sandboxes and by the parity suite's Docker engine.
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

/** Starts INIT in new network + mount + pid namespaces and waits for its READY line. */
export async function startInit(script: string, what: string, timeoutMs: number): Promise<NamespaceInit> {
  const child = spawn('unshare', ['--net', '--mount', '--pid', '--fork', '--mount-proc', '--kill-child', 'bash', '-c', script], {
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
  const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/);
  return { child, pid: Number(children[0]) };
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
