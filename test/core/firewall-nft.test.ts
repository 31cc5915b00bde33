// The nftables backend without root: rendering parts to `nft -f` scripts and their exact undo,
// published ports as map elements (the rule count does not grow with them), the listing of a real
// nft read back to exactly what pont renders, and every kind of damage found and repaired, on the
// fake kernel's nftables (test/helpers/fake-nft.ts).
import test from 'ava';
import { elementText } from '../../src/core/firewall/nft/model.js';
import { nftBatchOfParts, networkTable } from '../../src/core/firewall/nft/layout.js';
import { parseTableListing } from '../../src/core/firewall/nft/listing.js';
import { diffNft, isCleanNftDiff, repairCommands } from '../../src/core/firewall/nft/reconcile.js';
import { applyCommands, explainCommands, undoCommands } from '../../src/core/firewall/nft/script.js';
import type { FirewallPart } from '../../src/core/firewall/parts.js';
import type { PublishedPort } from '../../src/core/model.js';
import { nftablesBackend as nft } from '../../src/firewall/nftables.js';
import { FakeKernel } from '../helpers/fake-host.js';
import { NFT_LISTING } from './fixtures/nft-listing.js';

const tcp = (hostPort: number, containerPort: number, hostIp = ''): PublishedPort => ({ networkId: 'n', hostIp, hostPort, containerPort, proto: 'tcp' });
const net = { bridge: 'pont-a', subnet: '172.18.0.0/16', gateway: '172.18.0.1', internal: false, masquerade: true, icc: false };

/** The parts the fixture listing was made from (test/core/fixtures/nft-listing.ts). */
const PARTS: FirewallPart[] = [
  { kind: 'base' },
  { kind: 'network', ...net },
  { kind: 'network', bridge: 'pont-i', subnet: '172.19.0.0/16', gateway: '172.19.0.1', internal: true, masquerade: true, icc: true },
  { kind: 'endpoint', bridge: 'pont-a', ip: '172.18.0.2' },
  { kind: 'ports', bridge: 'pont-a', containerIp: '172.18.0.2', ports: [tcp(8080, 80), tcp(8081, 80, '127.0.0.1'), { ...tcp(5353, 53), proto: 'udp' }] },
];

test('a bridge network is a few chains of its own, reached through verdict maps keyed by its bridge', (t) => {
  t.deepEqual(applyCommands(networkTable(net)), [
    'add chain inet pont isolate-in-pont-a',
    'add chain inet pont forward-out-pont-a',
    'add chain inet pont forward-in-pont-a',
    'add chain inet pont masquerade-pont-a',
    'add chain inet pont guard-pont-a',
    'add rule inet pont isolate-in-pont-a ct status dnat return',
    'add rule inet pont isolate-in-pont-a meta nfproto ipv4 oifname != "pont-a" oifname @bridges counter drop',
    'add rule inet pont forward-out-pont-a ct state established,related accept',
    'add rule inet pont forward-out-pont-a iifname != "pont-a" ip daddr . meta l4proto . th dport @published accept',
    'add rule inet pont forward-in-pont-a oifname != "pont-a" accept',
    // enable_icc=false
    'add rule inet pont forward-in-pont-a oifname "pont-a" meta nfproto ipv4 counter drop',
    'add rule inet pont masquerade-pont-a oifname != "pont-a" masquerade',
    'add rule inet pont guard-pont-a iifname != "pont-a" counter drop',
    'add element inet pont bridges { "pont-a" }',
    'add element inet pont isolate-in { "pont-a" : jump isolate-in-pont-a }',
    'add element inet pont forward-out { "pont-a" : jump forward-out-pont-a }',
    'add element inet pont forward-in { "pont-a" : jump forward-in-pont-a }',
    'add element inet pont subnet-masquerade { 172.18.0.0/16 : jump masquerade-pont-a }',
  ]);
});

test('its undo deletes by key and by name what the apply added: elements, then chains flushed and deleted', (t) => {
  t.deepEqual(undoCommands(networkTable({ ...net, masquerade: false })), [
    'delete element inet pont bridges { "pont-a" }',
    'delete element inet pont isolate-in { "pont-a" }',
    'delete element inet pont forward-out { "pont-a" }',
    'delete element inet pont forward-in { "pont-a" }',
    'flush chain inet pont isolate-in-pont-a',
    'flush chain inet pont forward-out-pont-a',
    'flush chain inet pont forward-in-pont-a',
    'flush chain inet pont guard-pont-a',
    'delete chain inet pont guard-pont-a',
    'delete chain inet pont forward-in-pont-a',
    'delete chain inet pont forward-out-pont-a',
    'delete chain inet pont isolate-in-pont-a',
  ]);
});

test('published ports are three elements each (DNAT, forward, hairpin), -p ADDR:P:C in the map keyed by address', (t) => {
  const b = nftBatchOfParts([{ kind: 'ports', bridge: 'pont-a', containerIp: '172.18.0.2', ports: [tcp(8080, 80), tcp(8081, 80, '127.0.0.1')] }]);
  t.deepEqual(b.chains, []);
  t.deepEqual(b.elements.map((e) => `${e.set}: ${elementText(e)}`), [
    'ports-any: tcp . 8080 : 172.18.0.2 . 80',
    'published: 172.18.0.2 . tcp . 80',
    'hairpin: 172.18.0.2 . 172.18.0.2 . tcp . 80',
    // the same container port on a second host port: one forward and one hairpin element (a set holds a key once)
    'ports-ip: 127.0.0.1 . tcp . 8081 : 172.18.0.2 . 80',
  ]);
  t.deepEqual(undoCommands(b), [
    'delete element inet pont ports-any { tcp . 8080 }',
    'delete element inet pont published { 172.18.0.2 . tcp . 80 }',
    'delete element inet pont hairpin { 172.18.0.2 . 172.18.0.2 . tcp . 80 }',
    'delete element inet pont ports-ip { 127.0.0.1 . tcp . 8081 }',
  ]);
  t.throws(() => nftBatchOfParts([{ kind: 'ports', bridge: 'b', containerIp: '172.18.0.2', ports: [tcp(80, 80, '::1')] }]), { message: /IPv4 host address expected/ });
});

test('with 10 or 10,000 published ports the table has the same rules: ports are elements only', (t) => {
  const withPorts = (n: number) => {
    const parts: FirewallPart[] = [{ kind: 'base' }, { kind: 'network', ...net }];
    for (let i = 0; i < n; i++) {
      const ip = `172.18.${(i >> 8) + 1}.${i & 255}`;
      parts.push({ kind: 'endpoint', bridge: 'pont-a', ip }, { kind: 'ports', bridge: 'pont-a', containerIp: ip, ports: [tcp(10000 + i, 80)] });
    }
    return nftBatchOfParts(parts);
  };
  const rules = (b: ReturnType<typeof withPorts>) => b.chains.reduce((n, c) => n + c.rules.length, 0);
  const [few, many] = [withPorts(10), withPorts(10_000)];
  t.is(rules(few), rules(many));
  t.is(few.chains.length, many.chains.length);
  t.is(many.elements.length - few.elements.length, (10_000 - 10) * 4, 'a guard and three port elements each');
});

test("nft 1.0.6's own listing of pont's table reads back to exactly what pont renders", (t) => {
  const listed = parseTableListing(NFT_LISTING);
  t.truthy(listed);
  const diff = diffNft(nftBatchOfParts(PARTS), listed);
  t.true(isCleanNftDiff(diff), JSON.stringify(diff));
  // the wrapped element lists too
  t.deepEqual([...listed!.sets.get('published')!.elements].sort(), ['172.18.0.2 . tcp . 80', '172.18.0.2 . udp . 53']);
  t.deepEqual(listed!.chains.get('forward')!.base, 'type filter hook forward priority filter; policy accept;');
  t.is(parseTableListing(''), null);
});

test('the explain lines are the commands as one quoted nft argument each', (t) => {
  t.deepEqual(explainCommands(['add element inet pont ports-any { tcp . 8080 : 172.18.0.2 . 80 }']), ["nft 'add element inet pont ports-any { tcp . 8080 : 172.18.0.2 . 80 }'"]);
});

/** A fake host with the parts applied, one nft batch each, as the commands would. */
async function applied(parts = PARTS): Promise<FakeKernel> {
  const k = new FakeKernel();
  for (const p of parts) await nft.add(k, [p]);
  return k;
}

test('every part applied then undone on the fake nftables leaves the table as it was, the base alone', async (t) => {
  const k = await applied(PARTS.slice(0, 1));
  const base = k.nft.snapshot();
  for (const p of PARTS.slice(1)) await nft.add(k, [p]);
  t.true(isCleanNftDiff(diffNft(nftBatchOfParts(PARTS), parseTableListing(await k.listNftTable('inet', 'pont')))));
  for (const p of [...PARTS.slice(1)].reverse()) await nft.del(k, [p]);
  t.deepEqual(k.nft.snapshot(), base);
  // a network's chains cannot go while an endpoint's guard element still jumps to one
  await nft.add(k, [PARTS[1], PARTS[3]]);
  await t.throwsAsync(k.applyNft(undoCommands(networkTable(net)).join('\n')), { message: /busy/ });
});

test('a deletion after a hand edit deletes exactly what remains, in a second batch', async (t) => {
  const k = await applied(PARTS.slice(0, 2));
  const before = k.nft.snapshot();
  const ports: FirewallPart = PARTS[4];
  await nft.add(k, [ports]);
  await k.applyNft('delete element inet pont published { 172.18.0.2 . tcp . 80 }\n');
  k.calls.length = 0;
  await nft.del(k, [ports]);
  t.deepEqual(k.nft.snapshot(), before);
  t.deepEqual(k.calls.map((c) => [c.method, Boolean(c.error)]), [['applyNft', true], ['applyNft', false]]);
});

const DAMAGE: [string, string, RegExp[]][] = [
  ['a flushed chain', 'flush chain inet pont forward', [/^firewall: rule missing in chain forward: oifname vmap @isolate-out$/m]],
  ['a flushed per-bridge chain', 'flush chain inet pont input-pont-i', [/^firewall: rule missing in chain input-pont-i: meta nfproto ipv4 counter drop$/m]],
  ['a deleted element', 'delete element inet pont ports-any { tcp . 8080 }', [/^firewall: element missing in map ports-any: tcp \. 8080 : 172\.18\.0\.2 \. 80$/m]],
  ['an element pointed elsewhere', 'delete element inet pont ports-any { tcp . 8080 }\nadd element inet pont ports-any { tcp . 8080 : 10.9.9.9 . 22 }', [/^firewall: element pont did not make in map ports-any: tcp \. 8080 : 10\.9\.9\.9 \. 22$/m, /^firewall: element missing in map ports-any/m]],
  ['a deleted table', 'delete table inet pont', [/^firewall: table inet pont is missing$/]],
  ['a rule added by hand', 'add rule inet pont forward-in-pont-a ip saddr 10.0.0.1 accept', [/^firewall: rule pont did not make in chain forward-in-pont-a: ip saddr 10\.0\.0\.1 accept$/m]],
  ['a chain and an element added by hand', 'add chain inet pont mine\nadd element inet pont forward-in { "eth9" : jump mine }', [/^firewall: chain mine is not pont's$/m, /^firewall: element pont did not make in map forward-in: "eth9" : jump mine$/m]],
  ['a base chain made to drop', 'flush chain inet pont input\ndelete chain inet pont input\nadd chain inet pont input { type filter hook input priority filter; policy drop; }\nadd rule inet pont input iifname vmap @input-in', [/^firewall: chain input is not hooked as pont hooks it/m]],
  ['a set made again with another type', 'flush chain inet pont forward-out-pont-a\ndelete set inet pont published\nadd set inet pont published { type ipv4_addr; }', [/^firewall: set published is not of pont's type/m]],
];

for (const [what, edit, lines] of DAMAGE) {
  test(`damage found and repaired in one batch: ${what}`, async (t) => {
    const k = await applied();
    const pristine = k.nft.snapshot();
    t.deepEqual((await nft.inspect(k, PARTS)).findings, []);
    await k.applyNft(edit + '\n');
    const seen = await nft.inspect(k, PARTS);
    const said = seen.findings.join('\n');
    for (const l of lines) t.regex(said, l);
    t.truthy(seen.repair);
    t.true(seen.repair!.explain.every((l) => l.startsWith("nft '")));
    await nft.repair(k, seen.repair!.doc);
    t.deepEqual((await nft.inspect(k, PARTS)).findings, []);
    t.deepEqual(k.nft.snapshot(), pristine);
  });
}

test('the store implying nothing (a fresh host) expects no table; a repair on a fresh host makes it whole in one batch', async (t) => {
  const k = new FakeKernel();
  t.deepEqual(await nft.inspect(k, []), { findings: [], repair: null, order: null, absent: true });
  const seen = await nft.inspect(k, PARTS);
  t.deepEqual(seen.findings, ['firewall: table inet pont is missing']);
  await nft.repair(k, seen.repair!.doc);
  t.deepEqual(k.calls.filter((c) => c.method === 'applyNft').length, 1);
  t.deepEqual(k.nft.snapshot(), (await applied()).nft.snapshot());
  // the script's order is one nft accepts in one transaction: the same as the parts one by one
  t.deepEqual(repairCommands(nftBatchOfParts(PARTS), diffNft(nftBatchOfParts(PARTS), null)).slice(0, 2), ['add table inet pont', 'add chain inet pont raw-prerouting { type filter hook prerouting priority raw; policy accept; }']);
});

test("forwardPolicy names other tables' forward chains that drop by default, never pont's own", async (t) => {
  const k = new FakeKernel({ nftForeign: [{ family: 'ip', table: 'filter', name: 'FORWARD', hook: 'forward', priority: 0, policy: 'drop' }, { family: 'ip', table: 'filter', name: 'INPUT', hook: 'input', priority: 0, policy: 'drop' }] });
  await nft.add(k, [{ kind: 'base' }]);
  t.deepEqual(await nft.forwardPolicy(k), { dropsByDefault: true, foreignDrops: [{ table: 'ip filter', chain: 'FORWARD' }] });
  t.deepEqual(await nft.forwardPolicy(new FakeKernel()), { dropsByDefault: false, foreignDrops: [] });
  // iptables-legacy's FORWARD is no nftables chain: iptables-save tells its policy
  const legacy = new FakeKernel({ firewall: '*filter\n:FORWARD DROP [0:0]\nCOMMIT\n' });
  t.deepEqual(await nft.forwardPolicy(legacy), { dropsByDefault: true, foreignDrops: [{ table: 'ip filter', chain: 'FORWARD' }] });
});
