// `pont network rm` (alias remove): each named network in turn, as Docker's CLI does.
import type { Command } from 'commander';
import { argCountError, eachName, refuseControl } from '../args.js';
import { withContext } from '../context.js';
import { say } from '../../kernel/stdio.js';

export function registerNetworkRm(network: Command): void {
  network
    .command('rm')
    .alias('remove')
    .description('Remove one or more networks')
    .argument('[network...]')
    .option('--dry-run', 'Print the equivalent ip/iptables commands, change nothing')
    .option('--explain', 'Apply the change, and print the equivalent commands on stderr')
    .action(async (refs: string[], o) => {
      if (refs.length < 1) throw argCountError('network rm', 'at least 1 argument', 'NETWORK [NETWORK...]', 'Remove one or more networks');
      refuseControl('', refs);
      const { removeNetwork } = await import('../../engine/network/index.js');
      await withContext({ dryRun: o.dryRun, explain: o.explain }, (ctx) =>
        eachName(refs, async (ref) => {
          await removeNetwork(ctx, ref);
          if (!o.dryRun) say(ref);
        }),
      );
    });
}
