// One DNS-over-TCP client of the resolver, served with bounded memory. A client may pipeline
// queries (RFC 7766) but must also read its answers: the resolver takes the next query only
// while fewer than `maxInFlight` are being answered and less than `maxUnsent` bytes of answers
// wait in Node's buffer; otherwise it stops reading, so the kernel's socket buffers fill and
// TCP flow control holds the client back. A client that never reads is dropped once it has
// been stalled for `idleMs` (the socket's inactivity timeout). Per connection the resolver then
// holds at most a read chunk of queries and Node's read-ahead (its high-water mark), maxUnsent
// bytes of answers plus the maxInFlight answers still to come.
import type net from 'node:net';
import { FrameReader, frame } from './codec.js';
import { handleQuery, type QueryContext } from './query.js';

export interface TcpClientLimits {
  maxUnsent: number;
  maxInFlight: number;
  /** A client silent (or not reading) this long is dropped: RFC 7766 suggests seconds. */
  idleMs: number;
}

export const TCP_CLIENT_LIMITS: TcpClientLimits = { maxUnsent: 64 * 1024, maxInFlight: 16, idleMs: 10_000 };
/** One read chunk (64 KiB) of whole queries plus a partial frame: more means a runaway. */
const MAX_BUFFERED_IN = 2 * (2 + 65535);

/** Serves `sock`, which must come from a server with allowHalfOpen (see adoptTcpServer). */
export function serveTcpClient(sock: net.Socket, ctx: QueryContext, limits: TcpClientLimits = TCP_CLIENT_LIMITS): void {
  const reader = new FrameReader();
  let inFlight = 0;
  /** The client half-closed: answer what it sent, then close our side. */
  let ended = false;
  const blocked = () => inFlight >= limits.maxInFlight || sock.writableLength >= limits.maxUnsent;
  const send = (answer: Buffer) => {
    if (!sock.destroyed) sock.write(frame(answer));
  };
  const pump = () => {
    while (!sock.destroyed && !blocked()) {
      const msg = reader.next();
      if (msg === null) break;
      const r = handleQuery(msg, ctx);
      if (r === null) continue;
      if (Buffer.isBuffer(r)) {
        send(r);
        continue;
      }
      inFlight++;
      void r.then((answer) => {
        inFlight--;
        if (answer) send(answer);
        pump();
      });
    }
    if (sock.destroyed) return;
    if (ended && inFlight === 0 && reader.buffered < 2) sock.end();
    else if (blocked()) sock.pause();
    else if (sock.isPaused()) sock.resume();
  };
  sock.setNoDelay(true);
  sock.setTimeout(limits.idleMs, () => sock.destroy());
  sock.on('error', () => {});
  sock.on('drain', pump);
  sock.on('end', () => {
    ended = true;
    pump();
  });
  sock.on('data', (chunk: Buffer) => {
    reader.append(chunk);
    if (reader.buffered > MAX_BUFFERED_IN) return void sock.destroy();
    pump();
  });
}
