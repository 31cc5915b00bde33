// `pont network connect`: one more network for a container, with its address and aliases.
import type { Command } from 'commander';
import { parseAlias } from '../../core/validate/container-flags.js';
import { argCountError, collect, parseFlags, refuseControl } from '../args.js';
import { withContext } from '../context.js';

export function registerNetworkConnect(network: Command): void {
  network
    .command('connect')
    .description('Connect a container to a network')
    .argument('[args...]')
    .option('--ip <ip>', 'IPv4 address (e.g., 172.30.100.104)')
    .option('--alias <alias>', 'Add network-scoped alias for the container', collect)
    .option('--dry-run', 'Print the equivalent ip/iptables commands, change nothing')
    .option('--explain', 'Apply the change, and print the equivalent commands on stderr')
    .action(async (args: string[], o) => {
      const aliases = parseFlags('network connect', () => {
        refuseControl('--ip', [o.ip]);
        return (o.alias ?? []).map((a: string) => parseAlias('--alias', a));
      });
      if (args.length !== 2) throw argCountError('network connect', 'exactly 2 arguments', '[OPTIONS] NETWORK CONTAINER', 'Connect a container to a network');
      refuseControl('', args);
      const { connectContainer } = await import('../../engine/network/index.js');
      await withContext({ dryRun: o.dryRun, explain: o.explain }, (ctx) => connectContainer(ctx, args[0], args[1], { ip: o.ip, aliases }));
    });
}
