// A container's output on the wire: raw for a TTY container, else in Docker's multiplexed frames
// (one byte for the stream, three zero bytes, the length big-endian, the bytes). pont keeps one
// log per container with stdout and stderr together, so every frame says stdout
// (docs/differences.md, D-api-one-stream).
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Duplex, Writable } from 'node:stream';
import type { ContainerRecord, State } from '../core/model.js';
import { logPath } from '../kernel/run-dir.js';
import type { EventLog } from './events.js';
import { DOCKER_HEADERS } from './request.js';

export const RAW = 'application/vnd.docker.raw-stream';

/** A stream's headers: API 1.41 says raw-stream for both the raw and the multiplexed kind. */
export const STREAM_HEADERS: Record<string, string> = { ...DOCKER_HEADERS, 'Content-Type': RAW };

/** The answer to a hijacked request: the connection is the stream from here on. */
export function openStream(socket: Duplex): void {
  socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${RAW}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` + Object.entries(DOCKER_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n');
}

/** One multiplexed frame: stream 0 stdin, 1 stdout, 2 stderr. */
export function frame(stream: 0 | 1 | 2, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(data.length, 4);
  return Buffer.concat([head, data]);
}

export interface FollowOptions {
  tty: boolean;
  events: EventLog;
  /** The last N lines only (logs ?tail=N). */
  tail?: number;
  /** Keep sending what the container writes until it exits (logs ?follow=1, attach). */
  follow?: boolean;
  /** Attach: only what is written from now on, until the container's next exit (or removal). */
  onlyNew?: boolean;
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
    if (data.length && !closed) out.write(o.tty ? data : frame(1, data));
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
    offset = fd === null ? 0 : fstatSync(fd).size;
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
