// -p/--publish parsing: every row is a value `docker run -p` accepts (with the exact bindings
// go-connections v0.4.0 produces) or refuses (with Docker 20.10's exact error text).
import test from 'ava';
import { parsePublish, parsePublishSpecs, PortSpecError, type PortBinding } from '../../../src/core/ports/portspec.js';

const b = (hostIp: string, hostPort: number | null, containerPort: number, proto: PortBinding['proto'] = 'tcp'): PortBinding =>
  ({ hostIp, hostPort, containerPort, proto });

const ok: [string, PortBinding[]][] = [
  ['80', [b('', null, 80)]],
  ['80/tcp', [b('', null, 80)]],
  ['80/udp', [b('', null, 80, 'udp')]],
  ['80/sctp', [b('', null, 80, 'sctp')]],
  ['80/UDP', [b('', null, 80, 'udp')]],
  ['80/', [b('', null, 80)]],
  ['80/udp/extra', [b('', null, 80, 'udp')]], // v0.4.0 ignores fields after the second '/'
  [':80', [b('', null, 80)]],
  ['::80', [b('', null, 80)]],
  ['8000:80', [b('', 8000, 80)]],
  ['8000:80/udp', [b('', 8000, 80, 'udp')]],
  ['0:80', [b('', null, 80)]], // HostPort "0" = daemon picks
  ['080:0080', [b('', 80, 80)]],
  ['65535:65535', [b('', 65535, 65535)]],
  ['0', [b('', null, 0)]],
  ['127.0.0.1:8000:80', [b('127.0.0.1', 8000, 80)]],
  ['127.0.0.1::80', [b('127.0.0.1', null, 80)]],
  ['0.0.0.0:8000:80/udp', [b('0.0.0.0', 8000, 80, 'udp')]],
  ['[::1]:8000:80', [b('::1', 8000, 80)]],
  ['[::1]::80', [b('::1', null, 80)]],
  ['[::]:8000:80/udp', [b('::', 8000, 80, 'udp')]],
  ['[2001:db8::1]:443:443', [b('2001:db8::1', 443, 443)]],
  ['[::ffff:1.2.3.4]:80:80', [b('::ffff:1.2.3.4', 80, 80)]],
  ['[127.0.0.1]:8000:80', [b('127.0.0.1', 8000, 80)]], // brackets are stripped from any IP
  ['[]:8000:80', [b('', 8000, 80)]],
  ['80-82', [b('', null, 80), b('', null, 81), b('', null, 82)]],
  ['7000-7001/udp', [b('', null, 7000, 'udp'), b('', null, 7001, 'udp')]],
  ['8000-8001:80-81', [b('', 8000, 80), b('', 8001, 81)]],
  ['1.2.3.4:8000-8001:80-81/udp', [b('1.2.3.4', 8000, 80, 'udp'), b('1.2.3.4', 8001, 81, 'udp')]],
  ['1.2.3.4::80-81', [b('1.2.3.4', null, 80), b('1.2.3.4', null, 81)]],
  ['80-80', [b('', null, 80)]],
  ['8000-8000:80', [b('', 8000, 80)]],
  ['1-2-3', [b('', null, 1), b('', null, 2)]], // ParsePortRange reads only two '-' fields
  ['0-1:80-81', [b('', null, 80), b('', 1, 81)]],
  // long syntax (docker/cli convertToStandardNotation)
  ['target=80,published=8080', [b('', 8080, 80)]],
  ['published=8080,target=80,protocol=udp', [b('', 8080, 80, 'udp')]],
  ['target=80', [b('', null, 80)]],
  ['target=80,published=8080,mode=host', [b('', 8080, 80)]],
];

for (const [spec, want] of ok) {
  test(`parsePublish ${JSON.stringify(spec)}`, (t) => {
    t.deepEqual(parsePublish(spec), want);
  });
}

test('host range with one container port is a range to allocate from', (t) => {
  t.deepEqual(parsePublish('8000-8010:80'), [{ hostIp: '', hostPort: null, containerPort: 80, proto: 'tcp', hostPortRange: { start: 8000, end: 8010 } }]);
  t.deepEqual(parsePublish('127.0.0.1:8000-8001:80-80/udp'), [{ hostIp: '127.0.0.1', hostPort: null, containerPort: 80, proto: 'udp', hostPortRange: { start: 8000, end: 8001 } }]);
});

const bad: [string, string][] = [
  ['', 'No port specified: <empty>'],
  ['/udp', 'No port specified: /udp<empty>'],
  ['8000:', 'No port specified: 8000:<empty>'],
  ['127.0.0.1:8000:', 'No port specified: 127.0.0.1:8000:<empty>'],
  ['abc', 'Invalid containerPort: abc'],
  ['abc/udp', 'Invalid containerPort: abc'],
  ['8000:abc', 'Invalid containerPort: abc'],
  ['70000', 'Invalid containerPort: 70000'],
  ['-1', 'Invalid containerPort: -1'],
  ['+80', 'Invalid containerPort: +80'],
  [' 80', 'Invalid containerPort:  80'],
  ['90-80', 'Invalid containerPort: 90-80'],
  ['80-', 'Invalid containerPort: 80-'],
  ['80-90000', 'Invalid containerPort: 80-90000'],
  ['abc:80', 'Invalid hostPort: abc'],
  ['70000:80', 'Invalid hostPort: 70000'],
  ['8010-8000:80', 'Invalid hostPort: 8010-8000'],
  ['1.2.3.4:x:80', 'Invalid hostPort: x'],
  ['8000-8002:80-81', 'Invalid ranges specified for container and host Ports: 80-81 and 8000-8002'],
  ['8000:80-81', 'Invalid ranges specified for container and host Ports: 80-81 and 8000'],
  ['80/xyz', 'Invalid proto: xyz'],
  ['8000:80/TCPX', 'Invalid proto: TCPX'],
  ['abc/xyz', 'Invalid containerPort: abc'], // proto is checked last
  ['8000-8002:80-81/xyz', 'Invalid ranges specified for container and host Ports: 80-81 and 8000-8002'],
  ['localhost:8000:80', 'Invalid ip address: localhost'],
  ['1.2.3.4.5:8000:80', 'Invalid ip address: 1.2.3.4.5'],
  ['127.000.0.1:8000:80', 'Invalid ip address: 127.000.0.1'],
  ['foo:80:', 'Invalid ip address: foo'], // IP is checked before the empty container port
  ['[foo]:8000:80', 'Invalid ip address: foo'],
  ['[fe80::1%eth0]:8000:80', 'Invalid ip address: fe80::1%eth0'],
  // IPv6 without brackets, and other too-many-colons forms (net.SplitHostPort's wording)
  ['::1:8000:80', 'Invalid ip address ::1: address ::1:: too many colons in address'],
  ['1:2:3:4', 'Invalid ip address 1:2: address 1:2:: too many colons in address'],
  ['2001:db8::1:8000:80', 'Invalid ip address 2001:db8::1: address 2001:db8::1:: too many colons in address'],
  ['[::1]::8000:80', 'Invalid ip address [::1]:: address [::1]::: too many colons in address'],
  ['[::1:8000:80', "Invalid ip address [::1: address [::1:: missing ']' in address"],
  ['[::1]x:8000:80', 'Invalid ip address [::1]x: address [::1]x:: missing port in address'],
  ['a[b:8000:80', "Invalid ip address a[b: address a[b:: unexpected '[' in address"],
  ['a]b:8000:80', "Invalid ip address a]b: address a]b:: unexpected ']' in address"],
  // long syntax
  ['target=80,', "invalid publish opts format (should be name=value but got '')"],
  ['target=80,published', "invalid publish opts format (should be name=value but got 'published')"],
  ['published=8080', 'No port specified: 8080:/tcp<empty>'],
  ['target=80,protocol=icmp', 'Invalid proto: icmp'],
];

for (const [spec, message] of bad) {
  test(`parsePublish refuses ${JSON.stringify(spec)}`, (t) => {
    const err = t.throws(() => parsePublish(spec), { instanceOf: PortSpecError });
    t.is(err?.message, message);
  });
}

test('docker run shows the error with a period and the help line, exit 125', (t) => {
  const err = t.throws(() => parsePublish('abc'), { instanceOf: PortSpecError })!;
  t.is(err.dockerText, "docker: Invalid containerPort: abc.\nSee 'docker run --help'.");
  t.is(err.exitCode, 125);
});

test('parsePublishSpecs: bindings in order and the container ports they expose', (t) => {
  t.deepEqual(parsePublishSpecs(['8000:80', '127.0.0.1:9000:80', '53/udp']), {
    bindings: [b('', 8000, 80), b('127.0.0.1', 9000, 80), b('', null, 53, 'udp')],
    exposed: [{ port: 80, proto: 'tcp' }, { port: 53, proto: 'udp' }],
  });
  t.throws(() => parsePublishSpecs(['80', 'x']), { message: 'Invalid containerPort: x' });
});
