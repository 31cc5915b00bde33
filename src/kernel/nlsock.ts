// A small rtnetlink client: framing, requests with ACKs, dumps, errors. It rides on the
// `netlink` package's native socket only, loaded straight from its prebuilt binary: the
// package's full message layer costs 200 ms and more of start-up, longer than a whole pont
// command, and even its thin socket wrapper (netlink/dist/raw.js) finds that binary through
// node-gyp-build, which walks the package's directories first (~5 ms of every command).
import { builtin, cjsRequire } from './cjs-require.js';
import { dirname } from 'node:path';
import { constants } from 'node:os';
import { errnoName } from './errno.js';

/** The binding's socket (the `netlink` package's src/): what raw.js wraps in an EventEmitter. */
interface NativeSocket {
  bind(port: number, groups: number): void;
  send(port: number, groups: number, msg: Buffer[], callback: (error?: Error) => void): void;
  close(): void;
  ref(): void;
  unref(): void;
}
interface Binding {
  NativeNetlink: new (protocol: number, msgBuffer: number, onMessage: (msg: Buffer, rinfo: { truncated?: boolean }) => void, onError: (e: Error) => void) => NativeSocket;
}

let binding: Binding | null = null;
function nativeBinding(): Binding {
  if (binding) return binding;
  const require = cjsRequire(import.meta.url);
  try {
    binding = require(`netlink/prebuilds/${process.platform}-${process.arch}/node.napi.node`) as Binding;
  } catch {
    // no prebuilt binary for this platform: found (or built) as the package itself does
    const root = dirname(require.resolve('netlink/package.json'));
    const { createRequire } = builtin<typeof import('node:module')>('node:module');
    binding = (createRequire(`${root}/package.json`)('node-gyp-build') as (dir: string) => Binding)(root);
  }
  return binding;
}

/**
 * A socket bound to a port of its own: the pid's low bits under a counter, as the package
 * does (the lowest ports left to libnl), tried again while one is taken.
 */
let portCounter = 32;
function openNative(protocol: number, onMessage: (msg: Buffer) => void, onError: (e: Error) => void, groups = 0): NativeSocket {
  // message buffer 0: each message is peeked at for its size, never truncated
  const sock = new (nativeBinding().NativeNetlink)(protocol, 0, (msg, rinfo) => (rinfo.truncated ? undefined : onMessage(msg)), onError);
  try {
    for (let tries = 0; ; tries++) {
      const port = (portCounter << 22) | (process.pid & 0x3fffff);
      portCounter = (portCounter + 1) & 0x3ff;
      try {
        sock.bind(port, groups);
        return sock;
      } catch (e) {
        if ((e as NodeJS.ErrnoException & { errno?: number }).errno !== constants.errno.EADDRINUSE || tries >= 100) throw e;
      }
    }
  } catch (e) {
    sock.close();
    throw e;
  }
}

export const NLM_F_REQUEST = 0x1;
export const NLM_F_MULTI = 0x2;
export const NLM_F_ACK = 0x4;
export const NLM_F_DUMP = 0x300;
export const NLM_F_CREATE = 0x400;
export const NLM_F_EXCL = 0x200;
export const NLM_F_REPLACE = 0x100;
export const NLM_F_APPEND = 0x800;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NETLINK_ROUTE = 0;

export interface NlMessage {
  type: number;
  flags: number;
  seq: number;
  /** The payload after the 16-byte header. */
  data: Buffer;
}


export class NetlinkError extends Error {
  constructor(readonly errno: number) {
    super(errnoName(errno));
  }
}

export function attr(type: number, payload: Buffer): Buffer {
  const len = 4 + payload.length;
  const b = Buffer.alloc((len + 3) & ~3);
  b.writeUInt16LE(len, 0);
  b.writeUInt16LE(type, 2);
  payload.copy(b, 4);
  return b;
}

/** Attributes of a payload region, by type (the last one wins; NLA_F_* bits cleared). */
export function parseAttrs(buf: Buffer, offset = 0): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  for (let off = offset; off + 4 <= buf.length; ) {
    const len = buf.readUInt16LE(off);
    if (len < 4 || off + len > buf.length) break;
    out.set(buf.readUInt16LE(off + 2) & 0x3fff, buf.subarray(off + 4, off + len));
    off += (len + 3) & ~3;
  }
  return out;
}

function parseMessages(buf: Buffer): NlMessage[] {
  const out: NlMessage[] = [];
  for (let off = 0; off + 16 <= buf.length; ) {
    const len = buf.readUInt32LE(off);
    if (len < 16 || off + len > buf.length) break;
    out.push({ type: buf.readUInt16LE(off + 4), flags: buf.readUInt16LE(off + 6), seq: buf.readUInt32LE(off + 8), data: buf.subarray(off + 16, off + len) });
    off += (len + 3) & ~3;
  }
  return out;
}

interface Pending {
  replies: NlMessage[];
  dump: boolean;
  timer: NodeJS.Timeout;
  resolve: (m: NlMessage[]) => void;
  reject: (e: Error) => void;
}

/**
 * A request the kernel never answers must not hold the store lock for ever: after this long it
 * fails (the transaction then undoes what it applied). Kernel replies take milliseconds; a busy
 * 2-core machine deleting a bridge with many ports takes well under a second.
 */
export const NETLINK_TIMEOUT_MS = 10_000;

export class NetlinkTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer from the kernel within ${ms / 1000} s`);
  }
}

/**
 * A socket that listens to multicast groups (`groups`, a bitmask of RTMGRP_*) of NETLINK_ROUTE
 * in the calling thread's namespace: each message to `onMessage`, type and payload.
 */
export class NetlinkWatch {
  private readonly sock: NativeSocket;
  onMessage: (type: number, data: Buffer) => void = () => {};

  constructor(groups: number) {
    this.sock = openNative(NETLINK_ROUTE, (msg) => {
      for (const m of parseMessages(msg)) this.onMessage(m.type, m.data);
    }, () => {}, groups);
  }

  close(): void {
    this.sock.close();
  }
}

export class NlSocket {
  private readonly sock: NativeSocket;
  private seq = 1;
  private pending = new Map<number, Pending>();

  /** Opens a netlink socket (NETLINK_ROUTE unless told) in the calling thread's current network namespace. */
  constructor(protocol = NETLINK_ROUTE) {
    this.sock = openNative(
      protocol,
      (msg) => this.receive(msg),
      // a socket error fails every request in flight instead of crashing the process
      (e) => {
        for (const seq of [...this.pending.keys()]) this.settle(seq, e);
      },
    );
    this.sock.unref();
  }

  private receive(buf: Buffer): void {
    for (const m of parseMessages(buf)) {
      const p = this.pending.get(m.seq);
      if (!p) continue;
      if (m.type === NLMSG_ERROR) {
        const errno = -m.data.readInt32LE(0);
        this.settle(m.seq, errno ? new NetlinkError(errno) : null);
      } else if (m.type === NLMSG_DONE) {
        this.settle(m.seq, null);
      } else {
        p.replies.push(m);
        if (!(m.flags & NLM_F_MULTI) && !p.dump) this.settle(m.seq, null);
      }
    }
  }

  private settle(seq: number, err: Error | null): void {
    const p = this.pending.get(seq);
    if (!p) return;
    this.pending.delete(seq);
    clearTimeout(p.timer);
    if (!this.pending.size) this.sock.unref();
    if (err) p.reject(err);
    else p.resolve(p.replies);
  }

  /** Sends one request and resolves with its replies (an ACK alone resolves with []). */
  request(type: number, flags: number, payload: Buffer[], timeoutMs = NETLINK_TIMEOUT_MS): Promise<NlMessage[]> {
    const seq = this.seq++;
    const body = Buffer.concat(payload);
    const hdr = Buffer.alloc(16);
    hdr.writeUInt32LE(16 + body.length, 0);
    hdr.writeUInt16LE(type, 4);
    const dump = (flags & NLM_F_DUMP) === NLM_F_DUMP;
    hdr.writeUInt16LE(flags | NLM_F_REQUEST | (dump ? 0 : NLM_F_ACK), 6);
    hdr.writeUInt32LE(seq, 8);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.settle(seq, new NetlinkTimeout(timeoutMs)), timeoutMs);
      this.pending.set(seq, { replies: [], dump, timer, resolve, reject });
      this.sock.ref();
      this.sock.send(0, 0, [hdr, body], (err) => {
        if (err && this.pending.has(seq)) this.settle(seq, err);
      });
    });
  }

  close(): void {
    this.sock.close();
  }
}
