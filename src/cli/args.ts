// Small helpers of the CLI: parsers for repeatable values and Docker's argument errors, in
// Docker's words, and its way with commands that take several names.
import { PontError, usageError } from '../core/errors.js';

export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** "k=v" list → map; a bare "k" maps to "" as Docker's opts do for labels. */
export function parseKeyValues(list: string[] | undefined, what: string, requireValue = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const i = item.indexOf('=');
    if (i < 0 && requireValue) throw usageError(`invalid argument "${item}" for "${what}" flag: bad format for ${what.replace(/^-+/, '')}: ${item}`);
    if (i === 0) throw usageError(`invalid argument "${item}" for "${what}" flag: invalid key`);
    out[i < 0 ? item : item.slice(0, i)] = i < 0 ? '' : item.slice(i + 1);
  }
  return out;
}

/** Docker's message when a command gets the wrong number of arguments. */
export function argCountError(cmd: string, rule: string, usage: string, summary: string, hints: string[] = []) {
  return usageError(
    `"pont ${cmd}" requires ${rule}.\nSee 'pont ${cmd} --help'.\n\nUsage:  pont ${cmd} ${usage}\n\n${summary}`,
    hints,
  );
}

/**
 * Docker's CLI acts on each name in turn (`rm a b c`, `stop a b`): a failure is printed and the
 * others still go ahead; the command fails at the end (exit 1) if any did.
 */
export async function eachName(refs: string[], act: (ref: string) => Promise<void>, summary?: (failed: string[]) => string): Promise<void> {
  let failed: PontError | null = null;
  const names: string[] = [];
  for (const ref of refs) {
    try {
      await act(ref);
    } catch (e) {
      if (!(e instanceof PontError)) throw e;
      process.stderr.write(e.message + '\n');
      failed = e;
      names.push(ref);
    }
  }
  if (failed) throw new PontError(summary ? summary(names) : '', { category: failed.category, exitCode: 1 });
}
