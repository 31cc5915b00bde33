// The etcd client against a real etcd (Debian's etcd-server, 3.4), each test in a throwaway
// sandbox where etcd runs on 127.0.0.1 with its data on the sandbox's tmpfs /run, and dies with
// it. The client runs inside the sandbox too (remote-etcd.ts); etcdctl checks what it wrote.
import { existsSync } from 'node:fs';
import type { ExecutionContext } from 'ava';
import type { EtcdEndpoint } from '../../src/cluster/etcd.js';
import { sandboxTest, type SandboxTest } from '../helpers/root-test.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { RemoteCallError, RemoteEtcd, type RemoteError } from './remote-etcd.js';

const missing = ['/usr/bin/etcd', '/usr/bin/etcdctl'].filter((f) => !existsSync(f));
const skip = missing.length > 0 && `${missing.join(' and ')} not installed (scripts/setup.sh --for-tests installs etcd-server and etcd-client)`;
const etcdTest = (title: string, fn: SandboxTest) => sandboxTest(title, fn, { skip });

interface Member {
  name: string;
  endpoint: EtcdEndpoint;
  /** etcdctl with this member as its endpoint. */
  ctl: string;
}

/**
 * Starts etcd members in the sandbox (one by default; more form one cluster), on random ports,
 * and waits until each answers. Each member's pid is in /run/etcd-NAME.pid.
 */
async function startEtcd(sb: Sandbox, names: string[] = ['t']): Promise<Member[]> {
  const base = 20_000 + Math.floor(Math.random() * 9_000);
  const members = names.map((name, i) => ({ name, client: base + 2 * i, peer: base + 2 * i + 1 }));
  const cluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peer}`).join(',');
  for (const m of members) {
    await sb.ok(
      `setsid etcd --name ${m.name} --data-dir /run/etcd-${m.name} --listen-client-urls http://127.0.0.1:${m.client} --advertise-client-urls http://127.0.0.1:${m.client} ` +
        `--listen-peer-urls http://127.0.0.1:${m.peer} --initial-advertise-peer-urls http://127.0.0.1:${m.peer} --initial-cluster ${cluster} ` +
        `> /run/etcd-${m.name}.log 2>&1 < /dev/null & echo $! > /run/etcd-${m.name}.pid`,
    );
  }
  const out = members.map((m) => ({ name: m.name, endpoint: { host: '127.0.0.1', port: m.client }, ctl: `etcdctl --endpoints=http://127.0.0.1:${m.client}` }));
  for (const m of out) {
    await sb.ok(`for i in $(seq 150); do ${m.ctl} --dial-timeout=1s endpoint health >/dev/null 2>&1 && exit 0; sleep 0.1; done; echo "etcd ${m.name} did not start:" >&2; cat /run/etcd-${m.name}.log >&2; exit 1`);
  }
  return out;
}

const stopEtcd = (sb: Sandbox, name: string) => sb.ok(`kill $(cat /run/etcd-${name}.pid)`);

/** The error a remote call failed with (the test fails if it succeeded). */
async function remoteError(t: ExecutionContext, call: Promise<unknown>): Promise<RemoteError> {
  const e = await t.throwsAsync(call, { instanceOf: RemoteCallError });
  return (e as RemoteCallError).remote;
}

async function withClient(sb: Sandbox, endpoints: EtcdEndpoint[], fn: (c: RemoteEtcd) => Promise<void>, opts: { timeoutMs?: number } = {}): Promise<void> {
  const c = RemoteEtcd.start(sb, endpoints, opts);
  try {
    await fn(c);
  } finally {
    await c.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

etcdTest('put, get, range, create, delete and deleteIf, as etcdctl sees them', async (t, sb) => {
  const [m] = await startEtcd(sb);
  await withClient(sb, [m.endpoint], async (c) => {
    const rev = await c.call('put', '/pont/a/1', 'one');
    t.is(await sb.ok(`${m.ctl} get /pont/a/1 --print-value-only`), 'one\n');
    const kv = await c.call('get', '/pont/a/1');
    t.deepEqual(kv, { key: '/pont/a/1', value: 'one', createRevision: rev, modRevision: rev, version: 1, lease: '0' });
    await sb.ok(`${m.ctl} put /pont/a/2 'two é✓'`);
    await sb.ok(`${m.ctl} put /pont/b 'not under /pont/a/'`);
    await sb.ok(`${m.ctl} put /pont/a 'the prefix itself, without its slash'`);
    t.is(await c.call('get', '/pont/nothing'), undefined);

    const all = await c.call('range', '/pont/a/');
    t.deepEqual(all.kvs.map((k) => [k.key, k.value]), [['/pont/a/1', 'one'], ['/pont/a/2', 'two é✓']]);
    t.is(all.revision, rev + 3);
    t.is((await c.call('range', '/pont/')).kvs.length, 4);
    t.deepEqual((await c.call('range', '/nothing/')).kvs, []);

    t.true(await c.call('create', '/pont/ipam/10.0.0.2', 'host-a'));
    t.false(await c.call('create', '/pont/ipam/10.0.0.2', 'host-b'));
    t.is(await sb.ok(`${m.ctl} get /pont/ipam/10.0.0.2 --print-value-only`), 'host-a\n', 'the second create changed nothing');

    t.false(await c.call('deleteIf', '/pont/ipam/10.0.0.2', 'host-b'));
    t.is(await sb.ok(`${m.ctl} get /pont/ipam/10.0.0.2 --print-value-only`), 'host-a\n', "a deleteIf with another's value deletes nothing");
    t.true(await c.call('deleteIf', '/pont/ipam/10.0.0.2', 'host-a'));
    t.is(await sb.ok(`${m.ctl} get /pont/ipam/10.0.0.2`), '');
    t.false(await c.call('deleteIf', '/pont/ipam/10.0.0.2', 'host-a'), 'nothing left to delete');

    t.is(await c.call('delete', '/pont/a/1'), 1);
    t.is(await c.call('delete', '/pont/a/1'), 0);
    t.is(await sb.ok(`${m.ctl} get /pont/a/1`), '');

    const txn = await c.call('txn', {
      compare: [{ key: '/pont/b', target: 'version', result: '>', value: 0 }],
      success: [{ op: 'range', key: '/pont/a/', prefix: true }, { op: 'delete', key: '/pont/b' }],
    });
    t.true(txn.succeeded);
    t.deepEqual(txn.ranges.map((r) => r.map((k) => k.key)), [['/pont/a/2']]);
    t.is(await sb.ok(`${m.ctl} get /pont/b`), '');

    const refused = await remoteError(t, c.call('put', '', 'x'));
    t.is(refused.message, 'the cluster store refused put : etcdserver: key is not provided');
    t.is(refused.category, 'cluster');
  });
});

etcdTest("a lease's keys go when it is revoked or expires, and stay while it is kept alive", async (t, sb) => {
  const [m] = await startEtcd(sb);
  await withClient(sb, [m.endpoint], async (c) => {
    const revoked = await c.call('leaseGrant', 30);
    t.is(revoked.ttl, 30);
    await c.call('put', '/l/revoked', 'x', { lease: revoked.id });
    t.is((await c.call('get', '/l/revoked'))?.lease, revoked.id);
    t.regex(await sb.ok(`${m.ctl} lease list`), new RegExp(BigInt(revoked.id).toString(16)));
    await c.call('leaseRevoke', revoked.id);
    t.is(await c.call('get', '/l/revoked'), undefined);
    t.is(await sb.ok(`${m.ctl} get /l/revoked`), '');
    t.is(await c.call('leaseTimeToLive', revoked.id), -1);
    await c.call('leaseRevoke', revoked.id); // already gone: no error
    t.is(await c.call('leaseKeepAlive', revoked.id), 0);

    // two 2 s leases at once: one renewed every 0.5 s, the other left to expire
    const kept = await c.call('leaseGrant', 2);
    const left = await c.call('leaseGrant', 2);
    const granted = Date.now();
    await c.call('put', '/l/kept', 'x', { lease: kept.id });
    await c.call('create', '/l/left', 'x', { lease: left.id });
    t.truthy(await c.call('get', '/l/left'));
    let leftGoneAfter = 0;
    while (Date.now() - granted < 6000) {
      t.is(await c.call('leaseKeepAlive', kept.id), 2);
      if (!leftGoneAfter && !(await c.call('get', '/l/left'))) leftGoneAfter = Date.now() - granted;
      if (leftGoneAfter && Date.now() - granted > 3500) break;
      await sleep(500);
    }
    t.true(leftGoneAfter >= 1500 && leftGoneAfter < 6000, `the lease left alone expired after ${leftGoneAfter} ms`);
    t.is(await c.call('leaseTimeToLive', left.id), -1);
    t.is(await sb.ok(`${m.ctl} get /l/left`), '');
    t.true(Date.now() - granted > 3000);
    t.is((await c.call('get', '/l/kept'))?.value, 'x', 'the lease kept alive outlived its 2 s TTL');
    const ttl = await c.call('leaseTimeToLive', kept.id);
    t.true(ttl > 0 && ttl <= 2, `ttl ${ttl}`);
  });
});

etcdTest('a watch sees the puts and deletes under its prefix in order, from the revision asked', async (t, sb) => {
  const [m] = await startEtcd(sb);
  await withClient(sb, [m.endpoint], async (c) => {
    await c.call('put', '/w/before', 'old');
    const from = await c.call('put', '/w/a', '1');
    const w = c.watch('/w/', from);
    await c.call('put', '/w/b', '2');
    await c.call('put', '/x/outside', 'x');
    await sb.ok(`${m.ctl} del /w/a`);
    await c.call('put', '/w/b', '3');
    await w.until((x) => x.events.length >= 4);
    t.deepEqual(
      w.events.map((e) => `${e.type} ${e.kv.key}=${e.kv.value}`),
      ['put /w/a=1', 'put /w/b=2', 'delete /w/a=', 'put /w/b=3'],
      'from the revision asked (inclusive), nothing before it nor outside the prefix',
    );
    const revs = w.events.map((e) => e.kv.modRevision);
    t.deepEqual(revs, [from, from + 1, from + 3, from + 4]);
    t.is(w.events[3].kv.version, 2);

    await w.cancel();
    await c.call('put', '/w/c', 'after cancel');
    const other = c.watch('/w/c', from);
    await other.until((x) => x.events.length === 1);
    t.is(w.events.length, 4, 'a cancelled watch hears nothing more');
    t.deepEqual(w.errors, []);

    await stopEtcd(sb, m.name);
    await other.until((x) => x.errors.length > 0);
    t.is(other.errors[0].message, `the watch on /w/c broke (etcd://127.0.0.1:${m.endpoint.port}): the connection closed`);
    t.is(other.errors[0].category, 'cluster');
    t.falsy(other.errors[0].compacted);
  });
});

etcdTest('a watch from a compacted revision reports it; a resync and a new watch go on', async (t, sb) => {
  const [m] = await startEtcd(sb);
  await withClient(sb, [m.endpoint], async (c) => {
    const first = await c.call('put', '/c/k', '1');
    for (const v of ['2', '3', '4']) await c.call('put', '/c/k', v);
    const last = await c.call('put', '/c/other', '5');
    await sb.ok(`${m.ctl} compact ${last - 1}`);
    const w = c.watch('/c/', first);
    await w.until((x) => x.errors.length > 0);
    t.deepEqual(w.errors, [
      {
        name: 'WatchCompacted',
        message: `the cluster store has compacted the history of /c/ up to revision ${last - 1}`,
        category: 'cluster',
        compacted: true,
        compactRevision: last - 1,
      },
    ]);
    t.deepEqual(w.events, []);

    const { kvs, revision } = await c.call('range', '/c/');
    t.deepEqual(kvs.map((k) => `${k.key}=${k.value}`), ['/c/k=4', '/c/other=5']);
    const again = c.watch('/c/', revision + 1);
    await c.call('delete', '/c/k');
    await again.until((x) => x.events.length === 1);
    t.deepEqual(again.events.map((e) => `${e.type} ${e.kv.key}`), ['delete /c/k']);
    t.deepEqual(again.errors, []);
  });
});

// A host that drops what it is sent: its address is routed out of a veth whose peer has no address.
const SILENT_HOST = `ip link add s0 type veth peer name s1; ip addr add 10.99.0.1/24 dev s0; ip link set s0 up; ip link set s1 up
ip neigh add 10.99.0.2 lladdr 02:00:00:00:00:02 dev s0`;
const SILENT = { host: '10.99.0.2', port: 2379 };

etcdTest('an unreachable store fails within the timeout, with one line naming the endpoints', async (t, sb) => {
  await sb.ok(SILENT_HOST);
  const closed = { host: '127.0.0.1', port: 2379 };
  await withClient(sb, [closed], async (c) => {
    const e = await remoteError(t, c.call('get', '/k'));
    t.deepEqual(e, { name: 'EtcdError', message: 'cannot reach the cluster store (etcd://127.0.0.1:2379): connect ECONNREFUSED', category: 'cluster' });
    const w = c.watch('/k/', 1);
    await w.until((x) => x.errors.length > 0);
    t.is(w.errors[0].message, 'cannot reach the cluster store (etcd://127.0.0.1:2379): connect ECONNREFUSED');
  });
  await withClient(
    sb,
    [SILENT, closed],
    async (c) => {
      const started = Date.now();
      const e = await remoteError(t, c.call('put', '/k', 'v'));
      const took = Date.now() - started;
      t.is(e.message, 'cannot reach the cluster store (etcd://10.99.0.2:2379,127.0.0.1:2379): 10.99.0.2:2379 no connection within 0.3 s; 127.0.0.1:2379 connect ECONNREFUSED');
      t.true(took >= 300 && took < 2000, `failed after ${took} ms`);
    },
    { timeoutMs: 300 },
  );
});

etcdTest('failover from a dead first endpoint to a live second one', async (t, sb) => {
  await sb.ok(SILENT_HOST);
  const [m] = await startEtcd(sb);
  const refusing = { host: '127.0.0.1', port: m.endpoint.port + 100 };
  await withClient(sb, [refusing, m.endpoint], async (c) => {
    t.is(typeof (await c.call('put', '/f/k', 'v')), 'number');
    t.is((await c.call('get', '/f/k'))?.value, 'v');
  });
  await withClient(
    sb,
    [SILENT, m.endpoint],
    async (c) => {
      let started = Date.now();
      t.is((await c.call('get', '/f/k'))?.value, 'v');
      const first = Date.now() - started;
      t.true(first >= 500 && first < 2500, `the first call waited for the silent member: ${first} ms`);
      started = Date.now();
      const w = c.watch('/f/', 1);
      await w.until((x) => x.events.length === 1);
      t.true(await c.call('create', '/f/new', 'v'));
      const then = Date.now() - started;
      t.true(then < 500, `then the member that answered is asked first, not the silent one (0.5 s each): ${then} ms`);
    },
    { timeoutMs: 500 },
  );
});

etcdTest('30 concurrent creates of one key: exactly one wins', async (t, sb) => {
  const [m] = await startEtcd(sb);
  await withClient(sb, [m.endpoint], async (c) => {
    const won = await Promise.all(Array.from({ length: 30 }, (_, i) => c.call('create', '/race/10.0.0.7', `host-${i}`)));
    const winners = won.flatMap((w, i) => (w ? [i] : []));
    t.is(winners.length, 1, `winners: ${winners.join(', ')}`);
    t.is(await sb.ok(`${m.ctl} get /race/10.0.0.7 --print-value-only`), `host-${winners[0]}\n`);
    t.is((await c.call('get', '/race/10.0.0.7'))?.version, 1, 'written once');
  });
});

etcdTest('a watch on a member that loses its leader breaks instead of going silent', async (t, sb) => {
  const [a] = await startEtcd(sb, ['a', 'b']);
  await withClient(sb, [a.endpoint], async (c) => {
    const from = await c.call('put', '/q/k', '1');
    const w = c.watch('/q/', from);
    await w.until((x) => x.events.length === 1);
    await stopEtcd(sb, 'b');
    // a loses its leader after an election timeout (1 s), then cancels watches that require one
    await w.until((x) => x.errors.length > 0, 15_000);
    t.regex(w.errors[0].message, /^the watch on \/q\/ broke \(etcd:\/\/127\.0\.0\.1:\d+\): /);
  });
});
