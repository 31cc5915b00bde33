// Query handling on decoded packets and raw bytes, with a fake upstream.
import test from 'ava';
import dnsPacket, { type Packet } from 'dns-packet';
import { decodeMessage, type Message } from '../../src/dns/codec.js';
import { buildIndex } from '../../src/dns/names.js';
import { decide, type Forward, handleQuery, type Transport } from '../../src/dns/query.js';
import { container, network, state, world } from './fixtures.js';

const index = buildIndex(world().state);
const c1 = index.askers.get('c1');

const query = (name: string, type: dnsPacket.RecordType = 'A', extra: Partial<Packet> = {}): Buffer =>
  dnsPacket.encode({ id: 4242, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }], ...extra });
const decoded = (buf: Buffer): Message => decodeMessage(buf)!;

/** A fake upstream that records what reached it and answers NXDOMAIN with its own id. */
function fakeUpstream(answer: 'nxdomain' | 'silent' = 'nxdomain') {
  const seen: { name: string; transport: Transport }[] = [];
  const forward: Forward = async (raw, { transport }) => {
    const q = dnsPacket.decode(raw);
    seen.push({ name: q.questions![0].name, transport });
    if (answer === 'silent') return null;
    return dnsPacket.encode({ id: 7, type: 'response', flags: 3 | dnsPacket.RECURSION_AVAILABLE, questions: q.questions });
  };
  return { seen, forward };
}

async function ask(raw: Buffer, forward: Forward, transport: Transport = 'udp') {
  const r = handleQuery(raw, { asker: c1, transport, forward, source: 'c1' });
  const buf = r instanceof Promise ? await r : r;
  return buf ? (dnsPacket.decode(buf) as Message) : null;
}

test('decide: A for a shared container is answered, anything unknown is forwarded', (t) => {
  const d = decide(decoded(query('c2')), c1);
  t.is(d.kind, 'answer');
  t.is(decide(decoded(query('c3')), c1).kind, 'forward', 'another network: upstream decides (NXDOMAIN there)');
  t.is(decide(decoded(query('example.test')), c1).kind, 'forward');
  t.is(decide(decoded(query('c2', 'MX')), c1).kind, 'forward', 'other types go upstream');
  t.is(decide(decoded(query('example.test', 'AAAA')), c1).kind, 'forward');
  t.is(decide(decoded(query('c2')), undefined).kind, 'forward', 'no asker: no local names');
});

test('an A answer: the question echoed, every address, TTL 600, RD copied, RA set', async (t) => {
  const { seen, forward } = fakeUpstream();
  const r = (await ask(query('C2.net1'), forward))!;
  t.is(r.id, 4242);
  t.is(r.type, 'response');
  t.is(r.rcode, 'NOERROR');
  t.true(r.flag_rd && r.flag_ra);
  t.deepEqual(r.questions, [{ name: 'C2.net1', type: 'A', class: 'IN' }]);
  t.deepEqual(r.answers!.map((a) => [a.name, a.type, 'ttl' in a ? a.ttl : 0, 'data' in a ? a.data : null]), [['C2.net1', 'A', 600, '10.88.0.3']]);
  t.deepEqual(seen, [], 'nothing went upstream');
});

test('local answers come back synchronously (no promise on the hot path)', (t) => {
  const r = handleQuery(query('c2'), { asker: c1, transport: 'udp', forward: fakeUpstream().forward, source: 'c1' });
  t.true(Buffer.isBuffer(r));
});

test('AAAA for a container name: NOERROR and no records; PTR names name.network', async (t) => {
  const { seen, forward } = fakeUpstream();
  const r = (await ask(query('c2', 'AAAA'), forward))!;
  t.is(r.rcode, 'NOERROR');
  t.deepEqual(r.answers, []);
  const p = (await ask(query('3.0.88.10.in-addr.arpa', 'PTR'), forward))!;
  t.deepEqual(p.answers!.map((a) => ('data' in a ? a.data : null)), ['c2.net1']);
  t.deepEqual(seen, []);
});

test('forwarded: the upstream answer is returned verbatim with the client id; no answer → SERVFAIL', async (t) => {
  const up = fakeUpstream();
  const r = (await ask(query('c3'), up.forward))!;
  t.is(r.id, 4242);
  t.is(r.rcode, 'NXDOMAIN');
  t.deepEqual(up.seen, [{ name: 'c3', transport: 'udp' }]);
  const silent = fakeUpstream('silent');
  const s = (await ask(query('example.test'), silent.forward, 'tcp'))!;
  t.is(s.id, 4242);
  t.is(s.rcode, 'SERVFAIL');
  t.deepEqual(s.questions, [{ name: 'example.test', type: 'A', class: 'IN' }]);
  t.deepEqual(silent.seen, [{ name: 'example.test', transport: 'tcp' }]);
  const failing: Forward = () => Promise.reject(new Error('boom'));
  t.is((await ask(query('example.test'), failing))!.rcode, 'SERVFAIL');
});

test('EDNS queries get an OPT back; responses are dropped; garbage gets FORMERR when it has an id', async (t) => {
  const { forward } = fakeUpstream();
  const withOpt = query('c2', 'A', { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] });
  const r = (await ask(withOpt, forward))!;
  t.deepEqual(r.additionals!.map((a) => a.type), ['OPT']);
  const response = dnsPacket.encode({ id: 1, type: 'response', questions: [{ name: 'c2', type: 'A' }] });
  t.is(handleQuery(response, { asker: c1, transport: 'udp', forward, source: 'c1' }), null);
  const garbage = Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x3f]);
  const f = dnsPacket.decode(handleQuery(garbage, { asker: c1, transport: 'udp', forward, source: 'c1' }) as Buffer) as Message;
  t.is(f.id, 0x1234);
  t.is(f.rcode, 'FORMERR');
  t.is(handleQuery(Buffer.from([1, 2, 3]), { asker: c1, transport: 'udp', forward, source: 'c1' }), null);
});

test('a UDP answer too big for the client is cut and marked TC; over TCP it is whole', async (t) => {
  const net = network({ name: 'many', subnet: '10.7.0.0/16' }, 20);
  const members = Array.from({ length: 60 }, (_, i) => container(`m${i}`, 100 + i, [{ net, ip: `10.7.0.${i + 2}`, aliases: ['svc'] }]));
  const idx = buildIndex(state([net], members));
  const asker = idx.askers.get('m0');
  const { forward } = fakeUpstream();
  const udp = dnsPacket.decode(handleQuery(query('svc'), { asker, transport: 'udp', forward, source: 'c1' }) as Buffer);
  t.true(udp.flag_tc);
  t.true(udp.answers!.length > 0 && udp.answers!.length < 60);
  t.true(dnsPacket.encode(udp).length <= 512);
  const tcp = dnsPacket.decode(handleQuery(query('svc'), { asker, transport: 'tcp', forward, source: 'c1' }) as Buffer);
  t.false(tcp.flag_tc);
  t.is(tcp.answers!.length, 60);
});

test("forwarded queries go to the container's --dns servers when it has some, else to the host's", async (t) => {
  const lan = network({ name: 'lan', subnet: '10.60.0.0/24' }, 60);
  const own = { ...container('own', 60, [{ net: lan, ip: '10.60.0.2' }]), dns: ['10.78.0.2', '10.78.0.3'] };
  const plain = container('plain', 61, [{ net: lan, ip: '10.60.0.3' }]);
  const idx = buildIndex(state([lan], [own, plain]));
  const asked: (string[] | undefined)[] = [];
  const sources: string[] = [];
  const forward: Forward = async (raw, { servers, source }) => {
    asked.push(servers);
    sources.push(source);
    return dnsPacket.encode({ id: 1, type: 'response', flags: 3, questions: dnsPacket.decode(raw).questions });
  };
  for (const who of ['own', 'plain']) {
    const r = handleQuery(query('example.test'), { asker: idx.askers.get(who), transport: 'udp', forward, source: who });
    await (r instanceof Promise ? r : Promise.resolve(r));
  }
  t.deepEqual(asked, [['10.78.0.2', '10.78.0.3'], undefined]);
  t.deepEqual(sources, ['own', 'plain'], 'each query is counted against the namespace that asked');
});

test('a container only on --internal networks gets SERVFAIL for other names, and nothing is forwarded', async (t) => {
  const inner = { ...network({ name: 'inner', subnet: '10.61.0.0/24' }, 61), internal: true };
  const outer = network({ name: 'outer', subnet: '10.62.0.0/24' }, 62);
  const shut = container('shut', 70, [{ net: inner, ip: '10.61.0.2' }]);
  const both = container('both', 71, [{ net: inner, ip: '10.61.0.3' }, { net: outer, ip: '10.62.0.3' }]);
  const idx = buildIndex(state([inner, outer], [shut, both]));
  const up = fakeUpstream();
  const answer = async (who: string, name: string) => {
    const r = handleQuery(query(name), { asker: idx.askers.get(who), transport: 'udp', forward: up.forward, source: who });
    return dnsPacket.decode((r instanceof Promise ? await r : r)!) as Message;
  };
  t.is((await answer('shut', 'example.test')).rcode, 'SERVFAIL');
  t.deepEqual(up.seen, [], 'nothing left the internal network');
  // names on its network are still answered
  t.deepEqual((await answer('shut', 'both')).answers?.map((a) => (a as { data: unknown }).data), ['10.61.0.3']);
  // one network with a way out is enough to forward
  t.is((await answer('both', 'example.test')).rcode, 'NXDOMAIN');
  t.deepEqual(up.seen, [{ name: 'example.test', transport: 'udp' }]);
});
