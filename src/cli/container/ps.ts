// `pont ps`, and `pont container ls` (alias ps, list): the containers as Docker's table.
import type { Command } from 'commander';
import { collect, intFlag, parseFlags } from '../args.js';
import { readState } from '../context.js';

export function registerPs(program: Command, group: string): void {
  const inGroup = group !== '';
  program
    .command(inGroup ? 'ls' : 'ps')
    .aliases(inGroup ? ['ps', 'list'] : [])
    .description('List containers')
    .option('-a, --all', 'Show all containers (default shows just running)')
    .option('-q, --quiet', 'Only display container IDs')
    .option('--format <template>', 'Pretty-print containers using a Go template')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .option('--no-trunc', "Don't truncate output")
    .option('-n, --last <int>', 'Show n last created containers (includes all states)', '-1')
    .option('-l, --latest', 'Show the latest created container (includes all states)')
    .action((o) => ps(o, group));
}

export interface PsOptions {
  all?: boolean;
  quiet?: boolean;
  format?: string;
  filter?: string[];
  trunc: boolean;
  last: string;
  latest?: boolean;
}

/** The command (`group`: '' or 'container '), on its options as commander reads them (or read-argv.ts, without it). */
export async function ps(o: PsOptions, group: string): Promise<void> {
  const [{ planContainerFilter }, { compareTimes }] = await Promise.all([import('../../core/filters/container.js'), import('../../core/collate.js')]);
  const [filter, last] = parseFlags(`${group}ps`, () => [planContainerFilter(o.filter ?? []), intFlag('-n, --last', o.last)] as const);
  // as docker/cli and dockerd: --latest is -n 1 unless -n is given, and a limit shows every state
  const limit = o.latest && last === -1 ? 1 : last;
  const state = await readState();
  const keep = filter(state);
  const now = Date.now();
  const list = state.containers
    .filter((c) => (o.all || c.running || limit > 0) && keep(c))
    .sort((a, b) => compareTimes(b.created, a.created))
    .slice(0, limit > 0 ? limit : undefined);
  const { formatPsPorts } = await import('../ports-format.js');
  const { psRow } = await import('../../core/present-container.js');
  const rows = list.map((c) => psRow(c, state.networks, now, { noTrunc: !o.trunc, ports: formatPsPorts(c) }));
  const { printList } = await import('../format.js');
  await printList(rows, o, 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}', {
    ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED', Ports: 'PORTS', Status: 'STATUS', State: 'STATE', Names: 'NAMES', Networks: 'NETWORKS', Labels: 'LABELS', Mounts: 'MOUNTS', LocalVolumes: 'LOCAL VOLUMES', Size: 'SIZE',
  });
}
