// `pont container prune`: every stopped container, after a y/N question unless -f, as
// `docker container prune` (only under `container`, as in Docker).
import type { Command } from 'commander';
import { collect, parseFlags } from '../args.js';
import { confirm } from '../confirm.js';
import { withContext } from '../context.js';
import { say } from '../../kernel/stdio.js';

export function registerContainerPrune(program: Command, group: string): void {
  if (group === '') return;
  program
    .command('prune')
    .description('Remove all stopped containers')
    .option('-f, --force', 'Do not prompt for confirmation')
    .option('--filter <filter>', "Provide filter values (e.g. 'until=<timestamp>')", collect)
    .action(async (o) => {
      const { planPruneFilter } = await import('../../core/filters/prune.js');
      const keep = parseFlags(`${group}prune`, () => planPruneFilter(o.filter ?? []));
      // declined, Docker's CLI still says what it reclaimed
      const removed = !o.force && !(await confirm('WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] '))
        ? []
        : await withContext({}, async (ctx) => (await import('../../engine/container/index.js')).pruneContainers(ctx, keep));
      // a pont container takes no disk space of its own: nothing is reclaimed
      say(`${removed.length ? `Deleted Containers:\n${removed.join('\n')}\n\n` : ''}Total reclaimed space: 0B`);
    });
}
