// What `logs -f`, `start -a` and `wait` share: the store read again while a container runs, and
// pont's stdout as a stream that ends when its reader goes away (`pont logs -f c | grep -m1 x`).
import type { Writable } from 'node:stream';
import type { State } from '../../core/model.js';
import type { StoreWatch } from '../../engine/container/log-follow.js';
import { writeOutOrGone } from '../../kernel/stdio.js';

/** How often the store is read again while a container runs. */
export const POLL_MS = 100;

/**
 * The store as a follower of container `id` sees it, read anew at each call, that container
 * settled (engine/container/liveness.ts: stopped, 255, once its process and monitor are gone).
 */
export async function stateOf(id: string): Promise<() => State> {
  const [{ Store }, { settledState }] = await Promise.all([import('../../store/store.js'), import('../../engine/container/liveness.js')]);
  const store = new Store();
  return () => settledState(store.read(), id, () => store.read());
}

/** A StoreWatch of `read` for followLog: polled while someone listens. */
export function polled(read: () => State): StoreWatch {
  let now = read();
  return {
    current: () => now,
    onChange(l) {
      const timer = setInterval(() => l((now = read())), POLL_MS);
      return () => clearInterval(timer);
    },
  };
}

/** pont's stdout as a stream; closed once its reader has gone, which ends a follow. */
export async function stdoutStream(): Promise<Writable> {
  const { Writable } = await import('node:stream');
  const out: Writable = new Writable({
    write(chunk: Buffer, _enc, done) {
      const written = writeOutOrGone(chunk);
      done();
      if (!written) out.destroy();
    },
  });
  return out;
}
