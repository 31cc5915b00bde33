// Go parsing primitives pont mirrors (strconv.ParseUint, net.SplitHostPort, net.ParseIP).
import test from 'ava';
import { canonicalIP, goQuote, isGoIP, parseInt64, parsePortRange, splitHostPort, splitProtoPort } from '../../../src/core/ports/goparse.js';

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

// each value given to Docker 20.10's CLI as `docker ps -n VALUE` (pflag's int: strconv.ParseInt(s, 0, 64)): taken, or its error
test('parseInt64: what Docker 20.10 takes for an int flag, and its errors', (t) => {
  const taken: [string, number | bigint][] = [
    ["0", 0],
    ["10", 10],
    ["-1", -1],
    ["+5", 5],
    ["0x10", 16],
    ["0X1f", 31],
    ["0o17", 15],
    ["0b101", 5],
    ["017", 15],
    ["1_000", 1000],
    ["0x_1", 1],
    ["0_7", 7],
    ["9223372036854775807", 9223372036854775807n],
    ["-9223372036854775808", -9223372036854775808n],
    ["-0", 0],
    ["0b_1", 1],
    ["00", 0],
  ];
  for (const [v, n] of taken) t.is(parseInt64(v), Number(n), v);
  const refused: [string, string][] = [
    ["08", "invalid syntax"],
    ["0x", "invalid syntax"],
    ["0b", "invalid syntax"],
    ["_1", "invalid syntax"],
    ["1_", "invalid syntax"],
    ["1__0", "invalid syntax"],
    ["9223372036854775808", "value out of range"],
    ["-9223372036854775809", "value out of range"],
    ["18446744073709551616", "value out of range"],
    ["99999999999999999999x", "value out of range"],
    ["7x", "invalid syntax"],
    ["", "invalid syntax"],
    ["-", "invalid syntax"],
    ["+", "invalid syntax"],
    [" 1", "invalid syntax"],
    ["1.5", "invalid syntax"],
    ["1e3", "invalid syntax"],
    ["0x1g", "invalid syntax"],
    ["٣", "invalid syntax"],
    ["0o", "invalid syntax"],
  ];
  for (const [v, why] of refused) t.throws(() => parseInt64(v), { message: `strconv.ParseInt: parsing ${goQuote(v)}: ${why}` }, v);
});
