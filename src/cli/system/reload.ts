// `pont system reload`: pont's firewall, bridges and resolver laid again from the store.
import type { Command } from 'commander';
import { withContext } from '../context.js';

export function registerSystemReload(system: Command): void {
  system
    .command('reload')
    .description("Re-apply pont's firewall, bridges and resolver from the store (after a flush or a hand edit)")
    .option('--dry-run', 'Print the equivalent commands, change nothing')
    .option('--explain', 'Apply the change, and print the equivalent commands on stderr')
    .action(async (o) => {
      const { reloadSystem } = await import('../../engine/system/repair.js');
      await withContext({ dryRun: o.dryRun, explain: o.explain }, (ctx) => reloadSystem(ctx));
    });
}
