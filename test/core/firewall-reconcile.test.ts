// Reconciling pont's firewall with iptables-save: replayed batches, differences, and the one
// repair batch (pont's own chains rewritten whole; built-in chains and PONT-USER only added to).
import test from 'ava';
import { baseLayout, bridgeNetworkRules } from '../../src/core/firewall/iptables/layout.js';
import { portRules } from '../../src/core/firewall/iptables/ports.js';
import { describeDiff, diffFirewall, explainRepair, isCleanDiff, renderRepair, replay, type DesiredFirewall } from '../../src/core/firewall/iptables/reconcile.js';
import { saveLine } from '../../src/core/firewall/iptables/rules.js';

const bridge = (name: string, subnet: string, internal = false) => bridgeNetworkRules({ bridge: name, subnet, gateway: subnet.replace(/0\/\d+$/, '1'), internal, masquerade: true, icc: true });
const want = (): DesiredFirewall =>
  replay([
    baseLayout(),
    bridge('pont0', '172.17.0.0/16'),
    bridge('pont-a', '172.18.0.0/16'),
    bridge('pont-i', '172.19.0.0/16', true),
    portRules({ bridge: 'pont-a', containerIp: '172.18.0.2', ports: [{ networkId: 'n', hostIp: '', hostPort: 8080, containerPort: 80, proto: 'tcp' }] }),
  ]);

/** iptables-save's text for a replayed firewall, with built-in chains and a rule of someone else's. */
function save(w: DesiredFirewall, edit: (lines: string[]) => string[] = (l) => l): string {
  const out: string[] = [];
  for (const table of ['raw', 'nat', 'filter'] as const) {
    out.push(`*${table}`, ':PREROUTING ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]');
    for (const c of w.chains.filter((c) => c.table === table)) out.push(`:${c.chain} - [0:0]`);
    if (table === 'filter') out.push('-A FORWARD -o docker0 -j DOCKER');
    for (const rules of w.contents.values()) for (const r of rules) if (r.table === table) out.push(saveLine(r));
    out.push('COMMIT');
  }
  return edit(out).join('\n') + '\n';
}

test('replay inserts at positions: the newest bridge is first in the isolation chains, before their final RETURN', (t) => {
  const iso1 = want().contents.get('filter PONT-ISOLATION-STAGE-1')!.map(saveLine);
  t.is(iso1.at(-1), '-A PONT-ISOLATION-STAGE-1 -j RETURN');
  t.true(iso1.findIndex((l) => l.includes('pont-i')) < iso1.findIndex((l) => l.includes('pont-a')));
  const iso2 = want().contents.get('filter PONT-ISOLATION-STAGE-2')!.map(saveLine);
  t.is(iso2[0], '-A PONT-ISOLATION-STAGE-2 -m conntrack --ctstate DNAT -j RETURN');
});

test('a kernel that has everything is clean, whatever else it holds', (t) => {
  const d = diffFirewall(want(), save(want()));
  t.true(isCleanDiff(d), describeDiff(d).join('\n'));
  t.is(renderRepair(want(), d), '');
});

test('a flushed pont chain is rewritten whole, in order, and nothing else is touched', (t) => {
  const saved = save(want(), (l) => l.filter((x) => !x.startsWith('-A PONT-FORWARD ')));
  const d = diffFirewall(want(), saved);
  t.true(d.missingRules.every((r) => r.chain === 'PONT-FORWARD'));
  t.true(describeDiff(d).some((l) => l === 'firewall: rule missing in filter: -A PONT-FORWARD -j PONT-USER'));
  const doc = renderRepair(want(), d).split('\n');
  t.deepEqual(doc.slice(0, 3), ['*filter', '-F PONT-FORWARD', '-A PONT-FORWARD -j PONT-USER']);
  t.is(doc.filter((l) => l.startsWith('-A PONT-FORWARD')).length, want().contents.get('filter PONT-FORWARD')!.length);
  t.false(doc.some((l) => /FORWARD -j DOCKER|^-F (FORWARD|PONT-USER)/.test(l)), 'no built-in chain, no PONT-USER flushed');
});

test("an older pont's raw guards (one per container) are replaced by the networks' subnet guards, the loopback guard kept", (t) => {
  // as pont wrote them before layout 2 (engine/system/seal.ts): one /32 rule per container
  const old = ['-A PONT-PREROUTING -d 172.18.0.2/32 ! -i pont-a -j DROP', '-A PONT-PREROUTING -d 172.18.0.3/32 ! -i pont-a -j DROP'];
  const saved = save(want(), (l) => [...l.filter((x) => !(x.startsWith('-A PONT-PREROUTING ') && x.includes('addrtype'))).flatMap((x) => (x.startsWith('-A PONT-PREROUTING -d 127') ? [x, ...old] : [x]))]);
  t.true(saved.includes(old[0]));
  const d = diffFirewall(want(), saved);
  t.deepEqual(d.extraRules.map((r) => r.line), old);
  t.true(d.missingRules.some((r) => r.chain === 'PONT-PREROUTING'));
  const doc = renderRepair(want(), d).split('\n');
  const raw = doc.slice(doc.indexOf('*raw'), doc.indexOf('COMMIT', doc.indexOf('*raw')));
  t.deepEqual(raw, [
    '*raw',
    '-F PONT-PREROUTING',
    '-A PONT-PREROUTING -d 127.0.0.0/8 ! -i lo -j DROP',
    '-A PONT-PREROUTING -d 172.17.0.0/16 ! -i pont0 -m addrtype ! --dst-type LOCAL -j DROP',
    '-A PONT-PREROUTING -d 172.18.0.0/16 ! -i pont-a -m addrtype ! --dst-type LOCAL -j DROP',
    '-A PONT-PREROUTING -d 172.19.0.0/16 ! -i pont-i -m addrtype ! --dst-type LOCAL -j DROP',
  ]);
});

test('after `iptables -F` (every chain flushed) the jumps come back as inserts/appends, pont chains whole', (t) => {
  const saved = save(want(), (l) => l.filter((x) => !x.startsWith('-A ')));
  const doc = renderRepair(want(), diffFirewall(want(), saved));
  t.regex(doc, /^-I FORWARD -j PONT-FORWARD$/m);
  t.regex(doc, /^-A PREROUTING -m addrtype --dst-type LOCAL -j PONT$/m);
  t.regex(doc, /^-A PONT -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172\.18\.0\.2:80$/m);
  t.regex(doc, /^-A PONT-USER -j RETURN$/m, 'PONT-USER gets its RETURN back');
  t.notRegex(doc, /^-F PONT-USER/m);
  const after = save(want());
  t.true(isCleanDiff(diffFirewall(want(), after)));
});

test('deleted chains are created first; explain gives iptables commands', (t) => {
  const saved = save(want(), (l) => l.filter((x) => !/PONT-ISOLATION-STAGE-2/.test(x)));
  const d = diffFirewall(want(), saved);
  t.deepEqual(d.missingChains, [{ table: 'filter', chain: 'PONT-ISOLATION-STAGE-2' }]);
  const lines = explainRepair(want(), d);
  t.is(lines[0], 'iptables -t filter -N PONT-ISOLATION-STAGE-2');
  t.true(lines.includes('iptables -t filter -A PONT-ISOLATION-STAGE-2 -o pont-a -j DROP'));
});

test('a rule pont did not make in its own chain is named and removed by the rewrite; PONT-USER is the user\'s', (t) => {
  const saved = save(want(), (l) => [...l.slice(0, -1).flatMap((x) => (x === ':PONT-USER - [0:0]' ? [x, '-A PONT-USER -s 10.0.0.0/8 -j DROP'] : [x])), ...l.slice(-1)].flatMap((x) => (x === '-A PONT-ISOLATION-STAGE-1 -j RETURN' ? ['-A PONT-ISOLATION-STAGE-1 -m conntrack --ctstate DNAT -j RETURN', x] : [x])));
  const d = diffFirewall(want(), saved);
  t.deepEqual(d.extraRules.map((r) => r.line), ['-A PONT-ISOLATION-STAGE-1 -m conntrack --ctstate DNAT -j RETURN']);
  t.deepEqual(describeDiff(d), ['firewall: rule pont did not make in filter: -A PONT-ISOLATION-STAGE-1 -m conntrack --ctstate DNAT -j RETURN']);
  const doc = renderRepair(want(), d);
  t.regex(doc, /^-F PONT-ISOLATION-STAGE-1$/m);
  t.notRegex(doc, /PONT-USER/);
});
