// The name index: who sees whom, under which names.
import test from 'ava';
import type { State } from '../../src/core/model.js';
import { buildIndex, DnsView, LiveIndex, lookupA, lookupPtr, normalizeName, pendingAsker, reverseName } from '../../src/dns/names.js';
import { parseStateText, placeOf, stateText } from '../../src/store/layout.js';
import { containersNeedingDns, storeNeedsDns } from '../../src/dns/scope.js';
import type { RemoteEndpoint } from '../../src/cluster/view.js';
import { withStore } from '../helpers/temp-store.js';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { container, hexId, network, state, world } from './fixtures.js';

const { state: s } = world();
const index = buildIndex(s);
const asker = (ns: string) => index.askers.get(ns);
const a = (ns: string, name: string) => lookupA(asker(ns), normalizeName(name));

test('askers are the live containers with a user-defined network; the default bridge gets none', (t) => {
  t.deepEqual([...index.askers.keys()].sort(), ['c1', 'c2', 'c3', 'c4']);
  t.deepEqual(asker('c2')!.networks.map((n) => n.name), ['net1', 'net2']);
  t.deepEqual(containersNeedingDns(s).map((c) => c.name), ['c1', 'c2', 'c3', 'c4']);
});

test('a container name resolves to its address on the shared network', (t) => {
  t.deepEqual(a('c1', 'c2'), ['10.88.0.3']);
  t.deepEqual(a('c3', 'c2'), ['10.89.0.3']);
  t.deepEqual(a('c1', 'c1'), ['10.88.0.2'], 'a container resolves itself');
});

test('a name shared on several networks gives every address', (t) => {
  t.deepEqual(a('c4', 'c2')!.slice().sort(), ['10.88.0.3', '10.89.0.3']);
});

test('a container on a network the asker is not on does not resolve', (t) => {
  t.is(a('c1', 'c3'), null);
  t.is(a('c3', 'c1'), null);
  t.is(a('c1', 'c5'), null, 'default bridge containers are never named');
  t.is(a('c1', 'c2.net2'), null, 'NAME.NETWORK for a network the asker is not on');
});

test('aliases, the 12-hex id and NAME.NETWORK resolve, in any case, with a trailing dot', (t) => {
  t.deepEqual(a('c1', 'db'), ['10.88.0.3']);
  t.is(a('c3', 'db'), null, 'an alias belongs to its network only');
  t.deepEqual(a('c1', hexId(2).slice(0, 12)), ['10.88.0.3']);
  t.is(a('c1', hexId(2)), null, 'the full id is not a name');
  t.deepEqual(a('c1', 'c2.net1'), ['10.88.0.3']);
  t.deepEqual(a('c1', 'db.net1'), ['10.88.0.3']);
  t.deepEqual(a('c4', 'c2.net2'), ['10.89.0.3']);
  t.deepEqual(a('c1', 'C2.Net1.'), ['10.88.0.3']);
  t.deepEqual(a('c1', 'DB.'), ['10.88.0.3']);
});

test('containers sharing an alias are all answered (round-robin)', (t) => {
  const net = network({ name: 'web', subnet: '10.5.0.0/24' }, 9);
  const idx = buildIndex(
    state(
      [net],
      [
        container('w1', 11, [{ net, ip: '10.5.0.2', aliases: ['api'] }]),
        container('w2', 12, [{ net, ip: '10.5.0.3', aliases: ['API'] }]),
      ],
    ),
  );
  t.deepEqual(lookupA(idx.askers.get('w1'), 'api'), ['10.5.0.2', '10.5.0.3']);
});

test('stopped containers neither ask nor answer; macvlan and ipvlan networks serve names', (t) => {
  const mac = network({ name: 'mac', subnet: '10.6.0.0/24', driver: 'macvlan' }, 10);
  const host = network({ name: 'host', subnet: '0.0.0.0/0', driver: 'host', predefined: true }, 11);
  const st = state(
    [mac, host],
    [
      container('m1', 21, [{ net: mac, ip: '10.6.0.2' }]),
      container('m2', 22, [{ net: mac, ip: '10.6.0.3' }], { running: false }),
      container('h1', 23, [{ net: host, ip: '' }]),
    ],
  );
  const idx = buildIndex(st);
  t.deepEqual([...idx.askers.keys()], ['m1']);
  t.is(lookupA(idx.askers.get('m1'), 'm2'), null);
  t.deepEqual(lookupA(idx.askers.get('m1'), 'm1'), ['10.6.0.2']);
  t.true(storeNeedsDns(st));
  t.false(storeNeedsDns(state([host], [container('h1', 23, [{ net: host, ip: '' }])])));
});

test('PTR: a container address on a shared network names "name.network"', (t) => {
  t.is(reverseName('10.88.0.3'), '3.0.88.10.in-addr.arpa');
  t.is(lookupPtr(asker('c1'), '3.0.88.10.in-addr.arpa'), 'c2.net1');
  t.is(lookupPtr(asker('c1'), '2.0.89.10.in-addr.arpa'), null, 'c3 is on net2 only');
  t.is(lookupPtr(asker('c1'), 'c2'), null);
});

test('an unknown asker (a namespace no longer in the store) resolves nothing', (t) => {
  t.is(lookupA(undefined, 'c2'), null);
  t.is(lookupPtr(undefined, '3.0.88.10.in-addr.arpa'), null);
});

test('a container asked for before the store names it sees the names known, and its own; the index is left as it was', (t) => {
  const { state: known, net1 } = world();
  const idx = buildIndex(known);
  const c9 = container('c9', 9, [{ net: net1, ip: '10.88.0.9', aliases: ['db'] }]);
  const asker9 = pendingAsker(idx, 'c9', [net1], c9)!;
  t.is(asker9.netns, 'c9');
  t.deepEqual(lookupA(asker9, 'c1'), ['10.88.0.2']);
  t.deepEqual(lookupA(asker9, 'c9'), ['10.88.0.9']);
  t.deepEqual(lookupA(asker9, 'db')!.slice().sort(), ['10.88.0.3', '10.88.0.9']);
  t.is(lookupPtr(asker9, '9.0.88.10.in-addr.arpa'), 'c9.net1', 'its own reverse name');
  t.is(lookupPtr(asker9, '2.0.88.10.in-addr.arpa'), 'c1.net1', "and the others'");
  t.is(lookupA(idx.askers.get('c1'), 'c9'), null, 'the others learn it from the store');
  t.deepEqual(lookupA(idx.askers.get('c1'), 'db'), ['10.88.0.3']);
  t.is(pendingAsker(idx, 'c9', [net1], { ...c9, running: false }), undefined);
});

for (const bytes of [false, true]) {
  test(`the DNS view of the store keeps each container while its store line is unchanged, and answers the same (${bytes ? "the file's bytes" : 'its lines as text'})`, (t) => {
    const { state: base } = world();
    const read = (from: State) => {
      const text = stateText(from);
      // ASCII bytes: records keep where their line lies (placeOf); else their line's text (lineOf)
      return parseStateText(text, 'state.json', bytes ? Buffer.from(text, 'latin1') : undefined) as State;
    };
    const view = new DnsView();
    const first = view.of(read(base));
    t.true(first.containers.length > 2);
    t.deepEqual(buildIndex(first), buildIndex(base), 'the same index as from the records themselves');
    // the store written again with one record changed (each run and rm is a change): every line
    // after it moved, and only the changed one is read again
    const again = read({ ...base, containers: [{ ...base.containers[0], name: 'renamed' }, ...base.containers.slice(1)] });
    t.is(placeOf(again.containers[0]) !== undefined, bytes, 'keyed by the bytes where the read has them');
    const second = view.of(again);
    t.not(second.containers[0], first.containers[0], 'a changed record is read');
    t.is(second.containers[0].name, 'renamed');
    for (let i = 1; i < first.containers.length; i++) t.is(second.containers[i], first.containers[i], `record ${i}: kept`);
    const index = buildIndex(second);
    t.deepEqual(lookupA(index.askers.get('c4'), 'renamed'), ['10.88.0.2'], 'the changed record answers with its new name');
    t.is(lookupA(index.askers.get('c4'), 'c1'), null, 'and no longer with its old one');
    // the kept records' names are kept too, but not past a change of their network's name
    const moved = buildIndex({ ...second, networks: second.networks.map((n) => (n.name === 'net1' ? { ...n, name: 'front' } : n)) });
    t.deepEqual(lookupA(moved.askers.get('c4'), 'db.front'), ['10.88.0.3']);
    t.is(lookupA(moved.askers.get('c4'), 'db.net1'), null);
  });
}

/** An index as plain data: its answers, independent of the order names were given in. */
function indexView(idx: ReturnType<typeof buildIndex>) {
  const nets = [...idx.networks.values()].map((n) => ({
    id: n.id, name: n.name,
    a: [...n.a].map(([k, v]) => `${k}=${[...v].sort().join(',')}`).sort(),
    ptr: [...n.ptr].map(([k, v]) => `${k}=${v}`).sort(),
  })).sort((x, y) => x.id.localeCompare(y.id));
  const askers = [...idx.askers.values()].map((a) => ({ ...a, networks: a.networks.map((n) => n.id) })).sort((x, y) => x.netns.localeCompare(y.netns));
  return { nets, askers };
}

test('the live index, changed container by container through the store, answers as one built whole from each store', (t) => {
  // a small deterministic generator (xorshift): runs, removals, renames, connects, stops, alias
  // changes, a network renamed or made internal, other hosts' endpoints
  let seed = 0x9e3779b9;
  const rnd = (n: number) => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const nets = [network({ name: 'n0', subnet: '10.60.0.0/24' }, 1), network({ name: 'n1', subnet: '10.61.0.0/24' }, 2), network({ name: 'pre', subnet: '10.62.0.0/24', predefined: true }, 3)];
  const read = (from: State) => {
    const text = stateText(from);
    return parseStateText(text, 'state.json', Buffer.from(text, 'latin1')) as State;
  };
  let incremental = 0;
  for (let round = 0; round < 30; round++) {
    let networks = nets.map((n) => ({ ...n }));
    let containers: ReturnType<typeof container>[] = [];
    let next = 1;
    let remote: RemoteEndpoint[] = [];
    const view = new DnsView();
    const live = new LiveIndex();
    const freeIp = (net: (typeof networks)[number]) => {
      const taken = new Set(containers.flatMap((c) => c.endpoints.filter((e) => e.networkId === net.id).map((e) => e.ipAddress)));
      for (;;) {
        const ip = `${net.ipam[0].subnet.split('.').slice(0, 3).join('.')}.${2 + rnd(200)}`;
        if (!taken.has(ip)) return ip;
      }
    };
    for (let step = 0; step < 60; step++) {
      const pick = rnd(100);
      const victim = containers.length ? rnd(containers.length) : -1;
      if (pick < 35 || victim < 0) {
        const n = next++;
        const on = networks.filter(() => rnd(2) === 0);
        containers = [...containers, container(`c${n}`, n, on.map((net) => ({ net, ip: freeIp(net), aliases: rnd(3) === 0 ? [`al${rnd(4)}`] : [] })), { running: rnd(5) !== 0 })];
      } else if (pick < 55) {
        containers = containers.filter((_, i) => i !== victim);
      } else if (pick < 65) {
        containers = containers.map((c, i) => (i === victim ? { ...c, name: `r${next++}` } : c));
      } else if (pick < 75) {
        const net = networks[rnd(networks.length)];
        containers = containers.map((c, i) => (i !== victim || c.endpoints.some((e) => e.networkId === net.id) ? c
          : { ...c, endpoints: [...c.endpoints, { ...c.endpoints[0] ?? container('x', 999, [{ net, ip: '0.0.0.0' }]).endpoints[0], networkId: net.id, ipAddress: freeIp(net), aliases: [`al${rnd(4)}`] }] }));
      } else if (pick < 82) {
        containers = containers.map((c, i) => (i === victim ? { ...c, running: !c.running } : c));
      } else if (pick < 88) {
        containers = containers.map((c, i) => (i === victim ? { ...c, endpoints: c.endpoints.map((e) => ({ ...e, aliases: [`al${rnd(4)}`] })) } : c));
      } else if (pick < 92) {
        const k = rnd(networks.length);
        networks = networks.map((n, i) => (i === k ? (rnd(2) ? { ...n, name: `${n.name}x` } : { ...n, internal: !n.internal }) : n));
      } else if (pick < 96) {
        remote = rnd(2) ? [] : [{ host: 'h2', network: networks[0].id, endpointId: hexId(0x7800), name: `far${rnd(3)}`, aliases: [], containerId: hexId(0x7700 + rnd(9)), ipAddress: `10.60.1.${rnd(9)}`, macAddress: '02:42:0a:3c:01:01', hostAddress: '192.0.2.2' }];
      }
      const store = read({ ...state(networks, []), containers });
      const changed = live.update(view.of(store), remote);
      const whole = buildIndex({ networks, containers }, remote);
      t.deepEqual(indexView(live.index), indexView(whole), `round ${round} step ${step}`);
      if (changed !== null) incremental++;
    }
  }
  t.true(incremental > 1000, `most changes are applied container by container (${incremental} of 1800)`);
});

/** Network `web` with `n` containers on it (w0 at 10.5.0.2, w1…), and a store of it with the containers given. */
function web(n: number) {
  const net = network({ name: 'web', subnet: '10.5.0.0/24' }, 9);
  const many = Array.from({ length: n }, (_, i) => container(`w${i}`, 100 + i, [{ net, ip: `10.5.0.${i + 2}` }]));
  return { net, many, stateOf: (containers: typeof many): State => ({ ...state([net], []), containers }) };
}

test('a store change names for the resolver only the namespaces whose containers changed', (t) => {
  const { net, many, stateOf } = web(50);
  const read = (containers: typeof many) => {
    const text = stateText(stateOf(containers));
    return parseStateText(text, 'state.json', Buffer.from(text, 'latin1')) as State;
  };
  const view = new DnsView();
  const live = new LiveIndex();
  t.is(live.update(view.of(read(many))), null, 'the first read builds it whole');
  const extra = container('late', 300, [{ net, ip: '10.5.0.99' }]);
  t.deepEqual(live.update(view.of(read([...many, extra]))), ['late']);
  t.deepEqual(lookupA(live.index.askers.get('w0'), 'late'), ['10.5.0.99'], 'the others answer from the index changed in place');
  t.deepEqual(live.update(view.of(read([...many.slice(1), extra]))), ['w0']);
  t.is(live.index.askers.get('w0'), undefined);
  t.is(lookupA(live.index.askers.get('w1'), 'w0'), null);
  t.deepEqual(live.update(view.of(read([...many.slice(1), extra]))), [], 'nothing changed');
});

test("the resolver's read of the store: through its index, each changed record parsed and no other; whole when the note is missing", (t) => {
  withStore((store) => {
    const { net, many, stateOf } = web(20);
    store.write(stateOf(many));
    const view = new DnsView();
    const first = view.read(store);
    t.deepEqual(first.containers.map((c) => c.name), many.map((c) => c.name));
    t.deepEqual(indexView(buildIndex(first)), indexView(buildIndex({ networks: [net], containers: many })), 'the same index as from the records themselves');
    // one record renamed, one removed, one added: the store written again, every line after the first change moved
    const next = [{ ...many[0], name: 'renamed' }, ...many.slice(2), container('late', 300, [{ net, ip: '10.5.0.99' }])];
    store.write(stateOf(next));
    const second = view.read(store);
    const before = new Set(first.containers);
    t.is(second.containers.filter((c) => !before.has(c)).length, 2, 'the renamed and the added record are made again; the 18 others are kept');
    t.deepEqual(second.containers.map((c) => c.name), next.map((c) => c.name));
    for (let i = 1; i < 19; i++) t.is(second.containers[i], first.containers[i + 1], `record ${next[i].name}: the same view`);
    t.deepEqual(indexView(buildIndex(second)), indexView(buildIndex({ networks: [net], containers: next })));
    // no note (another pont wrote the file, or a hand edit): read whole, the same answers
    rmSync(store.checkedFile);
    t.is(store.readLines(() => t.fail('no record without an index')), null);
    t.deepEqual(indexView(buildIndex(view.read(store))), indexView(buildIndex({ networks: [net], containers: next })));
  });
});

test("the resolver's read of a store whose record line is damaged fails, and the view keeps what it had", (t) => {
  withStore((store) => {
    const { many, stateOf } = web(5);
    store.write(stateOf(many));
    const view = new DnsView();
    const first = view.read(store);
    // one record's JSON does not parse (a hand edit, a bad disk): the file is no longer the one
    // pont noted, read whole, and refused
    const file = `${store.dir}/state.json`;
    const text = readFileSync(file, 'latin1');
    const at = text.indexOf('"running":true', text.indexOf('"name":"w2"'));
    writeFileSync(file, `${text.slice(0, at)}"running":tru?${text.slice(at + '"running":true'.length)}`, 'latin1');
    t.throws(() => view.read(store), { message: /corrupt/ });
    // the store written again as it was: every record is the view it was before the failed read
    store.write(stateOf(many));
    const again = view.read(store);
    for (let i = 0; i < 5; i++) t.is(again.containers[i], first.containers[i]);
  });
});
