// --expose and -P: docker/cli 20.10 opts.go expose loop, and the daemon's PublishAllPorts rule.
import test from 'ava';
import { parseExpose, planPublishAll, PortSpecError, dockerRunErrorText, type ExposedPort } from '../../../src/core/ports/portspec.js';

const ok: [string, ExposedPort[]][] = [
  ['80', [{ port: 80, proto: 'tcp' }]],
  ['80/tcp', [{ port: 80, proto: 'tcp' }]],
  ['53/udp', [{ port: 53, proto: 'udp' }]],
  ['9/sctp', [{ port: 9, proto: 'sctp' }]],
  ['80/', [{ port: 80, proto: 'tcp' }]],
  ['80/UDP', [{ port: 80, proto: 'udp' }]],
  ['7000-7002/udp', [7000, 7001, 7002].map((port) => ({ port, proto: 'udp' as const }))],
  ['8080-8080', [{ port: 8080, proto: 'tcp' }]],
  ['0', [{ port: 0, proto: 'tcp' }]],
];
for (const [spec, want] of ok) {
  test(`parseExpose ${JSON.stringify(spec)}`, (t) => t.deepEqual(parseExpose(spec), want));
}

const bad: [string, string][] = [
  ['1.2.3.4:80', 'invalid port format for --expose: 1.2.3.4:80'],
  ['8000:80', 'invalid port format for --expose: 8000:80'],
  ['abc', 'invalid range format for --expose: abc, error: strconv.ParseUint: parsing "abc": invalid syntax'],
  ['70000', 'invalid range format for --expose: 70000, error: strconv.ParseUint: parsing "70000": value out of range'],
  ['99999x', 'invalid range format for --expose: 99999x, error: strconv.ParseUint: parsing "99999x": value out of range'],
  ['7x', 'invalid range format for --expose: 7x, error: strconv.ParseUint: parsing "7x": invalid syntax'],
  ['90-80', 'invalid range format for --expose: 90-80, error: Invalid range specified for the Port: 90-80'],
  ['80-abc/udp', 'invalid range format for --expose: 80-abc/udp, error: strconv.ParseUint: parsing "abc": invalid syntax'],
  ['-80', 'invalid range format for --expose: -80, error: strconv.ParseUint: parsing "": invalid syntax'],
  ['/udp', 'invalid range format for --expose: /udp, error: Empty string specified for ports.'],
  ['', 'invalid range format for --expose: , error: Empty string specified for ports.'],
  ['80/xyz', 'Invalid proto: xyz'], // pont-only: Docker would store "80/xyz"
];
for (const [spec, message] of bad) {
  test(`parseExpose refuses ${JSON.stringify(spec)}`, (t) => {
    t.is(t.throws(() => parseExpose(spec), { instanceOf: PortSpecError })?.message, message);
  });
}

test('expose error as docker run prints it: the trailing period is not doubled', (t) => {
  t.is(dockerRunErrorText('invalid range format for --expose: , error: Empty string specified for ports.'),
    "docker: invalid range format for --expose: , error: Empty string specified for ports.\nSee 'docker run --help'.");
});

test('-P adds a random binding on all addresses for each unpublished exposed port', (t) => {
  const explicit = [{ hostIp: '127.0.0.1', hostPort: 8000, containerPort: 80, proto: 'tcp' as const }];
  const exposed: ExposedPort[] = [
    { port: 443, proto: 'tcp' }, { port: 80, proto: 'tcp' }, { port: 53, proto: 'udp' },
    { port: 53, proto: 'tcp' }, { port: 443, proto: 'tcp' }, { port: 80, proto: 'udp' },
  ];
  t.deepEqual(planPublishAll(exposed, explicit), [
    explicit[0],
    { hostIp: '', hostPort: null, containerPort: 53, proto: 'tcp' },
    { hostIp: '', hostPort: null, containerPort: 53, proto: 'udp' },
    { hostIp: '', hostPort: null, containerPort: 80, proto: 'udp' },
    { hostIp: '', hostPort: null, containerPort: 443, proto: 'tcp' },
  ]);
  t.deepEqual(planPublishAll([], explicit), explicit);
  t.deepEqual(planPublishAll([{ port: 80, proto: 'tcp' }], explicit), explicit);
});
