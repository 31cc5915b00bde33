// Go parsing primitives pont mirrors (strconv.ParseUint, net.SplitHostPort, net.ParseIP).
import test from 'ava';
import { canonicalIP, goQuote, isGoIP, parsePortRange, splitHostPort, splitProtoPort } from '../../../src/core/ports/goparse.js';

test('splitHostPort', (t) => {
  t.deepEqual(splitHostPort(':'), ['', '']);
  t.deepEqual(splitHostPort('1.2.3.4:'), ['1.2.3.4', '']);
  t.deepEqual(splitHostPort('[::1]:80'), ['::1', '80']);
  t.throws(() => splitHostPort('nocolon'), { message: 'address nocolon: missing port in address' });
  t.throws(() => splitHostPort('[::1]'), { message: 'address [::1]: missing port in address' });
});

test('splitProtoPort', (t) => {
  t.deepEqual(splitProtoPort(''), ['', '']);
  t.deepEqual(splitProtoPort('80'), ['tcp', '80']);
  t.deepEqual(splitProtoPort('80/'), ['tcp', '80']);
  t.deepEqual(splitProtoPort('80/udp/x'), ['udp', '80']);
});

test('parsePortRange', (t) => {
  t.deepEqual(parsePortRange('8000-8080'), [8000, 8080]);
  t.deepEqual(parsePortRange('00080'), [80, 80]);
  t.throws(() => parsePortRange('65536'), { message: 'strconv.ParseUint: parsing "65536": value out of range' });
  t.throws(() => parsePortRange('8000-30a'), { message: 'strconv.ParseUint: parsing "30a": invalid syntax' });
});

test('goQuote', (t) => {
  t.is(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  t.is(goQuote('x\ty\u0001é'), '"x\\ty\\x01é"');
});

test('isGoIP and canonicalIP', (t) => {
  for (const ip of ['1.2.3.4', '::', '::1', '::ffff:1.2.3.4', '1:2:3:4:5:6:7::']) t.true(isGoIP(ip), ip);
  for (const ip of ['', 'localhost', '01.2.3.4', '1::2::3', 'fe80::1%eth0', '[::1]']) t.false(isGoIP(ip), ip);
  t.is(canonicalIP('0:0::0001'), '::1');
  t.is(canonicalIP('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
  t.is(canonicalIP('::ffff:1.2.3.4'), '1.2.3.4');
  t.is(canonicalIP('10.0.0.1'), '10.0.0.1');
});
