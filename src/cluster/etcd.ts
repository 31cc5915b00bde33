// A small client for etcd's v3 API through its JSON gateway (etcd >= 3.4: /v3/...), over plain
// HTTP with node:http: the cluster store of overlay networks (DESIGN.md, "Overlay on etcd").
// Not the etcd3 npm package: it loads gRPC (@grpc/grpc-js, proto-loader, protobufjs: 16 MB,
// 375 files) at every start of a command that needs the store: loading it took 123 ms and a
// first range 29 ms, against 9 ms + 9 ms for this client (medians, loopback). The JSON gateway
// is etcd's documented API and needs nothing but HTTP.
//   - keys and values are UTF-8 strings; revisions are numbers; lease ids stay decimal strings
//   - every call is bounded (timeoutMs per member tried) and fails with an EtcdError whose one
//     line names the store, e.g. "cannot reach the cluster store (etcd://10.99.0.2:2379): connect ECONNREFUSED"
//   - writes are sent once: when an answer is lost the error says so, and the caller looks again
import { type EtcdEndpoint } from './etcd-endpoints.js';
import { EtcdError } from './etcd-error.js';
import { EtcdTransport } from './etcd-http.js';
import { startWatch, type OnEvents, type OnWatchError } from './etcd-watch.js';
import {
  decodeInt,
  decodeLeaseId,
  decodeRange,
  decodeRevision,
  decodeTxn,
  encodeCompare,
  encodeOp,
  encodePut,
  encodeRange,
  GRPC,
  type Compare,
  type KeyValue,
  type TxnOp,
  type TxnResult,
} from './etcd-wire.js';

export { parseClusterStore, type EtcdEndpoint } from './etcd-endpoints.js';
export { EtcdError, WatchCompacted } from './etcd-error.js';
export type { Compare, CompareResult, KeyValue, TxnOp, TxnResult, WatchEvent } from './etcd-wire.js';

export const DEFAULT_TIMEOUT_MS = 3000;

export class Etcd {
  private readonly transport: EtcdTransport;
  private readonly watches = new Set<() => void>();

  constructor(endpoints: EtcdEndpoint[], opts: { timeoutMs?: number } = {}) {
    this.transport = new EtcdTransport(endpoints, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const r = await this.transport.post('/v3/kv/range', encodeRange(key), { what: `get ${key}`, retry: true });
    return decodeRange(r as object).kvs[0];
  }

  /** Every key under `prefix`, and the store's revision they were read at (to watch from + 1). */
  async range(prefix: string): Promise<{ kvs: KeyValue[]; revision: number }> {
    const r = await this.transport.post('/v3/kv/range', encodeRange(prefix, true), { what: `range ${prefix}`, retry: true });
    return decodeRange(r as object);
  }

  /** Resolves to the store's revision after the put. */
  async put(key: string, value: string, opts: { lease?: string } = {}): Promise<number> {
    const r = await this.transport.post('/v3/kv/put', encodePut(key, value, opts.lease), { what: `put ${key}` });
    return decodeRevision(r as object);
  }

  /** create-if-absent: true if created, false if the key existed (compare create_revision == 0) */
  async create(key: string, value: string, opts: { lease?: string } = {}): Promise<boolean> {
    const t = await this.txn({ compare: [{ key, target: 'createRevision', value: 0 }], success: [{ op: 'put', key, value, lease: opts.lease }] });
    return t.succeeded;
  }

  /** delete one key; returns number deleted */
  async delete(key: string): Promise<number> {
    const r = await this.transport.post('/v3/kv/deleterange', encodeRange(key), { what: `delete ${key}` });
    return decodeInt((r as { deleted?: string }).deleted, 'deleted');
  }

  /** delete only if value matches (compare value ==), for removing only what we own */
  async deleteIf(key: string, value: string): Promise<boolean> {
    const t = await this.txn({ compare: [{ key, target: 'value', value }], success: [{ op: 'delete', key }] });
    return t.succeeded;
  }

  /** All compares hold → the success ops, else the failure ops; atomically. */
  async txn(t: { compare: Compare[]; success: TxnOp[]; failure?: TxnOp[] }): Promise<TxnResult> {
    const body = { compare: t.compare.map(encodeCompare), success: t.success.map(encodeOp), failure: (t.failure ?? []).map(encodeOp) };
    const r = await this.transport.post('/v3/kv/txn', body, { what: `txn on ${[...new Set(t.compare.map((c) => c.key))].join(', ') || 'no key'}` });
    return decodeTxn(r as object);
  }

  /** etcd may round the TTL up to its minimum (1.5 × the election timeout: 2 s by default). */
  async leaseGrant(ttlSeconds: number): Promise<{ id: string; ttl: number }> {
    const r = (await this.transport.post('/v3/lease/grant', { TTL: String(ttlSeconds) }, { what: 'lease grant' })) as { ID?: unknown; TTL?: string; error?: string };
    if (r.error) throw new EtcdError(`the cluster store refused a lease: ${r.error}`);
    return { id: decodeLeaseId(r.ID), ttl: decodeInt(r.TTL, 'TTL') };
  }

  /**
   * Renews the lease once: one request and its answer (the gateway ends the keepalive stream
   * when the request body ends). Resolves to the TTL granted again, 0 when the lease is gone.
   */
  async leaseKeepAlive(id: string): Promise<number> {
    const r = (await this.transport.post('/v3/lease/keepalive', { ID: id }, { what: `keepalive of lease ${id}`, retry: true })) as { result?: { TTL?: string } };
    if (typeof r.result !== 'object' || r.result === null) throw new EtcdError(`the cluster store sent a malformed answer: keepalive ${JSON.stringify(r).slice(0, 200)}`);
    return Math.max(decodeInt(r.result.TTL, 'TTL'), 0);
  }

  /** Ends the lease and deletes its keys; a lease already gone is no error. */
  async leaseRevoke(id: string): Promise<void> {
    try {
      await this.transport.post('/v3/lease/revoke', { ID: id }, { what: `revoke of lease ${id}`, retry: true });
    } catch (e) {
      if (!(e instanceof EtcdError && e.code === GRPC.NOT_FOUND)) throw e;
    }
  }

  /** Seconds the lease has left; -1 when it is gone. */
  async leaseTimeToLive(id: string): Promise<number> {
    const r = (await this.transport.post('/v3/lease/timetolive', { ID: id }, { what: `time to live of lease ${id}`, retry: true })) as { TTL?: string };
    return decodeInt(r.TTL, 'TTL');
  }

  /**
   * Streams events for keys under prefix from revision `fromRevision` (inclusive), one call of
   * onEvents per batch with the store's revision when it was sent. onError, at most once, when
   * the stream breaks or the revisions were compacted (WatchCompacted: compacted = true, with
   * compactRevision); the caller then resyncs with range() and watches again. Returns a cancel
   * function; close() cancels every watch.
   */
  watch(prefix: string, fromRevision: number, onEvents: OnEvents, onError: OnWatchError): () => void {
    const cancel = startWatch(this.transport, prefix, fromRevision, onEvents, (e) => {
      this.watches.delete(cancel);
      onError(e);
    });
    this.watches.add(cancel);
    return () => {
      this.watches.delete(cancel);
      cancel();
    };
  }

  close(): void {
    for (const cancel of this.watches) cancel();
    this.watches.clear();
    this.transport.close();
  }
}
