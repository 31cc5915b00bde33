// What several container verbs share.
import type { Command } from 'commander';
import { PontError } from '../../core/errors.js';
import type { ContainerRecord, State } from '../../core/model.js';
import { findContainer } from '../../engine/lookup.js';
import type { Context } from '../../engine/context.js';
import { argCountError, eachName, refuseControl } from '../args.js';
import { withContext } from '../context.js';
import { say } from '../../kernel/stdio.js';

/** `group` is '' at the top level, 'container ' under `pont container` (it names the command in errors). */
export type RegisterVerb = (program: Command, group: string) => void;

/** The container `ref` names, or the CLI's own not-found error. */
export function requireContainer(state: State, ref: string): ContainerRecord {
  const ctr = findContainer(state, ref);
  if (!ctr) throw new PontError(`Error: No such container: ${ref}`, { category: 'not-found' });
  return ctr;
}

/** `pont VERB CONTAINER [CONTAINER...]`: Docker's usage error without a name; no control characters. */
export function requireRefs(command: string, summary: string, refs: string[]): void {
  if (!refs.length) throw argCountError(command, 'at least 1 argument', '[OPTIONS] CONTAINER [CONTAINER...]', summary);
  refuseControl('', refs);
}

/** Acts on each named container in turn in one engine context, printing each name it acted on. */
export async function eachContainer(refs: string[], act: (ctx: Context, ref: string) => Promise<void>, summary?: (failed: string[]) => string): Promise<void> {
  await withContext({}, (ctx) =>
    eachName(
      refs,
      async (ref) => {
        await act(ctx, ref);
        say(ref);
      },
      summary,
    ),
  );
}
