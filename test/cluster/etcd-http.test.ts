// The client's failover and time bounds, against fake members: HTTP servers on 127.0.0.1 and
// ephemeral ports in this process (no etcd, no root; nothing leaves the loopback).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { Etcd, EtcdError } from '../../src/cluster/etcd.js';

type Handler = (path: string, body: string, req: http.IncomingMessage, res: http.ServerResponse) => void;

interface FakeMember {
  port: number;
  paths: string[];
  close: () => Promise<void>;
}

async function fakeMember(handle: Handler): Promise<FakeMember> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      paths.push(req.url!);
      handle(req.url!, body, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    paths,
    close: () => new Promise((r) => server.close(() => r()) && server.closeAllConnections()),
  };
}

const answer = (json: string): Handler => (_p, _b, _q, res) => res.end(json);
const HEADER = '{"header":{"revision":"9"}}';
/** Reads the whole request, then drops the connection without a word: the answer is lost. */
const dropAnswer: Handler = (_p, _b, req) => req.socket.destroy();

const clientOf = (members: FakeMember[], timeoutMs = 1000) => new Etcd(members.map((m) => ({ host: '127.0.0.1', port: m.port })), { timeoutMs });

test('a write whose answer is lost is not sent again to another member', async (t) => {
  const first = await fakeMember(dropAnswer);
  const second = await fakeMember(answer(HEADER));
  const etcd = clientOf([first, second]);
  try {
    const e = await t.throwsAsync(etcd.put('/k', 'v'), { instanceOf: EtcdError });
    t.is(e!.message, `lost the cluster store's answer to put /k (etcd://127.0.0.1:${first.port}): the connection closed`);
    t.is(e!.category, 'cluster');
    t.deepEqual(second.paths, []);
  } finally {
    etcd.close();
    await Promise.all([first.close(), second.close()]);
  }
});

test('a read whose answer is lost goes on to the next member, which is then asked first', async (t) => {
  const first = await fakeMember(dropAnswer);
  const second = await fakeMember(answer(HEADER));
  const etcd = clientOf([first, second]);
  try {
    t.deepEqual(await etcd.range('/k/'), { kvs: [], revision: 9 });
    t.is(await etcd.put('/k', 'v'), 9);
    t.deepEqual(first.paths, ['/v3/kv/range']);
    t.deepEqual(second.paths, ['/v3/kv/range', '/v3/kv/put']);
  } finally {
    etcd.close();
    await Promise.all([first.close(), second.close()]);
  }
});

test('a member that does not answer in time fails the call within the timeout', async (t) => {
  const silent = await fakeMember(() => {});
  const etcd = clientOf([silent], 200);
  try {
    const started = Date.now();
    await t.throwsAsync(etcd.put('/k', 'v'), { instanceOf: EtcdError, message: `lost the cluster store's answer to put /k (etcd://127.0.0.1:${silent.port}): no answer within 0.2 s` });
    await t.throwsAsync(etcd.get('/k'), { instanceOf: EtcdError, message: `cannot reach the cluster store (etcd://127.0.0.1:${silent.port}): no answer within 0.2 s` });
    t.true(Date.now() - started < 1000);
  } finally {
    etcd.close();
    await silent.close();
  }
});

test("etcd's refusal is reported with its message and code; 'unavailable' sends a read to the next member", async (t) => {
  const noLeader = await fakeMember((_p, _b, _q, res) => {
    res.statusCode = 503;
    res.end('{"error":"etcdserver: no leader","message":"etcdserver: no leader","code":14}');
  });
  const healthy = await fakeMember(answer(HEADER));
  const etcd = clientOf([noLeader, healthy]);
  try {
    const e = await t.throwsAsync(etcd.put('/k', 'v'), { instanceOf: EtcdError, message: 'the cluster store refused put /k: etcdserver: no leader' });
    t.is(e!.code, 14);
    t.deepEqual(await etcd.range('/k/'), { kvs: [], revision: 9 });
  } finally {
    etcd.close();
    await Promise.all([noLeader.close(), healthy.close()]);
  }
});

test('a server that is not an etcd >= 3.4 gateway is named with what it answered', async (t) => {
  const other = await fakeMember((_p, _b, _q, res) => {
    res.statusCode = 404;
    res.end('Not Found\n');
  });
  const etcd = clientOf([other]);
  try {
    await t.throwsAsync(etcd.get('/k'), { instanceOf: EtcdError, message: `the cluster store (etcd://127.0.0.1:${other.port}) answered /v3/kv/range with HTTP 404: Not Found` });
  } finally {
    etcd.close();
    await other.close();
  }
});

test('a watch whose member closes the stream reports it once, and a cancelled watch reports nothing', async (t) => {
  let streams = 0;
  const member = await fakeMember((_p, _b, _q, res) => {
    streams++;
    res.write('{"result":{"header":{"revision":"3"},"created":true}}\n{"result":{"header":{"revision":"3"},"events":[{"kv":{"key":"L2EvMQ==","mod_revision":"3","create_revision":"3","version":"1","value":"eA=="}}]}}\n');
    setTimeout(() => res.destroy(), 50);
  });
  const etcd = clientOf([member]);
  try {
    const seen: string[] = [];
    const errors: string[] = [];
    await new Promise<void>((resolve) =>
      etcd.watch('/a/', 1, (evs, rev) => seen.push(...evs.map((e) => `${e.type} ${e.kv.key}=${e.kv.value} @${rev}`)), (e) => {
        errors.push(e.message);
        resolve();
      }),
    );
    t.deepEqual(seen, ['put /a/1=x @3']);
    t.deepEqual(errors, [`the watch on /a/ broke (etcd://127.0.0.1:${member.port}): the connection closed`]);
    const cancel = etcd.watch('/a/', 1, () => {}, () => t.fail('no error after cancel'));
    cancel();
    await new Promise((r) => setTimeout(r, 150));
    t.true(streams <= 2);
  } finally {
    etcd.close();
    await member.close();
  }
});
