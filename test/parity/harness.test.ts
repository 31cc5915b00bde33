// The parity harness itself (no engine needed): normalisation, the iptables folding, flattening
// and the deliberate-difference matchers must neither hide real differences nor invent any.
import test from 'ava';
import { documentedIds, explain, MATCHERS, type Difference } from './deliberate.js';
import { IdBook, normaliseIptables, normaliseText } from './normalise.js';
import { flatten, type View } from './observe.js';
import { FORWARDING_WARNING } from '../../src/engine/forwarding.js';

const NET = 'a'.repeat(12) + '1'.repeat(52);
const CTR = 'b'.repeat(12) + '2'.repeat(52);

function book(): IdBook {
  const ids = new IdBook();
  ids.learn(NET, 'net', 'n1');
  ids.learn(CTR, 'ctr', 'c1');
  return ids;
}

test('ids, bridges, times and the program name are normalised; unknown ids stay visible as such', (t) => {
  const ids = book();
  t.is(normaliseText(`${NET}\n`, ids), '<net:n1>\n');
  t.is(normaliseText(`br-${NET.slice(0, 12)} pont-${NET.slice(0, 10)} docker0 pont0`, ids), 'br(n1) br(n1) br(bridge) br(bridge)');
  t.is(normaliseText(`"Aliases": ["${CTR.slice(0, 12)}"], "EndpointID": "${'c'.repeat(64)}"`, ids), '"Aliases": ["<ctr:c1>"], "EndpointID": "<id>"');
  t.is(normaliseText('"Created": "2026-11-24T03:29:12.467355432Z", "FinishedAt": "0001-01-01T00:00:00Z"', ids), '"Created": "<time>", "FinishedAt": "0001-01-01T00:00:00Z"');
  t.is(normaliseText('2026-11-24 03:30:01.866615041 +0000 UTC|3 seconds ago|Up Less than a second', ids), '<time>|<ago>|Up <dur>');
  t.is(normaliseText("docker: Error response from daemon: x.\nSee 'docker run --help'.", ids), "CLI: Error response from daemon: x.\nSee 'CLI run --help'.");
  t.is(normaliseText('"pont network create" requires exactly 1 argument.', ids), '"CLI network create" requires exactly 1 argument.');
  // words that merely contain the names are left alone
  t.is(normaliseText('com.docker.network.bridge.name pontoon', ids), 'com.docker.network.bridge.name pontoon');
  t.true(ids.hasUnknown(`pont-${'d'.repeat(10)}`));
  t.false(ids.hasUnknown(`pont-${NET.slice(0, 10)} ${CTR}`));
});

test("iptables: pont's own chains are folded back and renamed; counters and empty tables go", (t) => {
  const ids = book();
  const docker = normaliseIptables(
    ['*filter', ':FORWARD DROP [0:0]', ':DOCKER-USER - [0:0]', `-A FORWARD -o br-${NET.slice(0, 12)} -j DOCKER`, '-A DOCKER-USER -j RETURN', 'COMMIT', '*mangle', ':PREROUTING ACCEPT [0:0]', 'COMMIT'].join('\n'),
    ids,
  );
  const pont = normaliseIptables(
    ['*filter', ':FORWARD ACCEPT [0:0]', ':PONT-FORWARD - [0:0]', ':PONT-USER - [0:0]', '-A FORWARD -j PONT-FORWARD', `-A PONT-FORWARD -o pont-${NET.slice(0, 10)} -j PONT`, '-A PONT-USER -j RETURN', 'COMMIT'].join('\n'),
    ids,
  );
  t.deepEqual([...docker.keys()], ['filter']);
  t.deepEqual([...docker.get('filter')!], [':FORWARD DROP', ':X-USER -', '-A FORWARD -o br(n1) -j X', '-A X-USER -j RETURN']);
  t.deepEqual([...pont.get('filter')!], [':FORWARD ACCEPT', ':X-USER -', '-A FORWARD -o br(n1) -j X', '-A X-USER -j RETURN']);
});

test("iptables: PONT-INPUT is folded into INPUT; only its internal-bridge rules remain, and D-internal-no-way-out explains them and the refused host pings", (t) => {
  const br = `pont-${NET.slice(0, 10)}`;
  const pont = normaliseIptables(
    [
      '*filter', ':INPUT ACCEPT [0:0]', ':PONT-INPUT - [0:0]', '-A INPUT -j PONT-INPUT',
      `-A PONT-INPUT -i ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
      `-A PONT-INPUT -d 10.88.0.1/32 -i ${br} -p icmp -m icmp --icmp-type 8 -j ACCEPT`,
      `-A PONT-INPUT -i ${br} -j DROP`, 'COMMIT',
    ].join('\n'),
    book(),
  );
  const lines = [...pont.get('filter')!];
  t.deepEqual(lines, [
    ':INPUT ACCEPT',
    '-A INPUT -i br(n1) -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    '-A INPUT -d 10.88.0.1/32 -i br(n1) -p icmp -m icmp --icmp-type 8 -j ACCEPT',
    '-A INPUT -i br(n1) -j DROP',
  ]);
  const m = MATCHERS['D-internal-no-way-out'];
  for (const l of lines.slice(1)) t.true(m(diff({ kind: 'iptables', key: `filter: ${l}`, pont: 'present' })), l);
  t.false(m(diff({ kind: 'iptables', key: 'filter: -A INPUT -i br(n1) -j DROP', docker: 'present' })), 'a rule Docker has and pont lacks');
  t.false(m(diff({ kind: 'iptables', key: 'filter: -A INPUT -i br(n1) -j ACCEPT', pont: 'present' })));
  t.true(m(diff({ kind: 'ping', key: 'in1 -> gw@open', docker: 'reply', pont: 'no reply' })));
  t.false(m(diff({ kind: 'ping', key: 'in1 -> gw@open', docker: 'no reply', pont: 'reply' })));
  t.false(m(diff({ kind: 'ping', key: 'in1 -> in2@closed', docker: 'reply', pont: 'no reply' })));
});

test('flatten keeps field order, sorts id-keyed maps, and keysOnly gives field sets only', (t) => {
  const doc = { Name: 'n', Containers: { '<ctr:c2>': { Name: 'c2' }, '<ctr:c1>': { Name: 'c1' } }, Config: [], Image: 'bb' };
  const v: View = new Map();
  flatten(doc, '', v, { keysOnly: false, img: 'bb' });
  t.is(v.get('{}'), 'Name, Containers, Config, Image');
  t.is(v.get('Containers{}'), '<ctr:c1>, <ctr:c2>');
  t.is(v.get('Containers.<ctr:c1>.Name'), '"c1"');
  t.is(v.get('Config'), '[]');
  t.is(v.get('Image'), '"<img>"');
  const k: View = new Map();
  flatten(doc, '', k, { keysOnly: true, img: 'bb' });
  t.deepEqual([...k.keys()], ['{}', 'Containers{}', 'Containers.<ctr:c2>{}', 'Containers.<ctr:c1>{}']);
});

const diff = (d: Partial<Difference>): Difference => ({ step: 1, label: 'x', kind: 'run', key: 'stdout', ...d });

test('matchers recognise exactly what their section describes', (t) => {
  const v6 = MATCHERS['D-ipv4-only-ports'];
  t.true(v6(diff({ docker: '80/tcp -> 0.0.0.0:18080\n80/tcp -> :::18080\n', pont: '80/tcp -> 0.0.0.0:18080\n' })));
  t.true(v6(diff({ docker: 'p1: 0.0.0.0:1->80/tcp, :::1->80/tcp\n', pont: 'p1: 0.0.0.0:1->80/tcp\n' })));
  t.false(v6(diff({ docker: '80/tcp -> 0.0.0.0:18080\n', pont: '80/tcp -> 0.0.0.0:18081\n' })));

  const hints = MATCHERS['D-usage-hints'];
  t.true(hints(diff({ key: 'stderr', docker: 'usage\n', pont: 'usage\nhint: do this\n' })));
  t.false(hints(diff({ key: 'stderr', docker: 'usage\n', pont: 'usage\nmore\n' })));

  const failed = MATCHERS['D-failed-run-leaves-nothing'];
  t.true(failed(diff({ label: '{cli} run -d --name i3 bb', docker: '<ctr:i3>\n', pont: '' })));
  t.false(failed(diff({ label: '{cli} run -d --name i3 bb', key: 'stderr', docker: 'x\n', pont: '' })));

  // Docker's CLI on pont's API: the same error, refused at create, so with the CLI's usage line
  const atCreate = MATCHERS['D-api-created-has-endpoints'];
  const refused = 'CLI: Error response from daemon: Address already in use.\n';
  t.true(atCreate(diff({ label: '{cli} run -d --name i3 bb', key: 'stderr', docker: refused, pont: `${refused}See 'CLI run --help'.\n` })));
  t.false(atCreate(diff({ label: '{cli} run -d --name i3 bb', key: 'stderr', docker: refused, pont: "CLI: Error response from daemon: other.\nSee 'CLI run --help'.\n" })));
  t.false(atCreate(diff({ label: '{cli} run -d --name i3 bb', key: 'stderr', docker: refused, pont: `${refused}See 'CLI run --help'.\nmore\n` })));
  t.false(atCreate(diff({ label: '{cli} network create n', key: 'stderr', docker: refused, pont: `${refused}See 'CLI run --help'.\n` })));

  const netns = MATCHERS['D-container-netns-name'];
  t.true(netns(diff({ kind: 'containerInspect', key: 'NetworkSettings.SandboxKey', docker: '"/run/dx/netns/<id12>"', pont: '"/run/netns/c1"' })));
  // a host-network container: Docker's shared "default" sandbox, pont's handle on the host namespace
  t.true(netns(diff({ kind: 'containerInspect', key: 'NetworkSettings.SandboxKey', docker: '"/run/dx/netns/default"', pont: '"/proc/1/ns/net"' })));
  // an empty value where Docker has a sandbox is not this difference
  t.false(netns(diff({ kind: 'containerInspect', key: 'NetworkSettings.SandboxKey', docker: '"/run/dx/netns/default"', pont: '""' })));

  const raw = diff({ kind: 'iptables', key: 'raw: -A X-PREROUTING -d 172.18.0.2/32 ! -i br(n) -j DROP', pont: 'present' });
  t.is(explain(raw, ['D-raw-direct-drop'], []), 'D-raw-direct-drop');
  // an id the scenario did not declare explains nothing
  t.is(explain(raw, [], []), undefined);
  t.is(explain(diff({ docker: 'a', pont: 'b' }), [], ['D-stopped-keeps-address']), 'D-stopped-keeps-address');
});

test('documented ids are read from the headings of docs/differences.md', (t) => {
  t.deepEqual([...documentedIds('# t\n### D-one — a\ntext D-not-a-heading\n## `D-two` b\n')], ['D-one', 'D-two']);
  const ids = documentedIds();
  for (const id of Object.keys(MATCHERS)) t.true(ids.has(id), id);
});

test("the docker CLI's own `context canceled` log line is dropped, and only that line", (t) => {
  const noise = 'time="2026-11-30T23:07:18Z" level=error msg="error waiting for container: context canceled"\n';
  t.is(normaliseText(`${noise}docker: Error response from daemon: x.\n`, new IdBook()), 'CLI: Error response from daemon: x.\n');
  t.is(normaliseText('time="2026-11-30T23:07:18Z" level=error msg="error waiting for container: EOF"\n', new IdBook()), 'time="<time>" level=error msg="error waiting for container: EOF"\n');
});

test("pont's one-time forwarding warning is dropped before comparing (D-forward-warning)", (t) => {
  t.is(normaliseText(`${FORWARDING_WARNING}\nWARNING: Published ports are discarded when using host network mode\n`, new IdBook()), 'WARNING: Published ports are discarded when using host network mode\n');
});
