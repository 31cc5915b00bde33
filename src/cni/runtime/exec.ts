// Finding and running one plugin executable: stdin in, stdout out, bounded in time, run in the
// caller's namespaces (spec §2: "in the runtime's networking domain"). node:child_process, as
// kernel/tool.ts does, for start-up time on the command path.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { callerEnvironment } from '../../core/env.js';
import { PontError } from '../../core/errors.js';
import { COMMAND_WORD, CniError } from './errors.js';
import { type CniCommand, parsePluginError } from './request.js';

export const DEFAULT_CNI_PATH = ['/usr/lib/cni', '/opt/cni/bin'];
export const DEFAULT_TIMEOUT_MS = 60_000;

/** CNI_PATH from the environment (":"-separated), else Debian's directory and the upstream one. */
export function defaultCniPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = (env.CNI_PATH ?? '').split(':').filter(Boolean);
  return dirs.length ? dirs : DEFAULT_CNI_PATH;
}

/** The first regular file named `type` in the path's directories (libcni's FindInPath). */
export function findPlugin(type: string, path: readonly string[]): string {
  for (const dir of path) {
    const candidate = join(dir, type);
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
  }
  throw new PontError(`CNI plugin "${type}" not found in ${path.length ? path.join(', ') : '(an empty CNI_PATH)'}`, { category: 'not-found' });
}

export interface PluginRun {
  /** the plugin's type, for messages */
  type: string;
  file: string;
  command: CniCommand;
  env: Record<string, string>;
  stdin: string;
  timeoutMs: number;
}

/** Runs a plugin; resolves to its stdout, rejects with a CniError carrying its msg and details. */
export function runPlugin(run: PluginRun): Promise<string> {
  const word = COMMAND_WORD[run.command];
  return new Promise((resolve, reject) => {
    // the caller's environment as the user set it: a plugin is no program of pont's (core/env.ts)
    const child = spawn(run.file, [], { env: { ...callerEnvironment(process.env), ...run.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, run.timeoutMs);
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new CniError(run.type, word, { code: 0, msg: `cannot run ${run.file}: ${e.message}` }, e));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(out);
      if (timedOut) return reject(new CniError(run.type, word, { code: 0, msg: `no answer within ${run.timeoutMs / 1000} s (killed)` }));
      reject(new CniError(run.type, word, parsePluginError(out, err, signal ? `killed by ${signal}` : `exit status ${code}`)));
    });
    // a plugin that exits without reading closes its stdin; its exit status tells what happened
    child.stdin.on('error', () => {});
    child.stdin.end(run.stdin);
  });
}
