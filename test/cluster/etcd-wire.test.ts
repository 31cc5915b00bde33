// etcd's JSON gateway encoding: base64 keys and values, prefix ranges, int64 strings, and the
// answers as etcd 3.4.23 writes them (copied from a real server's replies).
import test from 'ava';
import { EtcdError } from '../../src/cluster/etcd-error.js';
import {
  decodeInt,
  decodeKv,
  decodeRange,
  decodeServerError,
  decodeTxn,
  decodeWatchLine,
  encodeCompare,
  encodeOp,
  encodePut,
  fromBase64,
  prefixRange,
  prefixRangeEnd,
  toBase64,
} from '../../src/cluster/etcd-wire.js';

const HEADER = '"header":{"cluster_id":"324952591200643719","member_id":"3319814642761637952","revision":"5","raft_term":"2"}';

test('keys and values travel as base64 of their UTF-8 bytes', (t) => {
  t.is(toBase64('/a/1'), 'L2EvMQ==');
  t.is(toBase64(''), '');
  t.is(toBase64('é✓'), Buffer.from([0xc3, 0xa9, 0xe2, 0x9c, 0x93]).toString('base64'));
  t.is(fromBase64('L2EvMQ=='), '/a/1');
  t.is(fromBase64(undefined), '', 'an empty value is left out of the JSON');
  t.is(fromBase64(toBase64('/pont/v1/endpoints/n1/é✓')), '/pont/v1/endpoints/n1/é✓');
});

test('prefixRangeEnd increments the last byte below 0xff and drops what follows', (t) => {
  const end = (bytes: number[]) => [...prefixRangeEnd(Buffer.from(bytes))];
  t.deepEqual(end([0x61]), [0x62]);
  t.deepEqual(end([0x2f, 0x61, 0x2f]), [0x2f, 0x61, 0x30], '"/a/" ends before "/a0"');
  t.deepEqual(end([0x61, 0xff]), [0x62]);
  t.deepEqual(end([0x61, 0xfe, 0xff, 0xff]), [0x61, 0xff]);
  t.deepEqual(end([0xff, 0xff]), [0], 'no key follows every 0xff...: "\\0" means to the end');
  t.deepEqual(end([]), [0]);
  const input = Buffer.from([0x61, 0xff]);
  prefixRangeEnd(input);
  t.deepEqual([...input], [0x61, 0xff], 'the prefix itself is left as it was');
});

test('prefixRange covers the keys under a prefix; the empty prefix covers all keys', (t) => {
  t.deepEqual(prefixRange('/a/'), { key: toBase64('/a/'), range_end: toBase64('/a0') });
  t.deepEqual(prefixRange(''), { key: 'AA==', range_end: 'AA==' });
});

test('int64 fields come as decimal strings, absent when 0', (t) => {
  t.is(decodeInt('42'), 42);
  t.is(decodeInt('-1'), -1);
  t.is(decodeInt(undefined), 0);
  t.is(decodeInt(7), 7);
  t.throws(() => decodeInt('9223372036854775807', 'revision'), { instanceOf: EtcdError, message: /malformed answer: revision "9223372036854775807"/ });
  t.throws(() => decodeInt('1e3'), { instanceOf: EtcdError });
});

test('decodeRange reads kvs, revision, lease ids as strings, and no "kvs" as none', (t) => {
  const found = JSON.parse(`{${HEADER},"kvs":[{"key":"L2EvMQ==","create_revision":"2","mod_revision":"4","version":"3","value":"djE=","lease":"2324035725905160457"},{"key":"YQ==","create_revision":"5","mod_revision":"5","version":"1"}],"count":"2"}`);
  t.deepEqual(decodeRange(found), {
    revision: 5,
    kvs: [
      { key: '/a/1', value: 'v1', createRevision: 2, modRevision: 4, version: 3, lease: '2324035725905160457' },
      { key: 'a', value: '', createRevision: 5, modRevision: 5, version: 1, lease: '0' },
    ],
  });
  t.deepEqual(decodeRange(JSON.parse(`{${HEADER}}`)), { kvs: [], revision: 5 });
  t.throws(() => decodeKv({ value: 'eA==' }), { instanceOf: EtcdError });
  t.throws(() => decodeKv({ key: 'YQ==', lease: '-3' }), { instanceOf: EtcdError });
});

test('compares and ops are written with etcd names; a compare is == unless told', (t) => {
  t.deepEqual(encodeCompare({ key: '/k', target: 'createRevision', value: 0 }), { key: toBase64('/k'), target: 'CREATE', result: 'EQUAL', create_revision: '0' });
  t.deepEqual(encodeCompare({ key: '/k', target: 'value', value: 'mine' }), { key: toBase64('/k'), target: 'VALUE', result: 'EQUAL', value: toBase64('mine') });
  t.deepEqual(encodeCompare({ key: '/k', target: 'modRevision', result: '<', value: 9 }), { key: toBase64('/k'), target: 'MOD', result: 'LESS', mod_revision: '9' });
  t.deepEqual(encodeCompare({ key: '/k', target: 'version', result: '>', value: 1 }), { key: toBase64('/k'), target: 'VERSION', result: 'GREATER', version: '1' });
  t.deepEqual(encodeCompare({ key: '/k', target: 'lease', result: '!=', value: '77' }), { key: toBase64('/k'), target: 'LEASE', result: 'NOT_EQUAL', lease: '77' });
  t.deepEqual(encodeOp({ op: 'put', key: '/k', value: 'v', lease: '77' }), { request_put: { key: toBase64('/k'), value: toBase64('v'), lease: '77' } });
  t.deepEqual(encodeOp({ op: 'delete', key: '/k' }), { request_delete_range: { key: toBase64('/k') } });
  t.deepEqual(encodeOp({ op: 'range', key: '/k/', prefix: true }), { request_range: { key: toBase64('/k/'), range_end: toBase64('/k0') } });
  t.deepEqual(encodePut('/k', 'v', '0'), { key: toBase64('/k'), value: toBase64('v') }, "lease '0' is no lease");
});

test('decodeTxn: succeeded is absent when the compare failed; range responses are kept', (t) => {
  const won = JSON.parse(`{${HEADER},"succeeded":true,"responses":[{"response_put":{"header":{"revision":"3"}}}]}`);
  t.deepEqual(decodeTxn(won), { succeeded: true, revision: 5, ranges: [] });
  const lost = JSON.parse(`{${HEADER},"responses":[{"response_range":{"header":{"revision":"3"},"kvs":[{"key":"L2EvMg==","create_revision":"3","mod_revision":"3","version":"1","value":"eA=="}],"count":"1"}}]}`);
  t.deepEqual(decodeTxn(lost), { succeeded: false, revision: 5, ranges: [[{ key: '/a/2', value: 'x', createRevision: 3, modRevision: 3, version: 1, lease: '0' }]] });
});

test('decodeServerError reads both error shapes of the gateway, and nothing from a result', (t) => {
  t.deepEqual(decodeServerError({ error: 'etcdserver: requested lease not found', message: 'etcdserver: requested lease not found', code: 5 }), { message: 'etcdserver: requested lease not found', code: 5 });
  t.deepEqual(decodeServerError({ error: { grpc_code: 14, http_code: 503, message: 'etcdserver: no leader', http_status: 'Service Unavailable' } }), { message: 'etcdserver: no leader', code: 14 });
  t.is(decodeServerError(JSON.parse(`{${HEADER}}`)), undefined);
  t.is(decodeServerError(undefined), undefined);
});

test('decodeWatchLine: created, events in order with PUT as the absent type, compaction, cancel', (t) => {
  t.deepEqual(decodeWatchLine(`{"result":{${HEADER},"created":true}}`), { kind: 'created' });
  const events = decodeWatchLine(
    `{"result":{${HEADER},"events":[{"kv":{"key":"L2EvMg==","create_revision":"3","mod_revision":"3","version":"1","value":"eA=="}},{"type":"DELETE","kv":{"key":"L2EvMg==","mod_revision":"4"}}]}}`,
  );
  t.deepEqual(events, {
    kind: 'events',
    revision: 5,
    events: [
      { type: 'put', kv: { key: '/a/2', value: 'x', createRevision: 3, modRevision: 3, version: 1, lease: '0' } },
      { type: 'delete', kv: { key: '/a/2', value: '', createRevision: 0, modRevision: 4, version: 0, lease: '0' } },
    ],
  });
  t.deepEqual(decodeWatchLine('{"result":{"header":{"cluster_id":"1","member_id":"2","raft_term":"2"},"canceled":true,"compact_revision":"5"}}'), { kind: 'compacted', compactRevision: 5 });
  t.deepEqual(decodeWatchLine(`{"result":{${HEADER},"canceled":true,"cancel_reason":"mvcc: required revision is a future revision"}}`), {
    kind: 'canceled',
    reason: 'mvcc: required revision is a future revision',
  });
  t.deepEqual(decodeWatchLine(`{"result":{${HEADER}}}`), { kind: 'progress', revision: 5 });
  t.throws(() => decodeWatchLine('{"error":{"grpc_code":14,"message":"etcdserver: no leader"}}'), { instanceOf: EtcdError, message: 'the cluster store ended the watch: etcdserver: no leader' });
  t.throws(() => decodeWatchLine('{"result":'), { instanceOf: EtcdError, message: /malformed answer: watch line/ });
});
