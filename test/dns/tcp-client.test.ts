// A DNS-over-TCP client that pipelines queries and never reads its answers must not make the
// resolver buffer without bound: it stops reading from that client (TCP flow control then holds
// the client back), and drops it once stalled. Served here on 127.0.0.1 by the same code the
// resolver runs in each namespace.
import net from 'node:net';
import test from 'ava';
import dnsPacket from 'dns-packet';
import { FrameReader, frame } from '../../src/dns/codec.js';
import { buildIndex } from '../../src/dns/names.js';
import type { Forward, QueryContext } from '../../src/dns/query.js';
import { serveTcpClient, TCP_CLIENT_LIMITS, type TcpClientLimits } from '../../src/dns/tcp-client.js';
import { container, state, world } from './fixtures.js';

const query = (name: string, id: number) => frame(dnsPacket.encode({ id, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: 'A' }] }));

async function server(limits: TcpClientLimits) {
  let forwarded = 0;
  const forward: Forward = async (raw) => {
    forwarded++;
    const q = dnsPacket.decode(raw);
    return dnsPacket.encode({ id: q.id, type: 'response', questions: q.questions, answers: [{ type: 'A', name: q.questions![0].name, ttl: 5, data: '10.99.0.1' }] });
  };
  // c1 of the usual world, plus 60 containers answering to "svc": ~1 KB answers fill buffers fast
  const w = world();
  const svc = Array.from({ length: 60 }, (_, i) => container(`m${i}`, 100 + i, [{ net: w.net1, ip: `10.88.0.${i + 100}`, aliases: ['svc'] }]));
  const ctx: QueryContext = { asker: buildIndex(state(w.state.networks, [...w.state.containers, ...svc])).askers.get('c1'), transport: 'tcp', forward, source: 'c1' };
  const conns: net.Socket[] = [];
  const srv = net.createServer({ allowHalfOpen: true }, (s) => {
    conns.push(s);
    serveTcpClient(s, ctx, limits);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { port: (srv.address() as net.AddressInfo).port, conns, forwarded: () => forwarded, close: () => srv.close() };
}

const connect = (port: number) =>
  new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The resolver's own limits, but a short idle time so the test need not wait 10 s. */
const TCP_CLIENT_LIMITS_FOR_TEST = { ...TCP_CLIENT_LIMITS, idleMs: 1500 };


test('a client that pipelines and never reads is held back and then dropped; another client is answered meanwhile', async (t) => {
  const limits = TCP_CLIENT_LIMITS_FOR_TEST;
  const srv = await server(limits);
  const greedy = await connect(srv.port);
  greedy.pause(); // never reads an answer
  let closed = false;
  greedy.on('close', () => (closed = true));
  greedy.on('error', () => {});
  // 200,000 queries (~6 MB), half answered locally (~1 KB each), half forwarded, all handed to the client's socket
  const total = 200_000;
  const batch = Buffer.concat(Array.from({ length: 1000 }, (_, i) => query(i % 2 === 0 ? 'svc' : 'example.test', i)));
  for (let i = 0; i < total / 1000; i++) greedy.write(batch);
  const sent = batch.length * (total / 1000);
  // the resolver answers until the kernel's buffers toward the client are full, then holds
  let conn: net.Socket | undefined;
  for (let i = 0; i < 150; i++) {
    conn = srv.conns[0];
    if (conn?.isPaused() && conn.writableLength >= limits.maxUnsent) break;
    await sleep(100);
  }
  conn = conn!;
  // a paused socket may still fill Node's read-ahead buffer (its high-water mark) once
  await sleep(300);
  const read = conn.bytesRead;
  await sleep(500);
  t.log(`the resolver read ${read} of ${sent} bytes of queries, then stopped`);
  t.true(conn.isPaused(), 'the resolver no longer reads from that client');
  t.is(conn.bytesRead, read, 'nothing more was read');
  t.true(read < sent / 2, `read ${read} of ${sent} bytes`);
  t.true(conn.writableLength <= limits.maxUnsent + limits.maxInFlight * 1024, `unsent answers held by the resolver: ${conn.writableLength} bytes`);
  t.false(closed);

  // another client is answered while the greedy one is stalled
  const other = await connect(srv.port);
  const reader = new FrameReader();
  const answer = new Promise<Buffer>((r) => other.on('data', (d) => reader.push(d).forEach(r)));
  other.write(query('c2', 77));
  const a = dnsPacket.decode(await answer);
  t.is(a.id, 77);
  t.deepEqual(a.answers!.map((x) => (x as { data: unknown }).data), ['10.88.0.3']);
  other.destroy();

  // stalled longer than idleMs: dropped
  for (let i = 0; i < 40 && !conn.destroyed; i++) await sleep(100);
  t.true(conn.destroyed, 'the stalled client was dropped');
  greedy.destroy();
  srv.close();
});

test('a client that reads gets every pipelined answer, in spite of the limits', async (t) => {
  const srv = await server({ maxUnsent: 1024, maxInFlight: 2, idleMs: 5000 });
  const c = await connect(srv.port);
  const reader = new FrameReader();
  const ids = new Set<number>();
  const n = 2000;
  const done = new Promise<void>((r) =>
    c.on('data', (d) => {
      for (const m of reader.push(d)) ids.add(dnsPacket.decode(m).id!);
      if (ids.size === n) r();
    }),
  );
  c.write(Buffer.concat(Array.from({ length: n }, (_, i) => query(i % 2 === 0 ? 'c2' : 'example.test', i))));
  await done;
  t.is(ids.size, n);
  t.is(srv.forwarded(), n / 2);
  c.destroy();
  srv.close();
});

test('a client that sends its queries and half-closes still gets every answer, then the connection closes', async (t) => {
  const srv = await server({ maxUnsent: 1024, maxInFlight: 2, idleMs: 5000 });
  const c = await connect(srv.port);
  const reader = new FrameReader();
  const ids: number[] = [];
  c.on('data', (d) => reader.push(d).forEach((m) => ids.push(dnsPacket.decode(m).id!)));
  const closed = new Promise((r) => c.on('close', r));
  c.end(Buffer.concat(Array.from({ length: 300 }, (_, i) => query(i % 2 === 0 ? 'c2' : 'example.test', i))));
  await closed;
  t.is(ids.length, 300);
  t.is(new Set(ids).size, 300);
  srv.close();
});
