// Small parsers for repeatable CLI values, in Docker's words.
import { usageError } from '../core/errors.js';

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
