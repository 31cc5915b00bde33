// localeCompare (ICU) is the oracle for core/collate.ts, whose fast paths exist to keep start-up fast.
import test from 'ava';
import { compareTimes, naturalCompare } from '../../src/core/collate.js';
import { seededRandom } from '../helpers/seeded.js';

function strings(alphabet: string[], count: number, maxLength: number, seed: number): string[] {
  const r = seededRandom(seed);
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(r() * (maxLength + 1)) }, () => alphabet[Math.floor(r() * alphabet.length)]).join(''));
}

const icuNatural = (a: string, b: string) => Math.sign(a.localeCompare(b, 'en', { numeric: true }));

test('naturalCompare orders names as localeCompare(en, numeric) does', (t) => {
  // mostly the fast path's alphabet, with what it hands to ICU mixed in
  const plain = [...'ab_-.z', '0', '1', '2', '9', '10', '99', '123456789012345'];
  const other = ['A', 'Z', '00', '01', ' ', '~', 'é', '1234567890123456789', '+'];
  const names = [...strings(plain, 400, 6, 1), ...strings([...plain, ...other], 200, 5, 2), 'bridge', 'host', 'none', 'net1', 'net10', 'net2', 'mon-bridge', ''];
  let fast = 0;
  for (const a of names) {
    for (const b of names) {
      const want = icuNatural(a, b);
      if (Math.sign(naturalCompare(a, b)) !== want) return t.fail(`naturalCompare(${JSON.stringify(a)}, ${JSON.stringify(b)}) should be ${want}`);
      if (/^[a-z0-9_.-]*$/.test(a + b)) fast++;
    }
  }
  t.true(fast > names.length ** 2 / 2, 'most pairs took the fast path');
  t.deepEqual(['net10', 'net2', 'Net1', 'net1', 'a-b', 'a_b', 'a.b'].sort(naturalCompare), ['a_b', 'a-b', 'a.b', 'net1', 'Net1', 'net2', 'net10']);
});

test('compareTimes orders RFC 3339 times chronologically, whatever their fractions\' lengths; anything else by localeCompare', (t) => {
  const r = seededRandom(3);
  const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
  // close times, so that they differ late, in the fraction's digits and length
  const times = Array.from({ length: 150 }, () => `2026-11-${r() < 0.5 ? '30' : '29'}T17:2${digits(1)}:0${digits(1)}${r() < 0.2 ? '' : `.${digits(1 + Math.floor(r() * 9))}`}Z`);
  times.push('2026-11-30T17:26:23Z', '2026-11-30T17:26:23.5Z', '2026-11-30T17:26:23.52Z', '2026-11-30T17:26:23.123456789Z');
  const nanos = (x: string) => BigInt(Date.parse(`${x.slice(0, 19)}Z`)) * 1_000_000_000n + BigInt(x.slice(20, -1).padEnd(9, '0') || '0');
  for (const a of times) {
    for (const b of times) {
      const want = nanos(a) < nanos(b) ? -1 : nanos(a) > nanos(b) ? 1 : 0;
      if (Math.sign(compareTimes(a, b)) !== want) return t.fail(`compareTimes(${a}, ${b}) should be ${want}`);
    }
  }
  // Go trims a fraction's trailing zeros: 23.5 is before 23.52, though its string sorts after
  t.is(compareTimes('2026-11-30T17:26:23.5Z', '2026-11-30T17:26:23.52Z'), -1);
  t.is(compareTimes('2026-11-30T17:26:23Z', '2026-11-30T17:26:23.000000001Z'), -1);
  for (const [a, b] of [['not a time', ''], ['', '2026-11-30T17:26:23Z'], ['b', 'a']]) t.is(Math.sign(compareTimes(a, b)), Math.sign(a.localeCompare(b)));
  t.pass();
});

test('naturalCompare orders plain names without ICU (whose collator took ~6 ms to set up)', (t) => {
  const original = String.prototype.localeCompare;
  let calls = 0;
  String.prototype.localeCompare = function (this: string, ...args: Parameters<typeof original>) {
    calls++;
    return original.apply(this, args);
  };
  try {
    const sorted = ['net10', 'bridge', 'net2', 'host', 'none', 'a_b', 'a-b', 'a.b', 'x0', 'n123456789012345'].sort(naturalCompare);
    t.deepEqual(sorted, ['a_b', 'a-b', 'a.b', 'bridge', 'host', 'n123456789012345', 'net2', 'net10', 'none', 'x0']);
    t.is(calls, 0);
    ['Net1', 'net01'].sort(naturalCompare);
    t.true(calls > 0, 'other names go to ICU');
  } finally {
    String.prototype.localeCompare = original;
  }
});
