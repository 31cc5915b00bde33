// `pont system gc`: kernel objects with pont's names that no record owns are removed.
import type { Command } from 'commander';
import { withContext } from '../context.js';
import { say } from '../../kernel/stdio.js';

export function registerSystemGc(system: Command): void {
  system
    .command('gc')
    .description("Remove kernel objects with pont's names that no record owns")
    .option('--dry-run', 'Print the equivalent commands, change nothing')
    .option('--explain', 'Apply the change, and print the equivalent commands on stderr')
    .action(async (o) => {
      const { collectGarbage } = await import('../../engine/system/repair.js');
      const removed = await withContext({ dryRun: o.dryRun, explain: o.explain }, (ctx) => collectGarbage(ctx));
      if (!o.dryRun) for (const name of removed) say(name);
    });
}
