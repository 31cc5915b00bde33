// Host port allocation: Docker's fixed-port conflict text and ephemeral choice, as a pure function.
import test from 'ava';
import {
  allocateHostPorts, AllPortsAllocatedError, PortAllocatedError, PortAllocatorError, parsePublish,
  dockerStartErrorText, type PortBinding,
} from '../../../src/core/ports/portspec.js';

const req = (spec: string): PortBinding => parsePublish(spec)[0];
const alloc = (specs: string[], used: string[] = [], range?: { low: number; high: number }) =>
  allocateHostPorts(specs.map(req), new Set(used), range);

const ok: [string, string[], string[], number[], { low: number; high: number }?][] = [
  ['fixed port on a free host', ['8000:80'], [], [8000]],
  ['random takes the lowest free ephemeral port', ['80'], [], [32768]],
  ['random skips taken ports', ['80'], ['tcp:0.0.0.0:32768', 'tcp:127.0.0.1:32769'], [32770]],
  ['other proto does not conflict', ['8000:80'], ['udp:0.0.0.0:8000'], [8000]],
  ['distinct specific ips do not conflict', ['127.0.0.1:8000:80'], ['tcp:10.0.0.1:8000'], [8000]],
  ['ipv6 specific vs ipv4 specific', ['[::1]:8000:80'], ['tcp:127.0.0.1:8000'], [8000]],
  ['batch: later randoms avoid earlier picks', ['80', '81', '8000:82'], [], [32768, 32769, 8000]],
  ['batch: udp and tcp share numbers', ['80', '53/udp'], [], [32768, 32768]],
  ['custom range', ['80', '81'], ['tcp:0.0.0.0:5000'], [5001, 5002], { low: 5000, high: 5002 }],
  ['host range takes its first free port', ['8000-8002:80'], ['tcp:0.0.0.0:8000'], [8001]],
  ['host range per ip', ['127.0.0.1:8000-8002:80'], ['tcp:10.0.0.1:8000'], [8000]],
  ['HostPort 0 is random', ['0:80'], [], [32768]],
  ['ipv6 keys with colons parse', ['[::1]:8000:80'], ['tcp:::2:8000', 'tcp:2001:db8::1:8000'], [8000]],
];
for (const [name, specs, used, want, range] of ok) {
  test(`allocateHostPorts: ${name}`, (t) => {
    const inUse = new Set(used);
    t.deepEqual(allocateHostPorts(specs.map(req), inUse, range), want);
    t.deepEqual([...inUse], used); // pure
  });
}

const conflicts: [string, string[], string[], string][] = [
  ['same port on 0.0.0.0', ['8000:80'], ['tcp:0.0.0.0:8000'], 'Bind for 0.0.0.0:8000 failed: port is already allocated'],
  ['specific ip vs wildcard binding', ['127.0.0.1:8000:80'], ['tcp:0.0.0.0:8000'], 'Bind for 127.0.0.1:8000 failed: port is already allocated'],
  ['wildcard vs specific binding', ['8000:80'], ['tcp:127.0.0.1:8000'], 'Bind for 0.0.0.0:8000 failed: port is already allocated'],
  ['same specific ip', ['127.0.0.1:8000:80/udp'], ['udp:127.0.0.1:8000'], 'Bind for 127.0.0.1:8000 failed: port is already allocated'],
  ['ipv6 wildcard in use', ['[::1]:8000:80'], ['tcp::::8000'], 'Bind for ::1:8000 failed: port is already allocated'],
  ['ipv6 written two ways', ['[0::1]:8000:80'], ['tcp:::1:8000'], 'Bind for ::1:8000 failed: port is already allocated'],
  ['empty ip in a key means all addresses', ['127.0.0.1:8000:80'], ['tcp::8000'], 'Bind for 127.0.0.1:8000 failed: port is already allocated'],
  ['within one batch', ['8000:80', '8000:81'], [], 'Bind for 0.0.0.0:8000 failed: port is already allocated'],
];
for (const [name, specs, used, message] of conflicts) {
  test(`allocateHostPorts conflict: ${name}`, (t) => {
    const err = t.throws(() => alloc(specs, used), { instanceOf: PortAllocatedError });
    t.is(err?.message, message);
  });
}

test('allocateHostPorts: exhausted ranges', (t) => {
  t.throws(() => alloc(['80'], ['tcp:0.0.0.0:5000'], { low: 5000, high: 5000 }), { instanceOf: AllPortsAllocatedError, message: 'all ports are allocated' });
  t.throws(() => alloc(['8000-8001:80'], ['tcp:0.0.0.0:8000', 'tcp:0.0.0.0:8001']), { instanceOf: AllPortsAllocatedError, message: 'all ports are allocated' });
  t.throws(() => alloc(['0-5:80']), { instanceOf: PortAllocatorError, message: 'invalid port range: 0-5' });
});

test('how docker run reports the conflict', (t) => {
  const err = t.throws(() => alloc(['3000:3000'], ['tcp:0.0.0.0:3000']))!;
  t.is(dockerStartErrorText(err, 'crazy_napier', '7b7e0b077e1d'),
    'docker: Error response from daemon: driver failed programming external connectivity on endpoint crazy_napier (7b7e0b077e1d): Bind for 0.0.0.0:3000 failed: port is already allocated.');
});

test('allocateHostPorts: 8,000 random ports among 10,000 used ones are the first free ones, distinct and conflict-free', (t) => {
  const range = { low: 32768, high: 60999 };
  const used: string[] = [];
  // every other port taken on all addresses, some more on one address, a few udp ones
  for (let p = range.low; p < range.low + 20_000; p += 2) used.push(`tcp:0.0.0.0:${p}`);
  for (let p = range.low + 1; p < range.low + 4_000; p += 4) used.push(`tcp:10.0.0.1:${p}`);
  for (let p = range.low; p < range.low + 100; p++) used.push(`udp:0.0.0.0:${p}`);
  const requests: PortBinding[] = [];
  for (let i = 0; i < 8_000; i++) requests.push({ hostIp: '', hostPort: null, containerPort: 20_000 + i, proto: 'tcp' });
  for (let i = 0; i < 500; i++) requests.push({ hostIp: '127.0.0.1', hostPort: null, containerPort: 30_000 + i, proto: 'tcp' });
  for (let i = 0; i < 500; i++) requests.push({ hostIp: '', hostPort: null, containerPort: 40_000 + i, proto: 'udp' });
  const got = allocateHostPorts(requests, new Set(used), range);

  const portsOf = (prefix: string) => used.filter((k) => k.startsWith(prefix)).map((k) => Number(k.split(':').pop()));
  const firstFree = (n: number, skip: number[]) => {
    const s = new Set(skip);
    const out: number[] = [];
    for (let p = range.low; out.length < n; p++) if (!s.has(p)) out.push(p);
    return out;
  };
  // wildcard requests avoid every address; 127.0.0.1 ones avoid the wildcard ones but may share
  // a port with 10.0.0.1
  const wildTcp = got.slice(0, 8_000);
  t.deepEqual(wildTcp, firstFree(8_000, [...portsOf('tcp:0.0.0.0:'), ...portsOf('tcp:10.0.0.1:')]));
  const local = got.slice(8_000, 8_500);
  t.deepEqual(local, firstFree(500, [...portsOf('tcp:0.0.0.0:'), ...wildTcp]));
  t.deepEqual(got.slice(8_500), firstFree(500, portsOf('udp:0.0.0.0:')));
  for (const list of [wildTcp, local, got.slice(8_500)]) t.is(new Set(list).size, list.length);
  t.true(got.every((p) => p >= range.low && p <= range.high));
});
