// etcd's v3 JSON gateway, encoded and decoded: pure, no I/O. The gateway speaks the protobuf
// messages of etcd's rpc.proto as JSON with their proto field names: bytes (keys, values) are
// base64, int64 fields (revisions, lease ids, TTLs) are strings, and a field at its zero value
// is left out (no "kvs" when nothing matched, no "succeeded" when a txn's compare failed, no
// "type" on a PUT event).
import { EtcdError } from './etcd-error.js';

export interface KeyValue {
  key: string;
  value: string;
  modRevision: number;
  createRevision: number;
  version: number;
  /** The lease the key is bound to, as a decimal string (ids use all 64 bits); '0' when none. */
  lease: string;
}

export interface WatchEvent {
  type: 'put' | 'delete';
  /** For a delete: the key and the deletion's modRevision; value '' and the rest 0. */
  kv: KeyValue;
}

export type CompareResult = '==' | '!=' | '>' | '<';

/** One condition of a txn on one key. A missing key has version, createRevision and modRevision 0. */
export type Compare =
  | { key: string; target: 'value'; result?: CompareResult; value: string }
  | { key: string; target: 'version' | 'createRevision' | 'modRevision'; result?: CompareResult; value: number }
  | { key: string; target: 'lease'; result?: CompareResult; value: string };

/** One operation of a txn branch; `prefix` makes a range or delete cover every key under `key`. */
export type TxnOp =
  | { op: 'put'; key: string; value: string; lease?: string }
  | { op: 'delete'; key: string; prefix?: boolean }
  | { op: 'range'; key: string; prefix?: boolean };

export const toBase64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
export const fromBase64 = (b64: string | undefined) => (b64 ? Buffer.from(b64, 'base64').toString('utf8') : '');

/**
 * The end of the range of keys that start with `prefix` (exclusive): the prefix with its last
 * byte below 0xff incremented and what follows dropped, as etcd's clientv3.GetPrefixRangeEnd.
 * A prefix of 0xff bytes only (or none) has no such key: "\0" then means "to the end".
 */
export function prefixRangeEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i]++;
      return end;
    }
  }
  return Buffer.from([0]);
}

/** The key and range_end of a range over every key under `prefix` ('' means all keys). */
export function prefixRange(prefix: string): { key: string; range_end: string } {
  const bytes = Buffer.from(prefix, 'utf8');
  // etcd refuses an empty key: "\0" is the smallest key, so from it is from the start
  const key = bytes.length ? bytes : Buffer.from([0]);
  return { key: key.toString('base64'), range_end: prefixRangeEnd(bytes).toString('base64') };
}

const malformed = (what: string) => new EtcdError(`the cluster store sent a malformed answer: ${what}`);

/** An int64 as the gateway writes it (a decimal string, or absent for 0). */
export function decodeInt(v: unknown, what = 'number'): number {
  if (v === undefined) return 0;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isSafeInteger(n)) throw malformed(`${what} ${JSON.stringify(v)}`);
  return n;
}

interface WireKv {
  key?: string;
  value?: string;
  create_revision?: string;
  mod_revision?: string;
  version?: string;
  lease?: string;
}

export function decodeKv(w: WireKv): KeyValue {
  if (typeof w !== 'object' || w === null || typeof w.key !== 'string') throw malformed(`key-value ${JSON.stringify(w)}`);
  return {
    key: fromBase64(w.key),
    value: fromBase64(w.value),
    modRevision: decodeInt(w.mod_revision, 'mod_revision'),
    createRevision: decodeInt(w.create_revision, 'create_revision'),
    version: decodeInt(w.version, 'version'),
    lease: w.lease === undefined ? '0' : String(decodeLeaseId(w.lease)),
  };
}

/** A lease id: kept as a string, since ids use all 64 bits and a number holds 53. */
export function decodeLeaseId(v: unknown): string {
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw malformed(`lease id ${JSON.stringify(v)}`);
  return v;
}

interface WireHeader {
  header?: { revision?: string };
}

export const decodeRevision = (r: WireHeader) => decodeInt(r.header?.revision, 'revision');

export function decodeRange(r: WireHeader & { kvs?: WireKv[] }): { kvs: KeyValue[]; revision: number } {
  return { kvs: (r.kvs ?? []).map(decodeKv), revision: decodeRevision(r) };
}

const TARGET = { value: 'VALUE', version: 'VERSION', createRevision: 'CREATE', modRevision: 'MOD', lease: 'LEASE' } as const;
const FIELD = { value: 'value', version: 'version', createRevision: 'create_revision', modRevision: 'mod_revision', lease: 'lease' } as const;
const RESULT = { '==': 'EQUAL', '!=': 'NOT_EQUAL', '>': 'GREATER', '<': 'LESS' } as const;

export function encodeCompare(c: Compare): Record<string, string> {
  const value = c.target === 'value' ? toBase64(c.value) : String(c.value);
  return { key: toBase64(c.key), target: TARGET[c.target], result: RESULT[c.result ?? '=='], [FIELD[c.target]]: value };
}

/** The body of a put request (also a txn's request_put). */
export const encodePut = (key: string, value: string, lease?: string) => ({ key: toBase64(key), value: toBase64(value), ...(lease && lease !== '0' ? { lease } : {}) });

const keyRange = (key: string, prefix?: boolean) => (prefix ? prefixRange(key) : { key: toBase64(key) });

export function encodeOp(op: TxnOp): Record<string, unknown> {
  switch (op.op) {
    case 'put':
      return { request_put: encodePut(op.key, op.value, op.lease) };
    case 'delete':
      return { request_delete_range: keyRange(op.key, op.prefix) };
    case 'range':
      return { request_range: keyRange(op.key, op.prefix) };
  }
}

export const encodeRange = keyRange;

export interface TxnResult {
  succeeded: boolean;
  revision: number;
  /** What each range op of the branch taken found, in order. */
  ranges: KeyValue[][];
}

export function decodeTxn(r: WireHeader & { succeeded?: boolean; responses?: { response_range?: { kvs?: WireKv[] } }[] }): TxnResult {
  const ranges = (r.responses ?? []).filter((x) => x.response_range).map((x) => (x.response_range!.kvs ?? []).map(decodeKv));
  return { succeeded: r.succeeded === true, revision: decodeRevision(r), ranges };
}

/** An error the gateway answered instead of a result: {error, message, code}, or a stream's {error: {message, grpc_code}}. */
export function decodeServerError(body: unknown): { message: string; code?: number } | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const e = (body as { error: unknown; message?: unknown; code?: unknown }).error;
  if (typeof e === 'object' && e !== null) {
    const s = e as { message?: unknown; grpc_code?: unknown };
    return { message: String(s.message ?? JSON.stringify(e)), code: typeof s.grpc_code === 'number' ? s.grpc_code : undefined };
  }
  const b = body as { message?: unknown; code?: unknown };
  return { message: String(b.message ?? e), code: typeof b.code === 'number' ? b.code : undefined };
}

/** gRPC status codes etcd answers with that callers tell apart. */
export const GRPC = { NOT_FOUND: 5, OUT_OF_RANGE: 11, UNAVAILABLE: 14 } as const;

export type WatchMessage =
  | { kind: 'created' }
  | { kind: 'events'; events: WatchEvent[]; revision: number }
  | { kind: 'compacted'; compactRevision: number }
  | { kind: 'canceled'; reason: string }
  | { kind: 'progress'; revision: number };

/** One line of the watch stream: {"result": WatchResponse} or {"error": ...}. */
export function decodeWatchLine(line: string): WatchMessage {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    throw malformed(`watch line ${JSON.stringify(line.slice(0, 200))}`);
  }
  const err = decodeServerError(msg);
  if (err) throw new EtcdError(`the cluster store ended the watch: ${err.message}`, { code: err.code });
  const r = (msg as { result?: WireHeader & { created?: boolean; canceled?: boolean; compact_revision?: string; cancel_reason?: string; events?: { type?: string; kv?: WireKv }[] } }).result;
  if (typeof r !== 'object' || r === null) throw malformed(`watch line ${JSON.stringify(line.slice(0, 200))}`);
  if (r.created) return { kind: 'created' };
  if (r.canceled) {
    const compactRevision = decodeInt(r.compact_revision, 'compact_revision');
    return compactRevision > 0 ? { kind: 'compacted', compactRevision } : { kind: 'canceled', reason: r.cancel_reason || 'canceled by the server' };
  }
  if (!r.events?.length) return { kind: 'progress', revision: decodeRevision(r) };
  const events = r.events.map((e): WatchEvent => ({ type: e.type === 'DELETE' ? 'delete' : 'put', kv: decodeKv(e.kv ?? {}) }));
  return { kind: 'events', events, revision: decodeRevision(r) };
}
