// ip-num is the oracle for pont's integer IPv4 helpers (which exist to keep start-up fast).
import test from 'ava';
import { IPv4CidrRange } from 'ip-num';
import { cidrOverlaps, cidrFromString, formatCidr, parseCidr, parseIPv4, parseStoredIPv4 } from '../../src/core/ipv4.js';

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

test('parseIPv4 agrees with the strict pattern (no leading zero) it replaces, over edge cases and random strings', (t) => {
  const byPattern = (text: string): number | null => {
    // no part with a leading zero (Go's net.ParseIP, Docker 20.10)
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text) || /(^|\.)0\d/.test(text)) return null;
    const parts = text.split('.').map(Number);
    return parts.some((p) => p > 255) ? null : ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
  };
  const edges = ['255.255.255.255', '0.0.0.0', '010.0.0.1', '1..2.3', '1.2.3.', '.1.2.3', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.1000', '1.2.3.256', '0001.2.3.4', '1.2.3.٣', '１.2.3.4'];
  for (const e of edges) t.is(parseIPv4(e), byPattern(e), e);
  t.is(parseIPv4('255.255.255.255'), 4294967295);
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const alphabet = '0123456789..x25';
  for (let i = 0; i < 20000; i++) {
    // half near-addresses (parts up to 299, some with a leading zero), half noise
    const text = i % 2 ? Array.from({ length: 4 }, () => `${rand(4) ? '' : '0'}${rand(300)}`).join('.')
      : Array.from({ length: 1 + rand(16) }, () => alphabet[rand(alphabet.length)]).join('');
    if (parseIPv4(text) !== byPattern(text)) return t.fail(`differs on ${JSON.stringify(text)}`);
  }
  t.pass();
});

test('leading zeros: refused in an address, taken in a prefix length (as Go reads them); an older pont\'s stored spelling reads as it did', (t) => {
  for (const bad of ['010.0.0.1', '10.0.0.01', '10.00.0.1', '0010.0.0.1', '10.0.0.001']) t.is(parseIPv4(bad), null, bad);
  for (const good of ['0.0.0.0', '10.0.0.0', '100.200.0.9']) t.not(parseIPv4(good), null, good);
  t.deepEqual(parseCidr('10.24.0.0/016'), { addr: parseIPv4('10.24.0.0'), cidr: { base: parseIPv4('10.24.0.0'), prefix: 16 } });
  t.is(parseCidr('10.24.0.0/0000016')?.cidr.prefix, 16);
  for (const bad of ['10.24.0.0/033', '010.24.0.0/16', '10.24.0.0/99999999999999999999']) t.is(parseCidr(bad), null, bad);
  t.is(parseStoredIPv4('172.18.0.02'), parseIPv4('172.18.0.2'));
  t.is(parseStoredIPv4('010.0.0.1'), parseIPv4('10.0.0.1'));
  t.is(parseStoredIPv4('172.18.0.2'), parseIPv4('172.18.0.2'));
  for (const bad of ['172.18.0.256', 'x.1.2.3', '1.2.3']) t.is(parseStoredIPv4(bad), null, bad);
});

test('rejects malformed input', (t) => {
  for (const bad of ['1.2.3', '256.1.1.1', '1.2.3.4.5', 'a.b.c.d', '', '01.2.3.4x']) t.is(parseIPv4(bad), null, bad);
  for (const bad of ['10.0.0.0/33', '10.0.0.0', '10.0.0.0/', 'nonsense', '10.0.0.0/-1']) t.is(parseCidr(bad), null, bad);
});
