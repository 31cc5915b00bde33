// The error of a flag value refused at the CLI edge, in Docker's words: `invalid argument "V" for
// "FLAG" flag: REASON` (exit 125, like any flag Docker's CLI refuses). Values are echoed with Go's
// %q, and the reason's echo has control characters escaped, so the error stays on one line.
import { PontError } from '../errors.js';
import { goQuote } from '../ports/goparse.js';

export class FlagError extends PontError {
  constructor(flag: string, value: string, reason: string) {
    super(`invalid argument ${goQuote(value)} for "${flag}" flag: ${reason}`, { category: 'usage', exitCode: 125 });
    this.name = 'FlagError';
  }
}

/** C0/C1 controls, DEL and the Unicode line/paragraph separators: never part of a valid value. */
export const CONTROL = /[\p{Cc}\u2028\u2029]/u;

/** A value as it may appear in a one-line message: control characters as Go escapes. */
export const printable = (s: string): string => s.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => goQuote(c).slice(1, -1));
