// Byte-level helpers: TCP framing and error replies built from a query's bytes.
import test from 'ava';
import dnsPacket from 'dns-packet';
import { errorReply, FrameReader, frame, RCODE, sameQuestions } from '../../src/dns/codec.js';

test('FrameReader reassembles messages split and joined across chunks', (t) => {
  const a = Buffer.from('hello');
  const b = Buffer.from('dns over tcp');
  const stream = Buffer.concat([frame(a), frame(b)]);
  const r = new FrameReader();
  t.deepEqual(r.push(stream.subarray(0, 1)), []);
  t.deepEqual(r.push(stream.subarray(1, 9)).map(String), ['hello']);
  t.is(r.buffered, 2);
  t.deepEqual(r.push(stream.subarray(9)).map(String), ['dns over tcp']);
  t.is(r.buffered, 0);
  t.deepEqual(new FrameReader().push(stream).map(String), ['hello', 'dns over tcp']);
});

test('errorReply keeps id, RD and the question, sets QR/RA and the rcode', (t) => {
  const q = dnsPacket.encode({ id: 999, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: 'x.test', type: 'MX' }] });
  const r = dnsPacket.decode(errorReply(q, RCODE.SERVFAIL)!) as dnsPacket.DecodedPacket & { rcode: string };
  t.is(r.id, 999);
  t.is(r.rcode, 'SERVFAIL');
  t.true(r.flag_qr && r.flag_rd && r.flag_ra);
  t.deepEqual(r.questions, [{ name: 'x.test', type: 'MX', class: 'IN' }]);
  t.deepEqual(r.answers, []);
  const resp = dnsPacket.encode({ id: 1, type: 'response', questions: [] });
  t.is(errorReply(resp, RCODE.SERVFAIL), null, 'never answer an answer');
});

test('sameQuestions: name case-insensitively, type and class exactly, same count', (t) => {
  const q = (name: string, type: dnsPacket.RecordType = 'A', klass: 'IN' | 'CH' = 'IN', id = 1) => dnsPacket.encode({ id, type: 'query', questions: [{ name, type, class: klass }] });
  t.true(sameQuestions(q('example.test'), q('ExAmPlE.TEST', 'A', 'IN', 2)), '0x20 mixed case, any id');
  t.false(sameQuestions(q('example.test'), q('example.tesu')));
  t.false(sameQuestions(q('example.test'), q('example.test', 'AAAA')));
  t.false(sameQuestions(q('example.test'), q('example.test', 'A', 'CH')));
  // type 0x41 (HTTPS) and 0x61 differ only by the bit case folding flips: never folded
  const withType = (type: number) => {
    const b = q('a.test');
    b.writeUInt16BE(type, b.length - 4);
    return b;
  };
  t.false(sameQuestions(withType(0x41), withType(0x61)));
  t.true(sameQuestions(withType(0x41), withType(0x41)));
  t.false(sameQuestions(q('example.test'), dnsPacket.encode({ id: 1, type: 'response', questions: [] })));
  t.false(sameQuestions(q('example.test'), Buffer.alloc(5)));
});
