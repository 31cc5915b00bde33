// Two orders pont takes from ICU through localeCompare, computed here without ICU for the strings
// it nearly always compares: setting up an ICU collator takes ~6 ms, a quarter of a whole
// `network ls`. Within the strings each fast path accepts it gives localeCompare's sign exactly
// (test/core/collate.test.ts holds it to localeCompare); any other string goes to ICU.

/** ICU's root order: punctuation (`_` before `-` before `.`), then digits, then letters. */
const weight = (ch: string) => '_-.'.indexOf(ch) + 1 || (ch <= '9' ? 4 : 5);

/**
 * The tokens of a name the fast path orders: lower-case letters and `_-.` one by one, and digit
 * runs without a leading zero ("0" alone is one), of at most 15 digits; null for any other name.
 * A loop rather than a regular expression: compiling one was most of the first comparison, and
 * `network ls` makes only a few.
 */
function plainTokens(s: string): string[] | null {
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      let j = i + 1;
      while (j < s.length && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x39) j++;
      if ((c === 0x30 && j - i > 1) || j - i > 15) return null;
      out.push(s.slice(i, j));
      i = j;
    } else if ((c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d || c === 0x2e) {
      out.push(s[i]);
      i++;
    } else return null;
  }
  return out;
}

/** Network names as `a.localeCompare(b, 'en', { numeric: true })` orders them: the docker CLI's natural order. */
export function naturalCompare(a: string, b: string): number {
  const x = plainTokens(a);
  const y = x && plainTokens(b);
  if (!x || !y) return a.localeCompare(b, 'en', { numeric: true });
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
