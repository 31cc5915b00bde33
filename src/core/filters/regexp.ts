// Filter values as Go's regexp (RE2) reads them, run by V8's linear-time engine: like RE2 it
// has no lookaround and no backreference, and its time is linear in pattern × name, so no
// pattern can make pont backtrack for seconds. Docker 20.10 (filters.Args.Match) lets a pattern
// Go cannot compile match nothing; pont refuses it with Go's text, as it does what it cannot run.
import { builtin } from '../../kernel/cjs-require.js';
import { daemonError } from '../errors.js';
import { printable } from '../validate/flag-error.js';

// The engine behind RegExp's `l` flag (V8's experimental linear engine, present in Node 20),
// turned on by the first pattern: node:v8 takes ~3 ms to load, and V8 refuses a code cache made
// after a flag changed (bin/pont), so a command without a pattern does neither.
let linearEngine = false;
function useLinearEngine(): void {
  if (linearEngine) return;
  (builtin('node:v8') as typeof import('node:v8')).setFlagsFromString('--enable-experimental-regexp-engine');
  // bin/pont then keeps no code cache of this command's: V8 would refuse it to every other
  (globalThis as Record<symbol, unknown>)[Symbol.for('pont.v8-flags-changed')] = true;
  linearEngine = true;
}

/** Longer patterns are refused: the cost is linear, but in the pattern's length too. */
export const MAX_FILTER_PATTERN = 1024;

export interface FilterRegexp {
  re: RegExp;
  /** (?i): the name is lower-cased, as the pattern's letters are (the linear engine has no `i`). */
  fold: boolean;
}

const refuse = (pattern: string, why: string) =>
  daemonError(`invalid filter regexp '${printable(pattern)}': error parsing regexp: ${why}`, 'usage');

/**
 * A filter value as a regular expression, or an error with Go's text where Go has one. A leading
 * `(?flags)` of i, s, m becomes the RegExp's own flags; inline flags elsewhere are refused.
 */
export function parseFilterRegexp(pattern: string): FilterRegexp {
  if (pattern.length > MAX_FILTER_PATTERN) {
    throw refuse(pattern.slice(0, 40) + '…', `expression too long (pont takes at most ${MAX_FILTER_PATTERN} characters)`);
  }
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  let flags = 'l';
  let fold = false;
  let body = pattern;
  if (lead) {
    for (const f of lead[1]) {
      if (f === 'i') fold = true;
      else if (f === 's' || f === 'm') flags += f;
      else throw refuse(pattern, `invalid or unsupported Perl syntax: \`(?${f}\``);
    }
    body = pattern.slice(lead[0].length);
  }
  const source = translate(pattern, body, fold);
  useLinearEngine();
  try {
    return { re: new RegExp(source, flags), fold };
  } catch {
    throw refuse(pattern, `pont cannot run \`${printable(pattern)}\` in linear time (RE2 syntax without inline flags after the start)`);
  }
}

/** Go-only syntax to V8's, Perl-only syntax refused with Go's text, and (?i)'s letters lower-cased. */
function translate(pattern: string, body: string, fold: boolean): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      const n = body[i + 1] ?? '';
      if (/[1-9]/.test(n)) throw refuse(pattern, `invalid escape sequence: \`\\${n}\``);
      if (n === 'k') throw refuse(pattern, 'invalid escape sequence: `\\k`');
      // a class name such as \p{Greek} keeps its case
      const m = /^[pP]\{[^}]*\}/.exec(body.slice(i + 1));
      const esc = m ? `\\${m[0]}` : `\\${n}`;
      out += esc;
      i += esc.length - 1;
      continue;
    }
    if (c === '(' && body[i + 1] === '?') {
      const rest = body.slice(i + 2);
      if (rest.startsWith('=') || rest.startsWith('!')) throw refuse(pattern, `invalid or unsupported Perl syntax: \`(?${rest[0]}\``);
      // lookbehind, and the named group (?<name>…) Go learnt only in 1.22 (Docker 20.10's Go has not)
      if (rest.startsWith('<')) throw refuse(pattern, 'invalid or unsupported Perl syntax: `(?<`');
      if (rest.startsWith('P<')) {
        // Go's named group (?P<name>…) is V8's (?<name>…); the name keeps its case
        const name = /^P<([^>]*)>/.exec(rest);
        if (name) {
          out += `(?<${name[1]}>`;
          i += 1 + name[0].length;
          continue;
        }
      }
    }
    out += fold ? c.toLowerCase() : c;
  }
  return out;
}

/** Whether the pattern matches somewhere in `name` (Go's MatchString: unanchored). */
export const testFilterRegexp = (r: FilterRegexp, name: string): boolean => r.re.test(r.fold ? name.toLowerCase() : name);
