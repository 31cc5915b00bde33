// `pont inspect` (containers and networks, or one --type) and `pont container inspect`.
import type { Command } from 'commander';
import { PontError } from '../../core/errors.js';
import type { State } from '../../core/model.js';
import { findContainer, findNetwork } from '../../engine/lookup.js';
import { argCountError } from '../args.js';
import { readState } from '../context.js';
import { say } from '../../kernel/stdio.js';

export function registerInspect(program: Command, group: string): void {
  const inGroup = group !== '';
  const inspect = program
    .command('inspect')
    .description(inGroup ? 'Display detailed information on one or more containers' : 'Return low-level information on containers and networks')
    .argument('[names...]')
    .option('-f, --format <template>', 'Format the output using the given Go template');
  if (!inGroup) inspect.option('--type <type>', 'Return JSON for specified type');
  inspect.action((refs: string[], o: InspectOptions) => inspectObjects(refs, o, inGroup));
}

export interface InspectOptions {
  format?: string;
  type?: string;
}

/** The command (`inGroup`: `container inspect`), on its arguments as commander reads them (or read-argv.ts, without it). */
export async function inspectObjects(refs: string[], o: InspectOptions, inGroup: boolean): Promise<void> {
  if (!refs.length) {
    throw inGroup
      ? argCountError('container inspect', 'at least 1 argument', '[OPTIONS] CONTAINER [CONTAINER...]', 'Display detailed information on one or more containers')
      : argCountError('inspect', 'at least 1 argument', '[OPTIONS] NAME|ID [NAME|ID...]', 'Return low-level information on Docker objects');
  }
  const state = await readState();
  await printObjects(state, refs, o.format, inGroup ? 'container' : o.type);
}

async function printObjects(state: State, refs: string[], format: string | undefined, type: string | undefined): Promise<void> {
  const [{ inspectContainer }, { inspectNetwork }, { RUN_DIR }] = await Promise.all([
    import('../../core/present-container.js'),
    import('../../core/present-network.js'),
    import('../../kernel/run-dir.js'),
  ]);
  const docs: Record<string, unknown>[] = [];
  const missing: string[] = [];
  for (const ref of refs) {
    const c = type === 'network' ? undefined : findContainer(state, ref);
    const n = c || type === 'container' ? undefined : findNetwork(state, ref);
    if (c) docs.push(inspectContainer(c, state.networks, { run: RUN_DIR }));
    else if (n) docs.push(inspectNetwork(n, state.containers));
    else missing.push(ref);
  }
  if (format) {
    const { renderTemplate } = await import('../../core/format/gotemplate.js');
    for (const d of docs) say(renderTemplate(format, d));
  } else say(JSON.stringify(docs, null, 4));
  const what = type === 'container' ? 'container' : type === 'network' ? 'network' : 'object';
  if (missing.length) throw new PontError(missing.map((m) => `Error: No such ${what}: ${m}`).join('\n'), { category: 'not-found' });
}
