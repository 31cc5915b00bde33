// ip-num is the oracle for pont's integer IPv4 helpers (which exist to keep start-up fast).
import test from 'ava';
import { IPv4CidrRange } from 'ip-num';
import { cidrOverlaps, cidrFromString, formatCidr, parseCidr, parseIPv4 } from '../../src/core/ipv4.js';

const samples = ['0.0.0.0/0', '10.0.0.0/8', '172.16.86.0/24', '192.168.240.0/20', '255.255.255.255/32', '172.17.0.0/16', '1.2.3.4/31'];

for (const c of samples) {
  test(`first/last of ${c} agree with ip-num`, (t) => {
    const r = IPv4CidrRange.fromCidr(c);
    const mine = cidrFromString(c);
    t.is(formatCidr(mine), c);
    t.is(mine.base, Number(r.getFirst().getValue()));
    t.is(mine.base + 2 ** (32 - mine.prefix) - 1, Number(r.getLast().getValue()));
  });
}

test('overlap agrees with ip-num', (t) => {
  for (const a of samples)
    for (const b of samples) {
      const ra = IPv4CidrRange.fromCidr(a);
      const rb = IPv4CidrRange.fromCidr(b);
      const theirs = ra.inside(rb) || rb.inside(ra) || ra.isEquals(rb) || ra.contains(rb) || rb.contains(ra);
      t.is(cidrOverlaps(cidrFromString(a), cidrFromString(b)), theirs, `${a} vs ${b}`);
    }
});

test('rejects malformed input', (t) => {
  for (const bad of ['1.2.3', '256.1.1.1', '1.2.3.4.5', 'a.b.c.d', '', '01.2.3.4x']) t.is(parseIPv4(bad), null, bad);
  for (const bad of ['10.0.0.0/33', '10.0.0.0', '10.0.0.0/', 'nonsense', '10.0.0.0/-1']) t.is(parseCidr(bad), null, bad);
});
