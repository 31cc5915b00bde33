// `pont exec`: a command in a running container's namespaces; its exit code becomes pont's.
import type { Command } from 'commander';
import { DEFAULT_PATH } from '../../core/env.js';
import { PontError } from '../../core/errors.js';
import { argCountError, collect, refuseControl } from '../args.js';
import { readState } from '../context.js';
import { readEnv } from './env-flags.js';
import { requireContainer } from './shared.js';

export function registerExec(program: Command, group: string): void {
  program
    .command('exec')
    .description('Run a command in a running container')
    .argument('[args...]')
    .passThroughOptions()
    .option('-i, --interactive', 'Keep STDIN open even if not attached')
    .option('-t, --tty', 'Allocate a pseudo-TTY')
    .option('-d, --detach', 'Detached mode: run command in the background')
    .option('-e, --env <var>', 'Set environment variables', collect)
    .option('--env-file <file>', 'Read in a file of environment variables', collect)
    .action(async (args: string[], o) => {
      if (args.length < 2) throw argCountError(`${group}exec`, 'at least 2 arguments', '[OPTIONS] CONTAINER COMMAND [ARG...]', 'Run a command in a running container');
      const [ref, ...rest] = args;
      refuseControl('', [ref]);
      const cmd = rest[0] === '--' ? rest.slice(1) : rest;
      // Docker's exec words a file's error bare, exit 1 (observed): "open F: no such file or directory"
      const env = readEnv(o.env ?? [], o.envFile ?? [], `${group}exec`, (e) => {
        throw e instanceof PontError ? new PontError(e.message, { category: e.category, exitCode: 1, cause: e }) : e;
      }, true);
      const [state, { execArgv }, { spawn }] = await Promise.all([readState(), import('../../engine/container/exec.js'), import('node:child_process')]);
      const ctr = requireContainer(state, ref);
      const argv = execArgv(ctr, cmd, { tty: Boolean(o.tty), env });
      const child = spawn(argv[0], argv.slice(1), { stdio: o.detach ? 'ignore' : 'inherit', detached: Boolean(o.detach), env: { PATH: DEFAULT_PATH } });
      if (o.detach) {
        child.unref();
        return;
      }
      process.on('SIGINT', () => {});
      process.exitCode = await new Promise<number>((resolve) => {
        child.on('error', () => resolve(126));
        child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
      });
    });
}
