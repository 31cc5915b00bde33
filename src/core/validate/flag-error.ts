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

/**
 * C0/C1 controls, DEL and the Unicode line/paragraph separators: never part of a valid value.
 * \p{Cc} is exactly U+0000-U+001F and U+007F-U+009F, written as ranges: a Unicode property
 * class costs a CLI's start ~0.1 ms to build (test/core/validate holds the two equal).
 */
export const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;

/** A value as it may appear in a one-line message: control characters as Go escapes. */
export const printable = (s: string): string => s.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => goQuote(c).slice(1, -1));
