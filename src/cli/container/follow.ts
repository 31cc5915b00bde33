// What `logs -f`, `start -a` and `wait` share: the store read again while a container runs, and
// pont's stdout as a stream that ends when its reader goes away (`pont logs -f c | grep -m1 x`).
import type { Writable } from 'node:stream';
import type { ContainerRecord, State } from '../../core/model.js';
import type { StoreWatch } from '../../engine/container/log-follow.js';
import { writeOutOrGone } from '../../kernel/stdio.js';

/** How often the store is read again while a container runs. */
export const POLL_MS = 100;

/**
 * The store as a follower of container `id` sees it, read anew at each call. A record of it that
 * says running while its process and its monitor are both gone (a killed monitor, a reboot not
 * yet recorded) reads as stopped with code 255, as the next mutating command will record it:
 * nothing else would ever end the wait. Only that record is looked at: the others stay unparsed.
 */
export async function stateOf(id: string): Promise<() => State> {
  const [{ Store }, { isAlive, monitorAlive }] = await Promise.all([import('../../store/store.js'), import('../../kernel/process.js')]);
  const store = new Store();
  const settled = (c: ContainerRecord): ContainerRecord => (c.running && !c.external && !isAlive(c) && !monitorAlive(c) ? { ...c, running: false, exitCode: 255 } : c);
  return () => {
    const s = store.read();
    return { ...s, containers: s.containers.map((c) => (c.id === id ? settled(c) : c)) };
  };
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
