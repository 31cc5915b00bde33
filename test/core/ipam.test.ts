import test from 'ava';
import { allocateAddress, chooseSubnet, DEFAULT_POOLS, emptyBook, planIpamConfig, releaseAddress } from '../../src/core/ipam.js';
import { cidrFromString, formatCidr } from '../../src/core/ipv4.js';
import { PontError } from '../../src/core/errors.js';
import { seededRandom } from '../helpers/seeded.js';

const used = (...c: string[]) => c.map(cidrFromString);

test('predefined pools: 172.17-31 /16 then 192.168.0.0/16 cut in /20s, in order', (t) => {
  t.is(DEFAULT_POOLS.length, 31);
  t.is(formatCidr(DEFAULT_POOLS[0]), '172.17.0.0/16');
  t.is(formatCidr(DEFAULT_POOLS[14]), '172.31.0.0/16');
  t.is(formatCidr(DEFAULT_POOLS[15]), '192.168.0.0/20');
  t.is(formatCidr(DEFAULT_POOLS[16]), '192.168.16.0/20');
  t.is(formatCidr(DEFAULT_POOLS[30]), '192.168.240.0/20');
});

const pick = (inUse: string[], cursor = -1, host: Parameters<typeof chooseSubnet>[1] = []) => {
  const r = chooseSubnet(used(...inUse), host, cursor);
  return `${formatCidr(r.subnet)}#${r.cursor}`;
};

test('chooseSubnet: the default bridge takes 172.17, the first network 172.18, the next 172.19', (t) => {
  t.is(pick([]), '172.17.0.0/16#0');
  t.is(pick(['172.17.0.0/16'], 0), '172.18.0.0/16#1');
  t.is(pick(['172.17.0.0/16', '172.18.0.0/16'], 1), '172.19.0.0/16#2');
});

test('chooseSubnet is round-robin like Docker 20.10: a freed pool is not reused before the list wraps', (t) => {
  // 172.18 was freed, the cursor sits on 172.19 (index 2): next is 172.20
  t.is(pick(['172.17.0.0/16', '172.19.0.0/16'], 2), '172.20.0.0/16#3');
});

test('chooseSubnet skips pools overlapping a user subnet and wraps after 192.168.240.0/20', (t) => {
  t.is(pick(['172.17.0.0/16', '172.18.5.0/24'], 0), '172.19.0.0/16#2');
  t.is(pick(['172.17.0.0/16'], 30), '172.18.0.0/16#1');
  const all172 = Array.from({ length: 15 }, (_, i) => `172.${17 + i}.0.0/16`);
  t.is(pick(all172, 14), '192.168.0.0/20#15');
});

test('chooseSubnet skips pools that overlap a host route, unlike Docker which only checks on-link routes', (t) => {
  const host = [{ cidr: cidrFromString('172.18.0.0/15'), what: 'route 172.18.0.0/15 dev eth1' }];
  t.is(pick(['172.17.0.0/16'], 0, host), '172.20.0.0/16#3');
});

test('exhaustion names the pools skipped because of the host', (t) => {
  const host = [{ cidr: cidrFromString('192.168.0.0/16'), what: 'route 192.168.0.0/16 dev eth0' }];
  const all = Array.from({ length: 15 }, (_, i) => `172.${17 + i}.0.0/16`);
  const e = t.throws(() => chooseSubnet(used(...all), host), { instanceOf: PontError });
  t.is(e!.message, 'Error response from daemon: could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
  t.regex(e!.hints[0], /192\.168\.0\.0\/20 \(route 192\.168\.0\.0\/16 dev eth0\)/);
});

test('user subnet and gateway are honoured', (t) => {
  t.deepEqual(planIpamConfig({ subnet: '172.16.86.0/24', gateway: '172.16.86.1' }, [], []).config, {
    subnet: '172.16.86.0/24',
    gateway: '172.16.86.1',
    userSubnet: true,
  });
});

test('without --gateway the gateway is the first host address, implicit (Docker hides it); the subnet is kept as typed', (t) => {
  t.deepEqual(planIpamConfig({ subnet: '10.9.8.7/16' }, [], []).config, { subnet: '10.9.8.7/16', gateway: '10.9.0.1', implicitGateway: true, userSubnet: true });
});

const errorCases: [string, Parameters<typeof planIpamConfig>[0], string[], string][] = [
  ['overlap', { subnet: '172.18.1.0/24' }, ['172.18.0.0/16'], 'Error response from daemon: Pool overlaps with other one on this address space'],
  ['bad CIDR', { subnet: '10.0.0.0/33' }, [], 'Error response from daemon: Invalid subnet 10.0.0.0/33 : invalid CIDR address: 10.0.0.0/33'],
  ['gateway outside', { subnet: '10.0.0.0/24', gateway: '10.0.1.1' }, [], 'no matching subnet for gateway 10.0.1.1'],
  ['gateway not an address', { subnet: '10.0.0.0/24', gateway: 'nonsense' }, [], 'no matching subnet for gateway nonsense'],
  ['gateway without subnet', { gateway: '10.0.1.1' }, [], 'every ip-range or gateway must have a corresponding subnet'],
  ['range outside', { subnet: '10.0.0.0/24', ipRange: '10.0.1.0/25' }, [], 'no matching subnet for range 10.0.1.0/25'],
  ['aux outside', { subnet: '10.0.0.0/24', auxAddresses: { a: '10.9.9.9' } }, [], 'no matching subnet for aux-address 10.9.9.9'],
  // Docker 20.10's client (consolidateIpam) and daemon, observed
  ['subnet with a leading zero', { subnet: '010.20.0.0/16' }, [], 'Error response from daemon: Invalid subnet 010.20.0.0/16 : invalid CIDR address: 010.20.0.0/16'],
  ['bad subnet, with a gateway: the client says it', { subnet: '010.20.0.0/16', gateway: '10.20.0.1' }, [], 'invalid subnet: invalid CIDR address: 010.20.0.0/16'],
  ['bad subnet, with a range', { subnet: 'garbage', ipRange: '10.0.0.0/24' }, [], 'invalid subnet: invalid CIDR address: garbage'],
  ['gateway with a leading zero', { subnet: '10.21.0.0/16', gateway: '10.21.0.01' }, [], 'no matching subnet for gateway 10.21.0.01'],
  ['gateway CIDR with a leading zero', { subnet: '10.21.0.0/16', gateway: '10.21.00.1/16' }, [], 'invalid CIDR address: 10.21.00.1/16'],
  ['gateway CIDR', { subnet: '10.21.0.0/16', gateway: '10.21.0.1/16' }, [], 'Error response from daemon: invalid gateway address 10.21.0.1/16 in Ipam configuration'],
  ['range with a leading zero', { subnet: '10.22.0.0/16', ipRange: '10.22.01.0/24' }, [], 'invalid CIDR address: 10.22.01.0/24'],
  ['range not a CIDR', { subnet: '10.22.0.0/16', ipRange: '10.22.0.5' }, [], 'Error response from daemon: failed to parse pool request for address space "LocalDefault" pool "10.22.0.0/16" subpool "10.22.0.5": Invalid Address SubPool'],
  ['range garbage', { subnet: '10.22.0.0/16', ipRange: 'garbage' }, [], 'no matching subnet for range garbage'],
  ['aux with a leading zero', { subnet: '10.23.0.0/16', auxAddresses: { a: '10.23.0.05' } }, [], 'no matching subnet for aux-address 10.23.0.05'],
  ['aux CIDR with a leading zero', { subnet: '10.23.0.0/16', auxAddresses: { a: '10.23.0.05/16' } }, [], 'invalid CIDR address: 10.23.0.05/16'],
  ['aux CIDR', { name: 'z4', subnet: '10.23.0.0/16', auxAddresses: { a: '10.23.0.5/16' } }, [], 'Error response from daemon: non parsable secondary ip address (a:10.23.0.5/16) passed for network z4'],
  // the daemon's order (libnetwork): gateway, range, overlap, aux
  ['gateway CIDR before a bad range', { subnet: '10.22.0.0/16', ipRange: '10.22.0.5', gateway: '10.22.0.1/16' }, [], 'Error response from daemon: invalid gateway address 10.22.0.1/16 in Ipam configuration'],
  ['bad range before an overlap', { subnet: '10.25.1.0/24', ipRange: '10.25.1.5' }, ['10.25.0.0/16'], 'Error response from daemon: failed to parse pool request for address space "LocalDefault" pool "10.25.1.0/24" subpool "10.25.1.5": Invalid Address SubPool'],
  ['overlap before an aux CIDR', { subnet: '10.25.1.0/24', auxAddresses: { a: '10.25.1.5/16' } }, ['10.25.0.0/16'], 'Error response from daemon: Pool overlaps with other one on this address space'],
];

test('a prefix length with leading zeros is its number, and the subnet and range are kept as typed (Go\'s ParseCIDR, Docker 20.10)', (t) => {
  t.deepEqual(planIpamConfig({ subnet: '10.24.0.0/016', ipRange: '10.24.1.0/024' }, [], []).config, {
    subnet: '10.24.0.0/016', ipRange: '10.24.1.0/024', gateway: '10.24.1.0', implicitGateway: true, userSubnet: true,
  });
});
for (const [title, req, inUse, msg] of errorCases) {
  test(`planIpamConfig error: ${title}`, (t) => {
    t.throws(() => planIpamConfig(req, used(...inUse), []), { message: msg });
  });
}

const ctx = (book = emptyBook(), extra = {}) => ({
  config: { subnet: '172.18.0.0/16', gateway: '172.18.0.1', ...extra },
  book,
  networkLabel: 'n (abc)',
});

test('addresses: .2 then .3, skipping the gateway', (t) => {
  const a = allocateAddress(ctx());
  t.is(a.address, '172.18.0.2');
  const b = allocateAddress(ctx(a.book));
  t.is(b.address, '172.18.0.3');
});

test('addresses are first fit like Docker 20.10: a released one is the next handed out', (t) => {
  let book = emptyBook();
  for (let i = 0; i < 3; i++) book = allocateAddress(ctx(book)).book; // .2 .3 .4
  book = releaseAddress(book, '172.18.0.3');
  t.is(allocateAddress(ctx(book)).address, '172.18.0.3');
});

test('a full network refuses with Docker\'s text', (t) => {
  const c = { config: { subnet: '10.0.0.0/29', gateway: '10.0.0.1' }, networkLabel: 'n' };
  let book = emptyBook();
  for (let i = 0; i < 5; i++) book = allocateAddress({ ...c, book }).book; // .2-.6
  t.throws(() => allocateAddress({ ...c, book }), { message: "Error response from daemon: no available IPv4 addresses on this network's address pools: n" });
});

test('ip-range and aux addresses restrict allocation', (t) => {
  const a = allocateAddress(ctx(emptyBook(), { ipRange: '172.18.5.0/24', auxAddresses: { r: '172.18.5.0', s: '172.18.5.1' } }));
  t.is(a.address, '172.18.5.2');
});

test('an address requested with a leading zero is refused, as Docker does; one an older pont stored so is never handed out again', (t) => {
  t.throws(() => allocateAddress(ctx(), '172.18.0.02'), { message: 'Error response from daemon: invalid IPv4 address: 172.18.0.02' });
  // a book an older pont wrote, which took the address as typed
  const old = { allocated: ['172.18.0.02'] };
  // first fit skips .1 (the gateway) and .2, spelled 02 in the book
  t.is(allocateAddress(ctx(old)).address, '172.18.0.3');
  t.throws(() => allocateAddress(ctx(old), '172.18.0.2'), { message: 'Error response from daemon: Address already in use' });
  // a gateway stored with one is still the gateway
  const c = { config: { subnet: '10.0.0.0/29', gateway: '10.0.0.02' }, book: emptyBook(), networkLabel: 'n' };
  t.is(allocateAddress(c).address, '10.0.0.1');
  t.is(allocateAddress({ ...c, book: { allocated: ['10.0.0.1'] } }).address, '10.0.0.3');
});

test('requested addresses: in use, outside the subnet', (t) => {
  const a = allocateAddress(ctx(), '172.18.0.9');
  t.is(a.address, '172.18.0.9');
  t.throws(() => allocateAddress(ctx(a.book), '172.18.0.9'), { message: 'Error response from daemon: Address already in use' });
  t.throws(() => allocateAddress(ctx(), '10.0.0.1'), {
    message: "Error response from daemon: Invalid address 10.0.0.1: It does not belong to any of this network's subnets",
  });
});

test('first fit agrees with trying every address in turn, over generated books (ranges, aux and gateways, full networks, older spellings)', (t) => {
  const rand = seededRandom(13);
  const pick = (n: number) => Math.floor(rand() * n);
  const dotted = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  for (let i = 0; i < 3000; i++) {
    const prefix = 24 + pick(8);
    const subnet = cidrFromString(`10.7.${pick(4) * 64}.0/${prefix}`);
    const size = 2 ** (32 - prefix);
    const inSubnet = () => subnet.base + pick(size);
    const rangePrefix = prefix + pick(Math.min(3, 33 - prefix));
    const range = rand() < 0.3 ? cidrFromString(`${dotted(subnet.base + (pick(2 ** (rangePrefix - prefix)) * 2 ** (32 - rangePrefix)))}/${rangePrefix}`) : null;
    const aux = Object.fromEntries(Array.from({ length: pick(3) }, (_, k) => [`a${k}`, dotted(inSubnet())]));
    const gateway = dotted(inSubnet());
    // some taken as an older pont stored them, with a leading zero
    const allocated = [...new Set(Array.from({ length: pick(size + 2) }, () => dotted(inSubnet())))].map((a) => (rand() < 0.1 ? a.replace(/\.(\d)$/, '.0$1') : a));
    const config = { subnet: formatCidr(subnet), gateway, ...(range ? { ipRange: formatCidr(range) } : {}), auxAddresses: aux };
    // the reference: every address of the range in turn
    const reserved = new Set([gateway, ...Object.values(aux), ...(prefix < 31 ? [dotted(subnet.base), dotted(subnet.base + size - 1)] : [])]);
    const taken = new Set(allocated.map((a) => a.split('.').map(Number).join('.')));
    const r = range ?? subnet;
    let expected: string | null = null;
    for (let a = r.base; a < r.base + 2 ** (32 - r.prefix); a++) if (!reserved.has(dotted(a)) && !taken.has(dotted(a))) { expected = dotted(a); break; }
    let got: string | null;
    try {
      got = allocateAddress({ config, book: { allocated }, networkLabel: 'n' }).address;
    } catch {
      got = null;
    }
    if (got !== expected) return t.fail(`${JSON.stringify({ config, allocated })}: ${got} where first fit is ${expected}`);
  }
  t.pass();
});
