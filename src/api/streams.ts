// A container's output on the wire: raw for a TTY container, else in Docker's multiplexed frames
// (one byte for the stream, three zero bytes, the length big-endian, the bytes). pont keeps one
// log per container with stdout and stderr together, so every frame says stdout
// (docs/differences.md, D-api-one-stream).
import type { Duplex, Writable } from 'node:stream';
import type { ContainerRecord } from '../core/model.js';
import { followLog as followFile, type FollowOptions as EngineFollow } from '../engine/container/log-follow.js';
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

export interface FollowOptions extends Omit<EngineFollow, 'frame'> {
  tty: boolean;
}

/** Writes the container's log to `out` (raw for a TTY container, else in frames), and with `follow` what follows. */
export const followLog = (c: ContainerRecord, o: FollowOptions, out: Writable): Promise<void> =>
  followFile(c, { ...o, frame: o.tty ? undefined : (data) => frame(1, data) }, out);
