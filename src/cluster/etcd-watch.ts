// A watch on every key under a prefix: one streaming POST /v3/watch, whose answer is one JSON
// line per WatchResponse. The stream is not resumed here: when it breaks, or etcd has compacted
// the revisions asked for, the caller hears it once through onError, resyncs with a range read
// and watches again from that read's revision + 1 (the store is the truth, DESIGN.md).
import { endpointsText } from './etcd-endpoints.js';
import { EtcdError, WatchCompacted } from './etcd-error.js';
import { connectionFailure, type EtcdTransport } from './etcd-http.js';
import { decodeWatchLine, prefixRange, type WatchEvent } from './etcd-wire.js';

export type OnEvents = (events: WatchEvent[], revision: number) => void;
export type OnWatchError = (e: EtcdError & { compacted?: boolean }) => void;

/** Starts the watch; returns its cancel function, after which neither callback is called. */
export function startWatch(transport: EtcdTransport, prefix: string, fromRevision: number, onEvents: OnEvents, onError: OnWatchError): () => void {
  let over = false;
  let stop = () => {};
  const fail = (e: EtcdError) => {
    if (over) return;
    over = true;
    stop();
    onError(e);
  };
  const request = { create_request: { ...prefixRange(prefix), start_revision: String(fromRevision) } };
  // hasleader: a member cut off from the others cancels the watch ("no leader") instead of
  // keeping a stream open that no longer hears the cluster's writes (clientv3.WithRequireLeader)
  transport.openStream('/v3/watch', request, { 'Grpc-Metadata-hasleader': 'true' }).then(
    ({ req, res, endpoint }) => {
      stop = () => req.destroy();
      if (over) return stop();
      // a peer that vanishes without closing the connection is noticed by TCP keepalive
      res.socket.setKeepAlive(true, 10_000);
      res.setEncoding('utf8');
      let pending = '';
      res.on('data', (chunk: string) => {
        pending += chunk;
        for (let nl = pending.indexOf('\n'); nl >= 0 && !over; nl = pending.indexOf('\n')) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line) handle(line);
        }
      });
      const broke = (why: string) => fail(new EtcdError(`the watch on ${prefix} broke (${endpointsText([endpoint])}): ${why}`));
      res.on('error', (e) => broke(connectionFailure(e)));
      res.on('close', () => broke('the connection closed'));
    },
    (e: EtcdError) => fail(e),
  );

  function handle(line: string): void {
    let m;
    try {
      m = decodeWatchLine(line);
    } catch (e) {
      return fail(e as EtcdError);
    }
    if (m.kind === 'events') onEvents(m.events, m.revision);
    else if (m.kind === 'compacted') fail(new WatchCompacted(prefix, m.compactRevision));
    else if (m.kind === 'canceled') fail(new EtcdError(`the cluster store canceled the watch on ${prefix}: ${m.reason}`));
  }

  return () => {
    over = true;
    stop();
  };
}
