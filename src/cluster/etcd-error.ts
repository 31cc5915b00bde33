// Errors from the cluster store: one line a user can act on, naming the endpoints tried.
import { PontError } from '../core/errors.js';

export class EtcdError extends PontError {
  /** etcd's gRPC status code when the server refused the request (5 not found, 11 out of range...). */
  readonly code?: number;
  constructor(message: string, opts: { code?: number; cause?: unknown } = {}) {
    super(message, { category: 'cluster', cause: opts.cause });
    this.name = 'EtcdError';
    this.code = opts.code;
  }
}

/**
 * A watch asked for revisions etcd has compacted away: the caller resyncs with a range read
 * (whose revision is at least compactRevision) and watches again from there.
 */
export class WatchCompacted extends EtcdError {
  readonly compacted = true;
  constructor(
    readonly prefix: string,
    readonly compactRevision: number,
  ) {
    super(`the cluster store has compacted the history of ${prefix} up to revision ${compactRevision}`);
    this.name = 'WatchCompacted';
  }
}
