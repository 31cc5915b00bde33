// `pont rm`: the engine removes the named containers and reports each failure itself.
import type { Command } from 'commander';
import { PontError } from '../../core/errors.js';
import { withContext } from '../context.js';
import { requireRefs } from './shared.js';

export function registerRm(program: Command, group: string): void {
  program
    .command('rm')
    .description('Remove one or more containers')
    .argument('[containers...]')
    .option('-f, --force', 'Force the removal of a running container (uses SIGKILL)')
    // a pont container has no volumes (docs/differences.md, D-no-images): taken, for `rm -fv`
    .option('-v, --volumes', 'Remove anonymous volumes associated with the container (a pont container has none)')
    .option('--dry-run', 'Print the equivalent ip/iptables commands, change nothing')
    .option('--explain', 'Apply the change, and print the equivalent commands on stderr')
    .action(async (refs: string[], o) => {
      requireRefs(`${group}rm`, 'Remove one or more containers', refs);
      const { removeContainers } = await import('../../engine/container/index.js');
      const ok = await withContext({ dryRun: o.dryRun, explain: o.explain }, (ctx) => removeContainers(ctx, refs, Boolean(o.force)));
      if (!ok) throw new PontError('', { exitCode: 1 });
    });
}
