// Filter patterns as Docker's Go regexp reads them, in linear time, and refused with Go's text
// where Go (Docker 20.10) cannot compile them (Docker then silently matches nothing).
import test from 'ava';
import { MAX_FILTER_PATTERN, parseFilterRegexp, testFilterRegexp } from '../../../src/core/filters/regexp.js';
import { planMatchAny } from '../../../src/core/filters/args.js';

const matches = (pattern: string, name: string) => testFilterRegexp(parseFilterRegexp(pattern), name);

test('(?i) makes the match case-insensitive, as in Go', (t) => {
  t.true(matches('(?i)web', 'WEB'));
  t.true(matches('(?i)^w[a-e]B$', 'WeB'));
  t.true(matches('(?i)\\Sweb', 'xWEB'), 'an escape keeps its case: \\S is not \\s');
  t.false(matches('(?i)\\Sweb', ' WEB'));
  t.false(matches('web', 'WEB'));
});

test('Go syntax that V8 spells otherwise: (?P<name>…), (?s), (?m)', (t) => {
  t.true(matches('(?P<Part>we)b', 'web'));
  t.true(matches('(?s)a.b', 'a\nb'));
  t.true(matches('(?m)^b', 'a\nb'));
  t.true(matches('^web-[0-9]+$', 'web-12'));
});

for (const [pattern, why] of [
  ['(?<=a)b', 'invalid or unsupported Perl syntax: `(?<`'],
  ['(?<!a)b', 'invalid or unsupported Perl syntax: `(?<`'],
  ['(?<n>a)', 'invalid or unsupported Perl syntax: `(?<`'],
  ['a(?=b)', 'invalid or unsupported Perl syntax: `(?=`'],
  ['a(?!b)', 'invalid or unsupported Perl syntax: `(?!`'],
  ['(a)\\1', 'invalid escape sequence: `\\1`'],
  ['(?P<x>a)\\k<x>', 'invalid escape sequence: `\\k`'],
  ['(?U)a+', 'invalid or unsupported Perl syntax: `(?U`'],
] as const) {
  test(`${pattern} is refused with Go's text`, (t) => {
    const e = t.throws(() => parseFilterRegexp(pattern))!;
    t.is(e.message, `Error response from daemon: invalid filter regexp '${pattern}': error parsing regexp: ${why}`);
  });
}

test('a pattern V8 cannot run in linear time, or an invalid one, is refused in one line', (t) => {
  for (const p of ['a(?i)b', '(a', '\\']) {
    const e = t.throws(() => parseFilterRegexp(p))!;
    t.regex(e.message, /^Error response from daemon: invalid filter regexp '.*': error parsing regexp: pont cannot run /);
  }
  t.throws(() => parseFilterRegexp('a'.repeat(MAX_FILTER_PATTERN + 1)), { message: /expression too long/ });
  t.notThrows(() => parseFilterRegexp('a'.repeat(MAX_FILTER_PATTERN)));
});

test('catastrophic patterns run in linear time: (a+)+$ and (a|aa)+$ on a 255-character name', (t) => {
  const name = 'a'.repeat(254) + '!';
  const t0 = process.hrtime.bigint();
  t.false(matches('^(a+)+$', name));
  t.false(matches('^(a|aa)+$', name));
  t.false(matches('.*.*.*.*.*.*.*.*x', name));
  t.true(Number(process.hrtime.bigint() - t0) / 1e6 < 200, 'under 200 ms');
  t.true(matches('^(a+)+!$', name));
});

test('planMatchAny: an exact value matches even when it is no valid pattern; bad patterns are refused up front', (t) => {
  t.true(planMatchAny(['web'])('my-web'));
  t.false(planMatchAny(['^web$'])('my-web'));
  t.throws(() => planMatchAny(['ok', '(?<=a)b']));
});

test('the first pattern turns on the linear engine and says so to bin/pont, which then keeps no code cache (V8 would refuse it)', (t) => {
  parseFilterRegexp('^web');
  t.true((globalThis as Record<symbol, unknown>)[Symbol.for('pont.v8-flags-changed')]);
});
