import test from 'ava';
import { parseAuxAddresses, parseDriverOptions, parseLabels, parseNetworkName } from '../../../src/core/validate/network-flags.js';

test('labels: key=value, bare key, and Docker\'s empty-name text', (t) => {
  t.deepEqual(parseLabels('--label', ['a=1', 'b']), { a: '1', b: '' });
  t.throws(() => parseLabels('--label', ['=x']), { message: `invalid argument "=x" for "--label" flag: invalid label '=x': empty name` });
  t.throws(() => parseLabels('--label', ['a\nb=1']), { message: 'invalid argument "a\\nb=1" for "--label" flag: control characters are not allowed' });
});

test('a __proto__ or constructor key is an own key, never the prototype', (t) => {
  const labels = parseLabels('--label', ['__proto__=x', 'constructor=y']);
  t.true(Object.hasOwn(labels, '__proto__'));
  t.is(labels.constructor as unknown, 'y');
  t.is(Object.getPrototypeOf(labels), Object.prototype);
  t.is(JSON.stringify(parseDriverOptions('-o, --opt', ['__proto__=1'])), '{"__proto__":"1"}');
});

test('-o: empty keys and control characters are refused', (t) => {
  t.throws(() => parseDriverOptions('-o, --opt', ['=x']), { message: /for "-o, --opt" flag: invalid key/ });
  t.throws(() => parseDriverOptions('-o, --opt', ['k=a\nb']), { message: /control characters/ });
});

test('--aux-address needs name=ip', (t) => {
  t.deepEqual(parseAuxAddresses(['r=10.0.0.5']), { r: '10.0.0.5' });
  t.throws(() => parseAuxAddresses(['x']), { message: 'invalid argument "x" for "--aux-address" flag: bad format for aux-address: x' });
});

test('network names: not empty, no control characters', (t) => {
  t.is(parseNetworkName('a b'), 'a b');
  t.throws(() => parseNetworkName(''), { message: 'Error response from daemon: invalid network name "": it is empty' });
  t.throws(() => parseNetworkName('a\nb'), { message: 'Error response from daemon: invalid network name "a\\nb": control characters are not allowed' });
});
