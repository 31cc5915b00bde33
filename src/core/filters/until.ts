// The `until` filter's value (docker's timetypes.GetTimestamp): a Go duration before now
// ("10m", "1h30m"), Unix seconds ("1700000000.5"), or a date/time ("2024-01-02",
// "2024-01-02T15:04:05Z"; without a zone it is local time, as in Docker).
import { daemonError } from '../errors.js';
import { goQuote } from '../ports/goparse.js';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
// in the patterns µ (U+00B5) and μ (U+03BC) are escaped: the bundle stays ASCII (scripts/bundle.mjs)

/** Go's time.ParseDuration, in milliseconds, or null. */
export function parseGoDuration(text: string): number | null {
  const m = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+|0)$/.exec(text);
  if (!m) return null;
  let ms = 0;
  for (const [, n, unit] of m[2].matchAll(/(\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/g)) ms += Number(n) * UNIT_MS[unit];
  return m[1] === '-' ? -ms : ms;
}

/** The instant `value` names, in ms since the epoch. */
export function parseUntil(value: string, now: number): number {
  const d = parseGoDuration(value);
  if (d !== null) return now - d;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(value);
  if (date) {
    const hasZone = Boolean(date[4]);
    const t = Date.parse(hasZone || !date[1] ? value + (date[1] ? '' : 'T00:00:00') : value);
    if (!Number.isNaN(t)) return t;
  }
  throw daemonError(`failed to parse value as time or duration: ${goQuote(value)}`, 'usage');
}
