// Tests written out by hand in place of regular expressions (a start-up cost), held to them.
import test from 'ava';
import { plainFields } from '../../src/core/format/plain-table.js';
import { goTimeString, isUtcTime } from '../../src/core/present-network.js';
import { seededRandom } from '../helpers/seeded.js';

/** `count` strings, each `base` with a few characters replaced, inserted or removed. */
function mutations(base: string, alphabet: string, count: number, seed: number): string[] {
  const r = seededRandom(seed);
  const pick = () => alphabet[Math.floor(r() * alphabet.length)];
  return Array.from({ length: count }, () => {
    let s = base;
    for (let k = Math.floor(r() * 3); k >= 0; k--) {
      const at = Math.floor(r() * (s.length + 1));
      const op = r();
      s = op < 0.4 ? s.slice(0, at) + pick() + s.slice(at + 1) : op < 0.7 ? s.slice(0, at) + pick() + s.slice(at) : s.slice(0, at) + s.slice(at + 1);
    }
    return s;
  });
}

test('isUtcTime is the expression it replaces, and goTimeString prints Go\'s time.Time.String()', (t) => {
  const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;
  const cases = ['2026-12-02T15:27:41Z', '2026-12-02T15:27:41.5Z', '2026-12-02T15:27:41.123456789Z', '2026-12-02T15:27:41.Z', '2026-12-02 15:27:41Z', '', 'Z',
    ...mutations('2026-12-02T15:27:41Z', '0189-T:.Zx ', 3000, 1), ...mutations('2026-12-02T15:27:41.25Z', '0189-T:.Zx ', 3000, 2)];
  let times = 0;
  for (const s of cases) {
    t.is(isUtcTime(s), RFC3339.test(s), JSON.stringify(s));
    if (RFC3339.test(s)) times++;
  }
  t.true(times > 100, 'many of the cases are times');
  t.is(goTimeString('2026-12-02T15:27:41.5Z'), '2026-12-02 15:27:41.5 +0000 UTC');
  t.is(goTimeString('2026-12-02T15:27:41Z'), '2026-12-02 15:27:41 +0000 UTC');
  t.is(goTimeString('yesterday'), 'yesterday');
});

test('plainFields is the expression it replaces, part by part', (t) => {
  const FIELD = /^\{\{\.([A-Za-z_]\w*)\}\}$/;
  const old = (body: string) => {
    const fields = body.split('\t').map((part) => FIELD.exec(part)?.[1]);
    return fields.every((f) => f !== undefined) ? (fields as string[]) : null;
  };
  const cases = ['{{.ID}}\t{{.Name}}', '{{.}}', '{{.a}}', '{{._}}', '{{.9}}', '{{.a9}}', '{{ .ID}}', '{{.ID}}\t', '', '{{.}}}', '{{.a}}}', '{{{.a}}',
    ...mutations('{{.ID}}\t{{.Name_2}}', '{}.\tIDa_9 é', 4000, 3)];
  for (const s of cases) t.deepEqual(plainFields(s), old(s), JSON.stringify(s));
});
