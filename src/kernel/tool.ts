// Running a firewall tool (iptables-restore, nft): one process, its input on stdin, bounded in
// time. node:child_process rather than execa here: execa's import alone costs ~200 ms, more than
// the whole command should take; execa serves the non-hot paths (container processes, tests).
import { spawn } from 'node:child_process';
import { KernelError } from '../core/errors.js';

/** A firewall tool that hangs (a stuck xtables lock holder, a wedged nft) must not hold pont's lock. */
export const TOOL_TIMEOUT_MS = 30_000;

export function runTool(cmd: string, args: string[], input?: string): Promise<string> {
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
