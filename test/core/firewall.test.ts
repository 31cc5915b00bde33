import test from 'ava';
import { bridgeNetworkRules, baseLayout } from '../../src/core/firewall/iptables/layout.js';
import { chainPolicy, explainApply, type FirewallBatch, renderApply, renderUndo } from '../../src/core/firewall/iptables/rules.js';
import { portRules } from '../../src/core/firewall/iptables/ports.js';

const net = { bridge: 'pont-abc', subnet: '172.18.0.0/16', gateway: '172.18.0.1', internal: false, masquerade: true, icc: true };

test('a bridge network renders to one restore document per table, raw then nat then filter', (t) => {
  const doc = renderApply(bridgeNetworkRules(net));
  t.is(
    doc,
    [
      // the subnet's guard, for all its containers; the host's own addresses (the gateway) left out
      '*raw',
      '-A PONT-PREROUTING -d 172.18.0.0/16 ! -i pont-abc -m addrtype ! --dst-type LOCAL -j DROP',
      'COMMIT',
      '*nat',
      '-A PONT-POSTROUTING -o pont-abc -m addrtype --src-type LOCAL -j MASQUERADE',
      '-A PONT-POSTROUTING -s 172.18.0.0/16 ! -o pont-abc -j MASQUERADE',
      'COMMIT',
      '*filter',
      '-A PONT-FORWARD -o pont-abc -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-A PONT-FORWARD -o pont-abc -j PONT',
      '-A PONT-FORWARD -i pont-abc ! -o pont-abc -j ACCEPT',
      '-A PONT-FORWARD -i pont-abc -o pont-abc -j ACCEPT',
      // before both chains' final RETURN, and after stage 2's DNAT RETURN (rule 1)
      '-I PONT-ISOLATION-STAGE-1 1 -i pont-abc ! -o pont-abc -j PONT-ISOLATION-STAGE-2',
      '-I PONT-ISOLATION-STAGE-2 2 -o pont-abc -j DROP',
      'COMMIT',
      '',
    ].join('\n'),
  );
});

test('the undo document deletes exactly the same rules, in insertion order (cheapest for iptables-nft)', (t) => {
  const b = bridgeNetworkRules(net);
  const undo = renderUndo(b).split('\n').filter((l) => l.startsWith('-D'));
  // an insert's position is not part of the rule: "-I CHAIN 2 spec" is deleted as "-D CHAIN spec"
  const apply = renderApply(b).split('\n').filter((l) => /^-[AI] /.test(l)).map((l) => l.replace(/^-I (\S+) \d+ /, '-I $1 '));
  t.is(undo.length, apply.length);
  t.deepEqual(undo.map((l) => l.slice(3)).sort(), apply.map((l) => l.slice(3)).sort());
  // per table, in the order the rules were added
  t.deepEqual(undo.map((l) => l.slice(3)), apply.map((l) => l.slice(3)));
});

test('chains are created with -N (fails if present) and never declared with ":" (which flushes)', (t) => {
  const doc = renderApply(baseLayout());
  t.false(doc.split('\n').some((l) => l.startsWith(':')));
  t.true(doc.includes('-N PONT-FORWARD'));
  t.true(doc.includes('-I FORWARD -j PONT-FORWARD'));
  t.true(doc.includes('-N PONT-INPUT'));
  t.true(doc.includes('-I INPUT -j PONT-INPUT'));
});

test('internal networks: no masquerade, traffic may not leave or enter the subnet', (t) => {
  const lines = explainApply(bridgeNetworkRules({ ...net, internal: true }));
  t.deepEqual(lines, [
    'iptables -t filter -I PONT-ISOLATION-STAGE-1 1 ! -s 172.18.0.0/16 -o pont-abc -j DROP',
    'iptables -t filter -I PONT-ISOLATION-STAGE-1 1 ! -d 172.18.0.0/16 -i pont-abc -j DROP',
    'iptables -t filter -A PONT-FORWARD -i pont-abc -o pont-abc -j ACCEPT',
    // the host is outside too: only replies, and pings of the network's own gateway (as Docker answers them)
    'iptables -t filter -A PONT-INPUT -i pont-abc -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    'iptables -t filter -A PONT-INPUT -d 172.18.0.1/32 -i pont-abc -p icmp -m icmp --icmp-type 8 -j ACCEPT',
    'iptables -t filter -A PONT-INPUT -i pont-abc -j DROP',
    // nor is anything routed in from outside, as for any bridge network
    'iptables -t raw -A PONT-PREROUTING -d 172.18.0.0/16 ! -i pont-abc -m addrtype ! --dst-type LOCAL -j DROP',
  ]);
});

test('only internal bridges add rules to PONT-INPUT: a normal network reaches the host as in Docker', (t) => {
  t.false(bridgeNetworkRules(net).rules.some((r) => r.chain === 'PONT-INPUT'));
  t.true(bridgeNetworkRules({ ...net, internal: true }).rules.some((r) => r.chain === 'PONT-INPUT'));
});

test('enable_icc=false drops traffic between containers of the bridge; masquerade off removes NAT', (t) => {
  const doc = renderApply(bridgeNetworkRules({ ...net, icc: false, masquerade: false }));
  t.true(doc.includes('-A PONT-FORWARD -i pont-abc -o pont-abc -j DROP'));
  t.false(doc.includes('-s 172.18.0.0/16 ! -o pont-abc -j MASQUERADE'));
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

/** Plays batches on chains as iptables would (-A appends, -I inserts at 1 or at its position). */
function play(...batches: FirewallBatch[]): Map<string, string[]> {
  const chains = new Map<string, string[]>();
  for (const b of batches) {
    for (const c of b.chains) chains.set(`${c.table} ${c.chain}`, []);
    for (const r of b.rules) {
      const list = chains.get(`${r.table} ${r.chain}`) ?? chains.set(`${r.table} ${r.chain}`, []).get(`${r.table} ${r.chain}`)!;
      const line = r.spec.join(' ');
      if (r.insert) list.splice((r.position ?? 1) - 1, 0, line);
      else list.push(line);
    }
  }
  return chains;
}

test('127.0.0.0/8 arriving on any interface but lo is dropped in raw, before nat can DNAT it', (t) => {
  const raw = play(baseLayout()).get('raw PONT-PREROUTING')!;
  t.deepEqual(raw, ['-d 127.0.0.0/8 ! -i lo -j DROP']);
  t.true(renderApply(baseLayout()).includes('*raw\n-N PONT-PREROUTING\n-A PREROUTING -j PONT-PREROUTING\n-A PONT-PREROUTING -d 127.0.0.0/8 ! -i lo -j DROP\nCOMMIT'));
});

test('whatever the order networks are created in, internal drops come before any DNAT RETURN', (t) => {
  const internal = (n: number) => bridgeNetworkRules({ ...net, bridge: `pont-i${n}`, subnet: `10.${n}.0.0/16`, internal: true });
  const normal = (n: number) => bridgeNetworkRules({ ...net, bridge: `pont-n${n}`, subnet: `10.${50 + n}.0.0/16` });
  const chains = play(baseLayout(), normal(1), internal(1), normal(2), internal(2), normal(3));
  const iso1 = chains.get('filter PONT-ISOLATION-STAGE-1')!;
  const iso2 = chains.get('filter PONT-ISOLATION-STAGE-2')!;
  // stage 1 returns nothing early: only its final RETURN, after every bridge's rules
  t.deepEqual(iso1.filter((l) => l.includes('RETURN')), ['-j RETURN']);
  t.is(iso1.at(-1), '-j RETURN');
  t.is(iso1.filter((l) => / -i pont-i\d -j DROP$| -o pont-i\d -j DROP$/.test(l)).length, 4);
  // stage 2, reached only from non-internal bridges, lets DNATed traffic through first
  t.is(iso2[0], '-m conntrack --ctstate DNAT -j RETURN');
  t.is(iso2.at(-1), '-j RETURN');
  t.deepEqual(iso2.slice(1, -1).sort(), ['-o pont-n1 -j DROP', '-o pont-n2 -j DROP', '-o pont-n3 -j DROP']);
  t.false(iso2.some((l) => l.includes('pont-i')));
});


test('chainPolicy reads a built-in chain\'s policy from iptables-save, per table', (t) => {
  const saved = ['*nat', ':PREROUTING ACCEPT [0:0]', ':FORWARD DROP [0:0]', 'COMMIT', '*filter', ':INPUT ACCEPT [3:120]', ':FORWARD DROP [0:0]', 'COMMIT'].join('\n');
  t.is(chainPolicy(saved, 'filter', 'FORWARD'), 'DROP');
  t.is(chainPolicy(saved.replace('*filter\n:INPUT ACCEPT [3:120]\n:FORWARD DROP', '*filter\n:INPUT ACCEPT [3:120]\n:FORWARD ACCEPT'), 'filter', 'FORWARD'), 'ACCEPT');
  t.is(chainPolicy('*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n', 'filter', 'FORWARD'), undefined);
});
