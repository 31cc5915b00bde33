// `docker port` lines and the `docker ps` PORTS column, per docker/cli 20.10 DisplayablePorts.
import test from 'ava';
import { formatPortBinding, formatPsPorts, toPsPorts, type PortBinding, type PsPort } from '../../../src/core/ports/portspec.js';

const bind = (hostIp: string, containerPort: number, proto: PortBinding['proto'] = 'tcp'): PortBinding =>
  ({ hostIp, hostPort: null, containerPort, proto });

const single: [PortBinding, number, string, string][] = [
  [bind('', 80), 8000, '0.0.0.0:8000->80/tcp', '80/tcp -> 0.0.0.0:8000'],
  [bind('127.0.0.1', 80), 8000, '127.0.0.1:8000->80/tcp', '80/tcp -> 127.0.0.1:8000'],
  [bind('', 53, 'udp'), 32768, '0.0.0.0:32768->53/udp', '53/udp -> 0.0.0.0:32768'],
  [bind('::', 80), 8000, ':::8000->80/tcp', '80/tcp -> :::8000'],
  [bind('::1', 9, 'sctp'), 9, '::1:9->9/sctp', '9/sctp -> ::1:9'],
];
for (const [b, hp, ps, port] of single) {
  test(`formatPortBinding ${ps}`, (t) => {
    t.is(formatPortBinding(b, hp), ps);
    t.is(formatPortBinding(b, hp, 'ps'), ps);
    t.is(formatPortBinding(b, hp, 'port'), port);
  });
}

const p = (ip: string, privatePort: number, publicPort?: number, proto = 'tcp'): PsPort =>
  publicPort === undefined ? { ip, privatePort, proto } : { ip, privatePort, publicPort, proto };

const ps: [string, PsPort[], string][] = [
  ['nothing', [], ''],
  ['one exposed', [p('', 80)], '80/tcp'],
  ['consecutive exposed collapse', [p('', 81), p('', 80), p('', 82)], '80-82/tcp'],
  ['gap splits, the open group goes last', [p('', 80), p('', 81), p('', 90)], '80-81/tcp, 90/tcp'],
  ['tcp and udp group apart', [p('', 53, undefined, 'udp'), p('', 53)], '53/tcp, 53/udp'],
  ['interrupted group is emitted at once', [p('', 80), p('', 80, undefined, 'udp'), p('', 90)], '80/tcp, 90/tcp, 80/udp'],
  ['published same-number ports collapse', [p('0.0.0.0', 80, 80), p('0.0.0.0', 81, 81)], '0.0.0.0:80-81->80-81/tcp'],
  ['20.10 dual-stack same-number',
    [p('0.0.0.0', 80, 80), p('::', 80, 80), p('0.0.0.0', 81, 81), p('::', 81, 81)],
    '0.0.0.0:80-81->80-81/tcp, :::80-81->80-81/tcp'],
  ['different host port never collapses',
    [p('0.0.0.0', 81, 8001), p('0.0.0.0', 80, 8000)],
    '0.0.0.0:8000->80/tcp, 0.0.0.0:8001->81/tcp'],
  ['20.10 dual-stack 8000->80',
    [p('::', 80, 8000), p('0.0.0.0', 80, 8000)],
    '0.0.0.0:8000->80/tcp, :::8000->80/tcp'],
  ['host mappings follow groups',
    [p('0.0.0.0', 80, 8080), p('', 443), p('127.0.0.1', 22, 22)],
    '127.0.0.1:22->22/tcp, 443/tcp, 0.0.0.0:8080->80/tcp'],
  ['same private port, two host ports sorted by host port',
    [p('0.0.0.0', 80, 9000), p('0.0.0.0', 80, 8000), p('0.0.0.0', 80, 80)],
    '0.0.0.0:80->80/tcp, 0.0.0.0:8000->80/tcp, 0.0.0.0:9000->80/tcp'],
  ['ips group separately', [p('10.0.0.1', 80, 80), p('127.0.0.1', 81, 81), p('10.0.0.1', 81, 81)],
    '10.0.0.1:80-81->80-81/tcp, 127.0.0.1:81->81/tcp'],
];
for (const [name, list, want] of ps) {
  test(`formatPsPorts: ${name}`, (t) => {
    const copy = structuredClone(list);
    t.is(formatPsPorts(list), want);
    t.deepEqual(list, copy); // input not reordered
  });
}

test('toPsPorts: bound ports (dual-stack on request) then unbound exposed ones', (t) => {
  const bound = [
    { binding: bind('', 80), hostPort: 8000 },
    { binding: bind('127.0.0.1', 81), hostPort: 81 },
  ];
  const exposed = [{ port: 80, proto: 'tcp' as const }, { port: 443, proto: 'tcp' as const }];
  t.deepEqual(toPsPorts(exposed, bound), [p('0.0.0.0', 80, 8000), p('127.0.0.1', 81, 81), p('', 443)]);
  t.is(formatPsPorts(toPsPorts(exposed, bound, { ipv6: true })),
    '127.0.0.1:81->81/tcp, 443/tcp, 0.0.0.0:8000->80/tcp, :::8000->80/tcp');
});
