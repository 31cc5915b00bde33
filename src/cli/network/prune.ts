// `pont network prune`: every network no container uses, after a y/N question unless -f.
import type { Command } from 'commander';
import { collect, parseFlags } from '../args.js';
import { withContext } from '../context.js';
import { say } from '../../kernel/stdio.js';
import { confirm } from '../confirm.js';

export function registerNetworkPrune(network: Command): void {
  network
    .command('prune')
    .description('Remove all unused networks')
    .option('-f, --force', 'Do not prompt for confirmation')
    .option('--filter <filter>', "Provide filter values (e.g. 'until=<timestamp>')", collect)
    .option('--dry-run', 'Print the equivalent ip/iptables commands, change nothing')
    .option('--explain', 'Apply the change, and print the equivalent commands on stderr')
    .action(async (o) => {
      const { planPruneFilter } = await import('../../core/filters/prune.js');
      const keep = parseFlags('network prune', () => planPruneFilter(o.filter ?? []));
      if (!o.force && !(await confirm('WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] '))) {
        return;
      }
      const { pruneNetworks } = await import('../../engine/network/index.js');
      const removed = await withContext({ dryRun: o.dryRun, explain: o.explain }, (ctx) => pruneNetworks(ctx, keep));
      if (removed.length && !o.dryRun) say(`Deleted Networks:\n${removed.join('\n')}\n`);
    });
}
