// `pont network disconnect`: a container leaves one of its networks.
import type { Command } from 'commander';
import { argCountError, refuseControl } from '../args.js';
import { withContext } from '../context.js';

export function registerNetworkDisconnect(network: Command): void {
  network
    .command('disconnect')
    .description('Disconnect a container from a network')
    .argument('[args...]')
    .option('-f, --force', 'Force the container to disconnect from a network')
    .option('--dry-run', 'Print the equivalent ip/iptables commands, change nothing')
    .option('--explain', 'Apply the change, and print the equivalent commands on stderr')
    .action(async (args: string[], o) => {
      if (args.length !== 2) throw argCountError('network disconnect', 'exactly 2 arguments', '[OPTIONS] NETWORK CONTAINER', 'Disconnect a container from a network');
      refuseControl('', args);
      const { disconnectContainer } = await import('../../engine/network/index.js');
      await withContext({ dryRun: o.dryRun, explain: o.explain }, (ctx) => disconnectContainer(ctx, args[0], args[1], Boolean(o.force)));
    });
}
