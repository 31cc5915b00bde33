// The control characters refused in values, as ranges, against the Unicode property they spell out.
import test from 'ava';
import { CONTROL, printable } from '../../../src/core/validate/flag-error.js';

const PROPERTY = /[\p{Cc}\u2028\u2029]/u;

test('CONTROL: exactly \\p{Cc}, U+2028 and U+2029, over every code point', (t) => {
  let differ = 0;
  let matched = 0;
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    const want = PROPERTY.test(ch);
    if (CONTROL.test(ch) !== want) differ++;
    if (want) matched++;
  }
  t.is(differ, 0);
  // C0 (32), DEL and C1 (33), the two separators
  t.is(matched, 67);
});

test('printable: control characters as Go escapes, everything else as it is', (t) => {
  t.is(printable('a\tb\u0085c\u2028d\u00e9\u{1F600}'), 'a\\tb\\u0085c\\u2028d\u00e9\u{1F600}');
  t.is(printable('plain'), 'plain');
});
