// Small helpers of the CLI: parsers for repeatable values and Docker's argument errors, in
// Docker's words, and its way with commands that take several names.
import { PontError, usageError } from '../core/errors.js';
import { goQuote, parseInt64 } from '../core/ports/goparse.js';
import { CONTROL, FlagError } from '../core/validate/flag-error.js';
import { writeErr } from '../kernel/stdio.js';

export const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * Values with control characters name nothing pont has and would split its one-line messages:
 * refused before any lookup. `flag` is Docker's flag text (`--subnet`), or '' for an argument.
 */
export function refuseControl(flag: string, values: readonly (string | undefined)[]): void {
  for (const v of values) {
    if (v === undefined || !CONTROL.test(v)) continue;
    if (flag) throw new FlagError(flag, v, 'control characters are not allowed');
    throw usageError(`Error: invalid argument ${goQuote(v)}: control characters are not allowed`);
  }
}

/** An int flag's value as pflag reads it (strconv.ParseInt(s, 0, 64)); `flag`: "-t, --time". */
export function intFlag(flag: string, value: string): number {
  try {
    return parseInt64(value);
  } catch (e) {
    throw new FlagError(flag, value, (e as Error).message);
  }
}

/** Runs the flag parsers of `pont CMD`; a refused flag gets Docker's help line, exit 125. */
export function parseFlags<T>(cmd: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    throw new PontError(e.message, { category: 'usage', exitCode: 125, hints: [`See 'pont ${cmd} --help'.`] });
  }
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
      writeErr(e.message + '\n');
      failed = e;
      names.push(ref);
    }
  }
  if (failed) throw new PontError(summary ? summary(names) : '', { category: failed.category, exitCode: 1 });
}
