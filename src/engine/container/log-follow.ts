// A container's log file, read as `logs` reads it (the CLI's and the Docker API's): the whole of
// it or its last lines, then with `follow` what the container writes until it stops.
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { ContainerRecord, State } from '../../core/model.js';
import { logPath } from '../../kernel/run-dir.js';

/** The store as a follower sees it: now, and after each change. */
export interface StoreWatch {
  current(): State;
  onChange(l: (state: State) => void): () => void;
}

export interface FollowOptions {
  /** How each piece read is written (the API's frames); as read when absent. */
  frame?: (data: Buffer) => Buffer;
  events: StoreWatch;
  /** The last N lines only (logs ?tail=N). */
  tail?: number;
  /** Keep sending what the container writes until it exits (logs ?follow=1, attach). */
  follow?: boolean;
  /** Attach: only what is written from now on, until the container's next exit (or removal). */
  onlyNew?: boolean;
  /** With onlyNew: from this offset rather than from the log's end now (its size before a start). */
  from?: number;
}

/** Writes the container's log to `out`, and with `follow` what follows, until it exits. */
export async function followLog(c: ContainerRecord, o: FollowOptions, out: Writable): Promise<void> {
  const path = logPath(c.id);
  let fd: number | null = null;
  let offset = 0;
  let closed = false;
  out.once('close', () => {
    closed = true;
  });
  const send = (data: Buffer) => {
    if (data.length && !closed) out.write(o.frame ? o.frame(data) : data);
  };
  const open = () => {
    if (fd !== null || !existsSync(path)) return;
    try {
      fd = openSync(path, 'r');
    } catch {
      fd = null;
    }
  };
  const drain = () => {
    if (fd === null) return;
    const size = fstatSync(fd).size;
    while (offset < size) {
      const buf = Buffer.alloc(Math.min(size - offset, 1 << 16));
      const n = readSync(fd, buf, 0, buf.length, offset);
      if (n <= 0) break;
      offset += n;
      send(buf.subarray(0, n));
    }
  };
  open();
  if (o.onlyNew) {
    offset = o.from ?? (fd === null ? 0 : fstatSync(fd).size);
  } else if (fd !== null) {
    const size = fstatSync(fd).size;
    // the whole log, or from where its last `tail` lines start (read from the end, in blocks)
    offset = o.tail === undefined ? 0 : tailStart(fd, size, o.tail);
    drain();
  }
  const finishedAt = c.finishedAt;
  const ended = (state: State) => {
    const now = state.containers.find((x) => x.id === c.id);
    if (!now) return true;
    return o.onlyNew ? !now.running && now.finishedAt !== finishedAt : !now.running;
  };
  // logs of a container that is not running: what it wrote, and no more
  if (o.follow && (o.onlyNew || c.running)) {
    await new Promise<void>((resolve) => {
      let stop = false;
      const off = o.events.onChange((state) => {
        if (ended(state)) stop = true;
      });
      const tick = () => {
        open();
        drain();
        if (stop || closed) {
          off();
          resolve();
          return;
        }
        setTimeout(tick, 20);
      };
      if (ended(o.events.current()) && !o.onlyNew) stop = true;
      tick();
    });
  }
  open();
  drain();
  if (fd !== null) closeSync(fd);
}

/**
 * A `tail` as dockerd reads it (strconv.Atoi; observed of Docker 20.10): a count of lines, or
 * undefined for all of them, which is also what a negative count, a value Atoi refuses ("x",
 * "0x1", " 1") or one beyond int64 gives. "all" is refused by Atoi too.
 */
export function parseTail(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^[+-]?\d+$/.test(value)) return undefined;
  const n = BigInt(value);
  return n < 0n || n > (1n << 63n) - 1n ? undefined : Number(n);
}

const BLOCK = 64 << 10;

/** Where the last `n` lines of the file's first `size` bytes begin. */
export function tailStart(fd: number, size: number, n: number): number {
  if (n === 0) return size;
  let end = size;
  let found = 0;
  // a final newline ends the last line, it does not start one
  let skipFinal = true;
  while (end > 0) {
    const start = Math.max(0, end - BLOCK);
    const buf = Buffer.alloc(end - start);
    readSync(fd, buf, 0, buf.length, start);
    for (let i = buf.length - 1; i >= 0; i--) {
      if (buf[i] !== 10) {
        skipFinal = false;
        continue;
      }
      if (skipFinal) {
        skipFinal = false;
        continue;
      }
      if (++found === n) return start + i + 1;
    }
    end = start;
  }
  return 0;
}
