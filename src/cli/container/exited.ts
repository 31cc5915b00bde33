// `pont container-exited` (hidden): the monitor reports a container's end, to record it and
// remove a --rm container; pont exits with the container's code.
import type { Command } from 'commander';
import { withContext } from '../context.js';

export function registerContainerExited(program: Command): void {
  program
    .command('container-exited', { hidden: true })
    .description("internal: the monitor reports a container's exit")
    .argument('<id>')
    .argument('<code>')
    .action(async (id: string, code: string) => {
      const { containerExited } = await import('../../engine/container/index.js');
      await withContext({}, (ctx) => containerExited(ctx, id, Number(code)));
      process.exitCode = Number(code);
    });
}
