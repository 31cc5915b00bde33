// `pont exec`: a command in a running container's namespaces; its exit code becomes pont's.
import type { Command } from 'commander';
import { containerEnv, DEFAULT_PATH } from '../../core/env.js';
import { PontError } from '../../core/errors.js';
import { argCountError, refuseControl } from '../args.js';
import { readState } from '../context.js';
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
    .action(async (args: string[], o) => {
      if (args.length < 2) throw argCountError(`${group}exec`, 'at least 2 arguments', '[OPTIONS] CONTAINER COMMAND [ARG...]', 'Run a command in a running container');
      const [ref, ...rest] = args;
      refuseControl('', [ref]);
      const cmd = rest[0] === '--' ? rest.slice(1) : rest;
      const [state, { isAlive }, { withContainerCaps }, { spawn }, { hostname }] = await Promise.all([
        readState(),
        import('../../kernel/process.js'),
        import('../../core/steps.js'),
        import('node:child_process'),
        import('node:os'),
      ]);
      const ctr = requireContainer(state, ref);
      if (!ctr.running || !isAlive(ctr)) throw new PontError(`Error response from daemon: Container ${ctr.id} is not running`, { category: 'conflict' });
      // Docker's exec environment is the container's, with TERM for the exec's own -t
      // and the container's capabilities only, as its main process (process.ts)
      const inEnv = withContainerCaps(['env', '-i', '--', ...containerEnv(ctr, Boolean(o.tty), hostname()), ...cmd]);
      const argv = ctr.netns ? ['ip', 'netns', 'exec', ctr.netns, 'nsenter', '-t', String(ctr.pid), '--uts', '--', ...inEnv] : inEnv;
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
