// `--filter key=value` lists as Docker's CLI and daemon read them: keys lower-cased and values
// trimmed (docker/cli opts.FilterOpt), values of one key kept together, unknown keys refused
// with the daemon's text. Keys and values live in a Map: no key can hit Object's prototype.
import { daemonError } from '../errors.js';
import { CONTROL, FlagError, printable } from '../validate/flag-error.js';
import { parseFilterRegexp, testFilterRegexp } from './regexp.js';

export type FilterArgs = ReadonlyMap<string, readonly string[]>;

export function parseFilterArgs(list: readonly string[], accepted: readonly string[], flag = '-f, --filter'): FilterArgs {
  const out = new Map<string, string[]>();
  for (const item of list) {
    const i = item.indexOf('=');
    if (i < 0) throw new FlagError(flag, item, 'bad format of filter (expected name=value)');
    // Docker trims keys and values; pont refuses every control character, trimmed or not
    if (CONTROL.test(item)) throw new FlagError(flag, item, 'control characters are not allowed');
    const key = item.slice(0, i).trim().toLowerCase();
    out.set(key, [...(out.get(key) ?? []), item.slice(i + 1).trim()]);
  }
  for (const key of out.keys()) if (!accepted.includes(key)) throw daemonError(`Invalid filter '${printable(key)}'`, 'usage');
  return out;
}

/**
 * filters.Args.Match: an exact value, or a regular expression that matches somewhere. The
 * patterns are parsed here, so a bad one is refused before anything is listed or removed.
 */
export function planMatchAny(values: readonly string[]): (source: string) => boolean {
  const patterns = values.map(parseFilterRegexp);
  return (source) => values.includes(source) || patterns.some((p) => testFilterRegexp(p, source));
}

/** filters.Args.MatchKVList: every `key` or `key=value` holds in `labels`. */
export function matchesAllLabels(values: readonly string[], labels: Readonly<Record<string, string>>): boolean {
  if (!values.length) return true;
  if (!Object.keys(labels).length) return false;
  return values.every((v) => {
    const i = v.indexOf('=');
    const key = i < 0 ? v : v.slice(0, i);
    if (!Object.hasOwn(labels, key)) return false;
    return i < 0 || labels[key] === v.slice(i + 1);
  });
}

/** filters.Args.GetBoolOrDefault's values, with its error text. */
export function parseBoolFilter(key: string, values: readonly string[]): boolean {
  const lower = values.map((v) => v.toLowerCase());
  const t = lower.some((v) => v === 'true' || v === '1');
  const f = lower.some((v) => v === 'false' || v === '0');
  if (t === f || lower.some((v) => !['true', '1', 'false', '0'].includes(v))) {
    throw daemonError(`invalid value for filter '${key}', must be "true" (or "1"), or "false" (or "0")`, 'usage');
  }
  return t;
}
