import test from 'ava';
import { bridgeNetworkRules, baseLayout } from '../../src/core/firewall/layout.js';
import { explainApply, renderApply, renderUndo } from '../../src/core/firewall/rules.js';
import { missingBase } from '../../src/engine/firewall-base.js';
import { portRules } from '../../src/core/firewall/ports.js';

const net = { bridge: 'pont-abc', subnet: '172.18.0.0/16', internal: false, masquerade: true, icc: true };

test('a bridge network renders to one restore document per table, nat before filter', (t) => {
  const doc = renderApply(bridgeNetworkRules(net));
  t.is(
    doc,
    [
      '*nat',
      '-A PONT-POSTROUTING -o pont-abc -m addrtype --src-type LOCAL -j MASQUERADE',
      '-A PONT-POSTROUTING -s 172.18.0.0/16 ! -o pont-abc -j MASQUERADE',
      'COMMIT',
      '*filter',
      '-A PONT-FORWARD -o pont-abc -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-A PONT-FORWARD -o pont-abc -j PONT',
      '-A PONT-FORWARD -i pont-abc ! -o pont-abc -j ACCEPT',
      '-A PONT-FORWARD -i pont-abc -o pont-abc -j ACCEPT',
      // after stage 1's DNAT RETURN (rule 2) and before both chains' final RETURN
      '-I PONT-ISOLATION-STAGE-1 2 -i pont-abc ! -o pont-abc -j PONT-ISOLATION-STAGE-2',
      '-I PONT-ISOLATION-STAGE-2 1 -o pont-abc -j DROP',
      'COMMIT',
      '',
    ].join('\n'),
  );
});

test('the undo document deletes exactly the same rules in reverse order', (t) => {
  const b = bridgeNetworkRules(net);
  const undo = renderUndo(b).split('\n').filter((l) => l.startsWith('-D'));
  // an insert's position is not part of the rule: "-I CHAIN 2 spec" is deleted as "-D CHAIN spec"
  const apply = renderApply(b).split('\n').filter((l) => /^-[AI] /.test(l)).map((l) => l.replace(/^-I (\S+) \d+ /, '-I $1 '));
  t.is(undo.length, apply.length);
  t.deepEqual(undo.map((l) => l.slice(3)).sort(), apply.map((l) => l.slice(3)).sort());
  // per table, last added first
  t.is(undo[0], '-D PONT-POSTROUTING -s 172.18.0.0/16 ! -o pont-abc -j MASQUERADE');
  t.is(undo[2], '-D PONT-ISOLATION-STAGE-2 -o pont-abc -j DROP');
  t.is(undo.at(-1), '-D PONT-FORWARD -o pont-abc -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
});

test('chains are created with -N (fails if present) and never declared with ":" (which flushes)', (t) => {
  const doc = renderApply(baseLayout());
  t.false(doc.split('\n').some((l) => l.startsWith(':')));
  t.true(doc.includes('-N PONT-FORWARD'));
  t.true(doc.includes('-I FORWARD -j PONT-FORWARD'));
});

test('internal networks: no masquerade, traffic may not leave or enter the subnet', (t) => {
  const lines = explainApply(bridgeNetworkRules({ ...net, internal: true }));
  t.deepEqual(lines, [
    'iptables -t filter -I PONT-ISOLATION-STAGE-1 2 ! -s 172.18.0.0/16 -o pont-abc -j DROP',
    'iptables -t filter -I PONT-ISOLATION-STAGE-1 2 ! -d 172.18.0.0/16 -i pont-abc -j DROP',
    'iptables -t filter -A PONT-FORWARD -i pont-abc -o pont-abc -j ACCEPT',
  ]);
});

test('enable_icc=false drops traffic between containers of the bridge; masquerade off removes NAT', (t) => {
  const doc = renderApply(bridgeNetworkRules({ ...net, icc: false, masquerade: false }));
  t.true(doc.includes('-A PONT-FORWARD -i pont-abc -o pont-abc -j DROP'));
  t.false(doc.includes('-s 172.18.0.0/16 ! -o pont-abc -j MASQUERADE'));
});

test('missingBase adds only what iptables-save lacks', (t) => {
  const saved = ['*filter', ':FORWARD ACCEPT [0:0]', ':PONT-FORWARD - [0:0]', '-A PONT-FORWARD -j PONT-USER', 'COMMIT', '*nat', ':PREROUTING ACCEPT [0:0]', 'COMMIT'].join('\n');
  const m = missingBase(saved);
  t.false(m.chains.some((c) => c.chain === 'PONT-FORWARD' && c.table === 'filter'));
  t.true(m.chains.some((c) => c.chain === 'PONT' && c.table === 'nat'));
  t.false(m.rules.some((r) => r.chain === 'PONT-FORWARD' && r.spec.join(' ') === '-j PONT-USER'));
  t.true(m.rules.some((r) => r.chain === 'FORWARD'));
});

test('published ports: DNAT (restricted to the host IP when given), ACCEPT to the container port, hairpin MASQUERADE', (t) => {
  const lines = explainApply(
    portRules({
      bridge: 'pont-abc',
      containerIp: '172.18.0.2',
      ports: [
        { networkId: 'n', hostIp: '', hostPort: 8000, containerPort: 80, proto: 'tcp' },
        { networkId: 'n', hostIp: '127.0.0.1', hostPort: 8001, containerPort: 53, proto: 'udp' },
      ],
    }),
  );
  t.deepEqual(lines, [
    'iptables -t nat -A PONT -p tcp -m tcp --dport 8000 -j DNAT --to-destination 172.18.0.2:80',
    'iptables -t filter -A PONT -d 172.18.0.2/32 ! -i pont-abc -o pont-abc -p tcp -m tcp --dport 80 -j ACCEPT',
    'iptables -t nat -A PONT-POSTROUTING -s 172.18.0.2/32 -d 172.18.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE',
    'iptables -t nat -A PONT -d 127.0.0.1/32 -p udp -m udp --dport 8001 -j DNAT --to-destination 172.18.0.2:53',
    'iptables -t filter -A PONT -d 172.18.0.2/32 ! -i pont-abc -o pont-abc -p udp -m udp --dport 53 -j ACCEPT',
    'iptables -t nat -A PONT-POSTROUTING -s 172.18.0.2/32 -d 172.18.0.2/32 -p udp -m udp --dport 53 -j MASQUERADE',
  ]);
});
