// Two orders pont takes from ICU through localeCompare, computed here without ICU for the strings
// it nearly always compares: setting up an ICU collator takes ~6 ms, a quarter of a whole
// `network ls`. Within the strings each fast path accepts it gives localeCompare's sign exactly
// (test/core/collate.test.ts holds it to localeCompare); any other string goes to ICU.

/** Lower-case letters, `_-.`, and digit runs without a leading zero, of at most 15 digits. */
const PLAIN_NAME = /^(?:[a-z_.-]|[1-9][0-9]{0,14}(?![0-9])|0(?![0-9]))*$/;
const TOKEN = /[0-9]+|[^0-9]/g;
/** ICU's root order: punctuation (`_` before `-` before `.`), then digits, then letters. */
const weight = (ch: string) => '_-.'.indexOf(ch) + 1 || (ch <= '9' ? 4 : 5);

/** Network names as `a.localeCompare(b, 'en', { numeric: true })` orders them: the docker CLI's natural order. */
export function naturalCompare(a: string, b: string): number {
  if (!PLAIN_NAME.test(a) || !PLAIN_NAME.test(b)) return a.localeCompare(b, 'en', { numeric: true });
  const x = a.match(TOKEN) ?? [];
  const y = b.match(TOKEN) ?? [];
  for (let i = 0; i < x.length && i < y.length; i++) {
    const [p, q] = [x[i], y[i]];
    if (p === q) continue;
    const [wp, wq] = [weight(p[0]), weight(q[0])];
    // a digit run is one number; no leading zero, so the longer run is the larger number
    if (wp === 4 && wq === 4) return p.length !== q.length ? Math.sign(p.length - q.length) : p < q ? -1 : 1;
    if (wp !== wq) return Math.sign(wp - wq);
    return p < q ? -1 : 1;
  }
  return Math.sign(x.length - y.length);
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;

/** "…T17:26:23.5Z" → "…T17:26:23.500000000": one width for every time, so string order is time order. */
const fixedWidth = (t: string) => `${t.slice(0, 19)}.${t.slice(20, -1).padEnd(9, '0')}`;

/**
 * Times as pont records them (RFC 3339, UTC, the fraction's trailing zeros trimmed as Go does),
 * oldest first: `.5Z` is before `.52Z`, which their strings are not. Anything else by localeCompare.
 */
export function compareTimes(a: string, b: string): number {
  if (!RFC3339.test(a) || !RFC3339.test(b)) return a.localeCompare(b);
  const [x, y] = [fixedWidth(a), fixedWidth(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
