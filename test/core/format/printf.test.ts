import test from 'ava';
import { renderTemplate } from '../../../src/core/format/gotemplate.js';
import { sprint, sprintf, sprintln } from '../../../src/core/format/printf.js';

// Expected strings are what Go's fmt.Sprintf prints for the same operands.
const cases: [format: string, args: unknown[], want: string][] = [
  ['%s', ['abc'], 'abc'],
  ['%d', [42], '42'],
  ['%v', [[1, 'a', true]], '[1 a true]'],
  ['%v', [{ b: 1, a: 2 }], 'map[a:2 b:1]'],
  ['%q', ['a"b\n'], '"a\\"b\\n"'],
  ['%t', [false], 'false'],
  ['%x %X', [255, 255], 'ff FF'],
  ['%x', ['hi'], '6869'],
  ['% x', ['hi'], '68 69'],
  ['%#x %#o %o %b', [255, 8, 8, 5], '0xff 010 10 101'],
  ['%c%c %U', [72, 105, 65], 'Hi U+0041'],
  ['%q', [65], "'A'"],
  ['%5d|%-5d|%05d|%+d', [42, 42, 42, 42], '   42|42   |00042|+42'],
  ['%.3d', [7], '007'],
  ['%08.3f', [-3.14159], '-003.142'],
  ['%f %.2f %.0f', [1.5, 2.345, 7.25], '1.500000 2.35 7'],
  ['%e %.2E', [1234.5678, 0.000123], '1.234568e+03 1.23E-04'],
  ['%g %g %g %g', [0.000012, 123456, 1234567.0, 100000000], '1.2e-05 123456 1.234567e+06 1e+08'],
  ['%.3g %.3g', [1234.5678, 1.0], '1.23e+03 1'],
  ['%v %v', [0.1, 2.5e-7], '0.1 2.5e-07'],
  ['%5s|%-5s|%.2s', ['a', 'a', 'abc'], '    a|a    |ab'],
  ['%*d', [5, 42], '   42'],
  ['%-10s|', ['NAME'], 'NAME      |'],
  ['%d%%', [50], '50%'],
  ['%s', [[ 'a', 'b' ]], '[a b]'],
  ['%d', [[1, 2]], '[1 2]'],
  ['%T %T %T %T', ['s', 1, 1.5, true], 'string int float64 bool'],
  ['%d', ['x'], '%!d(string=x)'],
  ['%s', [5], '%!s(int=5)'],
  ['%t', ['x'], '%!t(string=x)'],
  ['%s', [null], '%!s(<nil>)'],
  ['%v', [null], '<nil>'],
  ['%s %s', ['a'], 'a %!s(MISSING)'],
  ['x', [1, 'b'], 'x%!(EXTRA int=1, string=b)'],
  ['%', [], '%!(NOVERB)'],
  ['%z', [1], '%!z(int=1)'],
  ['%v', [{ a: 1 }], 'map[a:1]'],
  ['%s', [{ a: 1 }], 'map[a:%!s(int=1)]'],
];

for (const [format, args, want] of cases) {
  test(`sprintf ${JSON.stringify(format)} ${JSON.stringify(args)}`, (t) => {
    t.is(sprintf(format, args), want);
  });
}

test('sprint adds spaces only between non-string operands', (t) => {
  t.is(sprint(['a', 1, 2, 'b', null, 3]), 'a1 2b<nil> 3');
});

test('sprintln separates every operand and ends with a newline', (t) => {
  t.is(sprintln(['a', 1, [2]]), 'a 1 [2]\n');
});

const templates: [template: string, data: unknown, want: string][] = [
  ['{{printf "%-12s %s" .Name .Driver}}', { Name: 'bridge', Driver: 'bridge' }, 'bridge       bridge'],
  ['{{printf "%q" .Name}}', { Name: 'my net' }, '"my net"'],
  ['{{printf "%v" .Missing}}', {}, '<nil>'],
  ['{{printf "%s" .Missing}}', {}, '%!s(<nil>)'],
  ['{{printf "%d containers" (len .C)}}', { C: { a: 1, b: 2 } }, '2 containers'],
  ['{{range $k, $v := .}}{{printf "%s=%v;" $k $v}}{{end}}', { x: [1], y: 'z' }, 'x=[1];y=z;'],
];

for (const [template, data, want] of templates) {
  test(`printf in template ${template}`, (t) => {
    t.is(renderTemplate(template, data), want);
  });
}
