// Forwarding to the host's resolvers, from sockets in the resolver's own (host) namespace, so a
// host resolver on loopback (127.0.0.53 and the like) works as it does for Docker.
//
// Upstreams are the `nameserver` lines of the host's /etc/resolv.conf (glibc's limit of 3),
// re-read when the file changes; PONT_DNS_UPSTREAM_RESOLV_CONF names another file (tests point
// it at a resolver of their own). With no nameserver at all, forwarded queries get SERVFAIL:
// pont never invents a public resolver.
//
// A query goes to the first upstream, then to the next one every budget/N ms while none has
// answered; the first answer wins (any upstream's late answer counts); after the whole budget
// (2 s) the caller gets null. Each forwarded query carries a fresh random id, mapped back.
import dgram from 'node:dgram';
import { readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import { FrameReader, frame, readId, writeId } from './codec.js';
import type { Transport } from './query.js';
import { literalLookup } from './sockets.js';

export const resolvConfPath = (): string => process.env.PONT_DNS_UPSTREAM_RESOLV_CONF ?? '/etc/resolv.conf';
export const FORWARD_BUDGET_MS = 2000;
const MAX_NAMESERVERS = 3;

export function parseResolvConf(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!m) continue;
    const addr = m[1].replace(/%.*$/, ''); // a scope id (fe80::1%eth0) is no use to a socket here
    if (net.isIP(addr) && !out.includes(addr)) out.push(addr);
    if (out.length === MAX_NAMESERVERS) break;
  }
  return out;
}

/** The nameserver list of a resolv.conf, re-read only when the file's identity or mtime changes. */
export class ResolvConf {
  private key = '';
  private servers: string[] = [];
  constructor(readonly path: string = resolvConfPath()) {}

  get(): string[] {
    return this.servers;
  }

  /** Cheap when unchanged (one stat); returns true when the list was (re)read. */
  refresh(): boolean {
    let key: string;
    try {
      const st = statSync(this.path);
      key = `${st.ino}:${st.mtimeMs}:${st.size}`;
    } catch {
      key = 'missing';
    }
    if (key === this.key) return false;
    this.key = key;
    try {
      this.servers = parseResolvConf(readFileSync(this.path, 'utf8'));
    } catch {
      this.servers = [];
    }
    return true;
  }
}

interface Pending {
  origId: number;
  servers: string[];
  done: (answer: Buffer | null) => void;
  timer: NodeJS.Timeout;
}

export class Forwarder {
  private readonly pending = new Map<number, Pending>();
  private sockets: { udp4?: dgram.Socket; udp6?: dgram.Socket } = {};

  constructor(
    private readonly upstreams: () => string[],
    private readonly budgetMs = FORWARD_BUDGET_MS,
    private readonly port = 53,
  ) {}

  /** Bound to Forward: (query, transport) → the upstream's raw answer with the client's id, or null. */
  readonly forward = (query: Buffer, transport: Transport, servers?: string[]): Promise<Buffer | null> => {
    const to = servers?.length ? servers : this.upstreams();
    return transport === 'tcp' ? this.forwardTcp(query, to) : this.forwardUdp(query, to);
  };

  close(): void {
    for (const p of this.pending.values()) {
      clearInterval(p.timer);
      p.done(null);
    }
    this.pending.clear();
    this.sockets.udp4?.close();
    this.sockets.udp6?.close();
    this.sockets = {};
  }

  private socket(family: 4 | 6): dgram.Socket {
    const key = family === 4 ? 'udp4' : 'udp6';
    let s = this.sockets[key];
    if (!s) {
      s = dgram.createSocket({ type: key, lookup: literalLookup as never });
      s.on('message', (msg, rinfo) => this.onAnswer(msg, rinfo.address));
      s.on('error', () => {}); // ICMP errors surface here on some kernels: the timer handles them
      s.bind(0, family === 4 ? '0.0.0.0' : '::');
      s.unref(); // a resolver with nothing pending must not be kept alive by this socket
      this.sockets[key] = s;
    }
    return s;
  }

  private freshId(): number {
    for (;;) {
      const id = Math.floor(Math.random() * 0x10000);
      if (!this.pending.has(id)) return id;
    }
  }

  private forwardUdp(query: Buffer, servers: string[]): Promise<Buffer | null> {
    if (servers.length === 0 || query.length < 12 || this.pending.size > 0xf000) return Promise.resolve(null);
    const out = Buffer.from(query); // the caller keeps the client's bytes intact
    const id = this.freshId();
    writeId(out, id);
    return new Promise((resolve) => {
      const step = Math.floor(this.budgetMs / servers.length);
      let next = 0;
      const send = () => {
        const server = servers[next++];
        this.socket(net.isIPv6(server) ? 6 : 4).send(out, this.port, server, () => {});
      };
      const p: Pending = {
        origId: readId(query),
        servers,
        done: resolve,
        timer: setInterval(() => {
          if (next < servers.length) return send();
          this.settle(id, null);
        }, step),
      };
      this.pending.set(id, p);
      send();
    });
  }

  private settle(id: number, answer: Buffer | null): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearInterval(p.timer);
    if (answer) writeId(answer, p.origId);
    p.done(answer);
  }

  private onAnswer(msg: Buffer, from: string): void {
    if (msg.length < 12 || (msg.readUInt16BE(2) & 0x8000) === 0) return;
    const p = this.pending.get(readId(msg));
    if (!p || !p.servers.includes(from)) return; // not from an upstream we asked: ignore
    this.settle(readId(msg), msg);
  }

  /** One TCP connection per query and upstream, tried in turn within the budget. */
  private async forwardTcp(query: Buffer, servers: string[]): Promise<Buffer | null> {
    if (servers.length === 0) return null;
    const deadline = Date.now() + this.budgetMs;
    const each = Math.floor(this.budgetMs / servers.length);
    for (const server of servers) {
      const left = Math.min(each, deadline - Date.now());
      if (left <= 0) break;
      const answer = await tcpExchange(server, this.port, query, left);
      if (answer) {
        writeId(answer, readId(query));
        return answer;
      }
    }
    return null;
  }
}

function tcpExchange(host: string, port: number, query: Buffer, timeoutMs: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const reader = new FrameReader();
    const sock = net.connect({ host, port, lookup: literalLookup as never });
    const finish = (answer: Buffer | null) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    sock.on('connect', () => sock.write(frame(query)));
    sock.on('data', (chunk) => {
      const msgs = reader.push(chunk);
      if (msgs.length > 0) finish(Buffer.from(msgs[0]));
    });
    sock.on('error', () => finish(null));
    sock.on('close', () => finish(null));
  });
}
