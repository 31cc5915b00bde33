// Which addresses of absent hosts an agent frees, and when: pure.
import test from 'ava';
import type { KeyValue } from '../../src/cluster/etcd.js';
import { leftoverClaims, orphanedClaims } from '../../src/cluster/reaper.js';

const H = (c: string) => c.repeat(64);
const EP = 'e'.repeat(64);
const kv = (key: string, value: string): KeyValue => ({ key: `/pont/v1/${key}`, value, createRevision: 1, modRevision: 1, version: 1, lease: '0' });
const claim = (ip: string, host: string) => kv(`ipam/n1/${ip}`, `${host}/${EP}`);
const GRACE = 10_000;

test("an absent host's addresses are freed only once it has been absent for the grace period", (t) => {
  const kvs = [claim('10.0.0.2', H('a')), claim('10.0.0.3', H('b')), claim('10.0.0.4', H('b')), kv(`hosts/${H('a')}`, '{}')];
  const live = new Set([H('a')]);
  const first = orphanedClaims(kvs, live, H('c'), new Map(), 1000, GRACE);
  t.deepEqual(first.reap, [], 'first seen absent: nothing yet');
  t.deepEqual([...first.absentSince], [[H('b'), 1000]]);
  const early = orphanedClaims(kvs, live, H('c'), first.absentSince, 1000 + GRACE - 1, GRACE);
  t.deepEqual(early.reap, []);
  t.deepEqual([...early.absentSince], [[H('b'), 1000]], 'the first sighting is kept');
  const due = orphanedClaims(kvs, live, H('c'), early.absentSince, 1000 + GRACE, GRACE);
  t.deepEqual(due.reap.map((o) => [o.key, o.host]), [[`/pont/v1/ipam/n1/10.0.0.3`, H('b')], [`/pont/v1/ipam/n1/10.0.0.4`, H('b')]]);
  t.is(due.reap[0].value, `${H('b')}/${EP}`, 'the value judged, for the transaction to compare');
});

test('a host seen alive again is forgotten: its next absence starts the grace period over', (t) => {
  const kvs = [claim('10.0.0.3', H('b'))];
  const absent = orphanedClaims(kvs, new Set(), H('c'), new Map(), 0, GRACE);
  const back = orphanedClaims(kvs, new Set([H('b')]), H('c'), absent.absentSince, 5000, GRACE);
  t.deepEqual([...back.absentSince], []);
  const again = orphanedClaims(kvs, new Set(), H('c'), back.absentSince, 12_000, GRACE);
  t.deepEqual(again.reap, [], 'absent since 12 s, not since 0');
});

test("this host's own addresses are never freed (its lease lapsed: the agent is taking a new one), nor values pont did not write", (t) => {
  const kvs = [claim('10.0.0.2', H('c')), kv('ipam/n1/10.0.0.9', 'something else'), kv(`endpoints/n1/${EP}`, `{"host":"${H('b')}"}`)];
  const r = orphanedClaims(kvs, new Set(), H('c'), new Map([[H('c'), 0]]), 1e9, GRACE);
  t.deepEqual(r.reap, []);
  t.deepEqual([...r.absentSince], []);
});

test("this host's own addresses that no endpoint of its store holds are leftovers; another host's are not", (t) => {
  const held = 'f'.repeat(64);
  const kvs = [claim('10.0.0.2', H('c')), kv('ipam/n1/10.0.0.3', `${H('c')}/${held}`), claim('10.0.0.4', H('b'))];
  t.deepEqual(leftoverClaims(kvs, H('c'), new Set([held])).map((o) => o.key), ['/pont/v1/ipam/n1/10.0.0.2']);
  t.deepEqual(leftoverClaims(kvs, H('c'), new Set([held, EP])), []);
});
