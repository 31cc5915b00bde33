// `pont network inspect`: Docker's JSON for each network found, or the user's template.
import type { Command } from 'commander';
import { PontError } from '../../core/errors.js';
import type { NetworkRecord, State } from '../../core/model.js';
import { argCountError, refuseControl } from '../args.js';
import { say } from '../../kernel/stdio.js';

export function registerNetworkInspect(network: Command): void {
  network
    .command('inspect')
    .description('Display detailed information on one or more networks')
    .argument('[network...]')
    .option('-f, --format <template>', 'Format the output using the given Go template')
    .option('-v, --verbose', 'Verbose output for diagnostics')
    .action(networkInspect);
}

export interface NetworkInspectOptions {
  format?: string;
  verbose?: boolean;
}

/** The command, on its arguments as commander reads them (or read-argv.ts, without it). */
export async function networkInspect(refs: string[], o: NetworkInspectOptions): Promise<void> {
  if (refs.length < 1) throw argCountError('network inspect', 'at least 1 argument', '[OPTIONS] NETWORK [NETWORK...]', 'Display detailed information on one or more networks');
  refuseControl('', refs);
  const state = await (await import('../../engine/read-state.js')).readState();
  await printInspect(state, refs, o.format);
}

async function printInspect(state: State, refs: string[], format: string | undefined): Promise<void> {
  const [{ findNetwork }, { inspectNetwork }] = await Promise.all([import('../../engine/lookup.js'), import('../../core/present-network.js')]);
  const found: NetworkRecord[] = [];
  const missing: string[] = [];
  for (const ref of refs) {
    const n = findNetwork(state, ref);
    if (n) found.push(n);
    else missing.push(ref);
  }
  const cluster = found.some((n) => n.driver === 'overlay') ? await (await import('../../engine/read-state.js')).clusterForInspect() : null;
  const docs = found.map((n) => inspectNetwork(n, state.containers, cluster ?? undefined));
  if (format) {
    const { renderTemplate } = await import('../../core/format/gotemplate.js');
    for (const d of docs) say(renderTemplate(format, d));
  }
  else say(JSON.stringify(docs, null, 4));
  if (missing.length) throw new PontError(missing.map((m) => `Error: No such network: ${m}`).join('\n'), { category: 'not-found' });
}
