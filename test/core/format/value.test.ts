import test from 'ava';
import { GO_STRUCT, formatValue, goJson, goStruct } from '../../../src/core/format/value.js';

const printCases: [name: string, value: unknown, want: string][] = [
  ['string', 'abc', 'abc'],
  ['integer', 42, '42'],
  ['negative float', -0.5, '-0.5'],
  ['float needing exponent', 1e-7, '1e-07'],
  ['bigint', 12345678901234567890n, '12345678901234567890'],
  ['bool', true, 'true'],
  ['null', null, '<nil>'],
  ['nested list', [['a'], [], [1, [2]]], '[[a] [] [1 [2]]]'],
  ['map sorted by key', { z: 1, a: { y: 2, b: 3 } }, 'map[a:map[b:3 y:2] z:1]'],
  ['Map with numeric keys sorted numerically', new Map([[10, 'a'], [9, 'b']]), 'map[9:b 10:a]'],
  ['undefined map values are skipped', { a: 1, b: undefined }, 'map[a:1]'],
  ['struct with empty string field', goStruct({ A: 'x', C: 'z' }, ['A', 'B', 'C']), '{x  z}'],
  ['struct zero kinds', goStruct({}, ['S', 'I:int', 'B:bool', 'M:map', 'L:slice', 'P:ptr']), '{ 0 false map[] [] <nil>}'],
  ['struct inside list', [goStruct({ Subnet: '10.0.0.0/8' }, ['Subnet', 'Gateway'])], '[{10.0.0.0/8 }]'],
  ['Error prints its message', new Error('boom'), 'boom'],
];

for (const [name, value, want] of printCases) {
  test(`formatValue: ${name}`, (t) => {
    t.is(formatValue(value), want);
  });
}

test('formatValue %+v names struct fields', (t) => {
  t.is(formatValue(goStruct({ A: 1, B: 'b' }, ['A:int', 'B']), true), '{A:1 B:b}');
});

test('goStruct hint is invisible to JSON.stringify and Object.keys', (t) => {
  const s = goStruct({ A: 1 }, ['A']);
  t.deepEqual(Object.keys(s), ['A']);
  t.is(JSON.stringify(s), '{"A":1}');
  t.deepEqual((s as unknown as Record<symbol, unknown>)[GO_STRUCT], ['A']);
});

const jsonCases: [name: string, value: unknown, want: string][] = [
  ['compact object in insertion order', { Name: 'n', Id: 'x', Internal: false }, '{"Name":"n","Id":"x","Internal":false}'],
  ['nested arrays and null', { a: [1, null, [true]], b: null }, '{"a":[1,null,[true]],"b":null}'],
  ['undefined properties are omitted', { a: 1, b: undefined }, '{"a":1}'],
  ['undefined array items become null', [undefined, 1], '[null,1]'],
  ['control characters', 'a\nb\tc\u0001\r', '"a\\nb\\tc\\u0001\\r"'],
  ['quotes and backslashes', 'say "hi" \\', '"say \\"hi\\" \\\\"'],
  ['U+2028 and U+2029 are escaped', '\u2028\u2029', '"\\u2028\\u2029"'],
  ['non-ASCII is kept', 'héllo ✓', '"héllo ✓"'],
  ['HTML characters are kept by default', '<a>&', '"<a>&"'],
  ['floats and big numbers', [1.5, 1e21, 1e-7, -0.25], '[1.5,1e+21,1e-7,-0.25]'],
  ['Map keys sorted', new Map([['b', 1], ['a', 2]]), '{"a":2,"b":1}'],
  ['struct hint order wins', goStruct({ Gateway: 'g', Subnet: 's' }, ['Subnet', 'Gateway']), '{"Subnet":"s","Gateway":"g"}'],
  ['Date uses toJSON', new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), '"2024-01-02T03:04:05.000Z"'],
  ['empty object and array', { o: {}, a: [] }, '{"o":{},"a":[]}'],
];

for (const [name, value, want] of jsonCases) {
  test(`goJson: ${name}`, (t) => {
    t.is(goJson(value), want);
  });
}

test('goJson escapeHTML matches json.Marshal', (t) => {
  t.is(goJson({ k: '<a href="x">&</a>' }, { escapeHTML: true }), '{"k":"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"}');
});

test('goJson indent matches json.MarshalIndent', (t) => {
  const v = [{ Name: 'bridge', Labels: {}, Config: [{ Subnet: '172.17.0.0/16' }], Options: null }];
  t.is(
    goJson(v, { indent: '    ' }),
    '[\n    {\n        "Name": "bridge",\n        "Labels": {},\n        "Config": [\n            {\n                "Subnet": "172.17.0.0/16"\n            }\n        ],\n        "Options": null\n    }\n]',
  );
});

test('goJson rejects NaN like encoding/json', (t) => {
  t.throws(() => goJson(Number.NaN), { message: 'json: unsupported value: NaN' });
});
