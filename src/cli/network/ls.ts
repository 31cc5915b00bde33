// `pont network ls` (alias list): the networks as Docker's table, by natural name order.
import type { Command } from 'commander';
import { collect, parseFlags } from '../args.js';

export function registerNetworkLs(network: Command): void {
  network
    .command('ls')
    .alias('list')
    .description('List networks')
    .option('-q, --quiet', 'Only display network IDs')
    .option('-f, --filter <filter>', 'Provide filter values (e.g. \'driver=bridge\')', collect)
    .option('--format <template>', 'Pretty-print networks using a Go template')
    .option('--no-trunc', 'Do not truncate the output')
    .action(networkLs);
}

export interface NetworkLsOptions {
  quiet?: boolean;
  filter?: string[];
  format?: string;
  trunc: boolean;
}

/** The command, on its options as commander reads them (or read-argv.ts, without it). */
export async function networkLs(o: NetworkLsOptions): Promise<void> {
  const [{ readState }, { planNetworkListFilter }, { networkRow }, { naturalCompare }] = await Promise.all([
    import('../../engine/read-state.js'),
    import('../../core/filters/network.js'),
    import('../../core/present-network.js'),
    import('../../core/collate.js'),
  ]);
  const filter = parseFlags('network ls', () => planNetworkListFilter(o.filter ?? []));
  const state = await readState();
  const keep = filter(state);
  const rows = state.networks
    .filter(keep)
    .sort((a, b) => naturalCompare(a.name, b.name))
    .map((n) => networkRow(n, !o.trunc));
  const { printList } = await import('../format.js');
  await printList(rows, o, 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}', {
    ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', IPv6: 'IPV6', Internal: 'INTERNAL', Labels: 'LABELS', CreatedAt: 'CREATED AT',
  });
}
