// Forwarding to the host's resolvers, from sockets in the resolver's own (host) namespace, so a
// host resolver on loopback (127.0.0.53 and the like) works as it does for Docker.
//
// Upstreams are the `nameserver` lines of the host's /etc/resolv.conf (glibc's limit of 3),
// re-read when the file changes (no variable names another file: tests bind-mount theirs over
// /etc/resolv.conf in their sandbox). With no nameserver at all, forwarded queries get SERVFAIL:
// pont never invents a public resolver.
//
// A query goes to the first upstream, then to the next one every budget/N ms while none has
// answered; the first answer wins (any asked upstream's late answer counts); after the whole
// budget (2 s) the caller gets null.
import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import { FLAG_QR, FrameReader, frame, HEADER_LEN, readId, sameQuestions, writeId } from './codec.js';
import type { ForwardRoute } from './query.js';
import { literalLookup } from './sockets.js';

export const RESOLV_CONF = '/etc/resolv.conf';
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
  constructor(readonly path: string = RESOLV_CONF) {}

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

/**
 * Forwarded queries pending at once. Each holds a socket of its own, so the total bounds the
 * resolver's descriptors; the per-source share keeps one container flooding a silent upstream
 * from taking every slot (Docker runs a resolver per container, each with its own limit).
 */
export interface ForwardLimits {
  perSource: number;
  total: number;
}
export const FORWARD_LIMITS: ForwardLimits = { perSource: 256, total: 4096 };

export interface ForwarderOptions {
  upstreams: () => string[];
  budgetMs?: number;
  /** The upstreams' port: 53, another in tests. */
  port?: number;
  limits?: ForwardLimits;
}

const isAnswerTo = (sent: Buffer, msg: Buffer): boolean =>
  msg.length >= HEADER_LEN && (msg.readUInt16BE(2) & FLAG_QR) !== 0 && readId(msg) === readId(sent) && sameQuestions(sent, msg);

/** One spelling per address (RFC 5952 for IPv6), so "2001:DB8:0::1" in resolv.conf matches the answer's source. */
export function canonicalIp(address: string): string {
  if (!net.isIPv6(address.replace(/%.*$/, ''))) return address;
  try {
    return new URL(`http://[${address.replace(/%.*$/, '')}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}

/** The query as it leaves: a copy (the caller keeps the client's bytes) with a fresh random id. */
function withFreshId(query: Buffer): Buffer {
  const out = Buffer.from(query);
  writeId(out, randomInt(0x10000));
  return out;
}

/**
 * Sends client queries upstream the way RFC 5452 asks, so an off-path attacker must guess both
 * a 16-bit id and a source port: every query leaves from a new socket on a random port with a
 * random id (node:crypto), and only an answer from the very address and port asked, with that
 * id and the same question, is taken; anything else is dropped and the wait goes on.
 */
export class Forwarder {
  private readonly perSource = new Map<string, number>();
  private total = 0;
  /** To abort what is in flight on close(). */
  private readonly aborts = new Set<() => void>();
  private readonly upstreams: () => string[];
  private readonly budgetMs: number;
  private readonly port: number;
  private readonly limits: ForwardLimits;

  constructor(opts: ForwarderOptions) {
    this.upstreams = opts.upstreams;
    this.budgetMs = opts.budgetMs ?? FORWARD_BUDGET_MS;
    this.port = opts.port ?? 53;
    this.limits = opts.limits ?? FORWARD_LIMITS;
  }

  /** The upstream's raw answer with the client's id, or null (none in time, or over a limit). */
  readonly forward = async (query: Buffer, route: ForwardRoute): Promise<Buffer | null> => {
    const to = route.servers?.length ? route.servers : this.upstreams();
    if (to.length === 0 || query.length < HEADER_LEN) return null;
    const mine = this.perSource.get(route.source) ?? 0;
    if (mine >= this.limits.perSource || this.total >= this.limits.total) return null;
    this.perSource.set(route.source, mine + 1);
    this.total++;
    try {
      const answer = route.transport === 'tcp' ? await this.forwardTcp(query, to) : await this.exchangeUdp(query, to);
      if (answer) writeId(answer, readId(query));
      return answer;
    } finally {
      this.total--;
      const left = (this.perSource.get(route.source) ?? 1) - 1;
      if (left === 0) this.perSource.delete(route.source);
      else this.perSource.set(route.source, left);
    }
  };

  /** Forwarded queries now pending for `source` (all sources when absent). */
  pending(source?: string): number {
    return source === undefined ? this.total : (this.perSource.get(source) ?? 0);
  }

  close(): void {
    for (const abort of [...this.aborts]) abort();
    this.aborts.clear();
  }

  /** To the first upstream, then to the next every budget/N ms; any asked one's answer counts. */
  private exchangeUdp(query: Buffer, servers: string[]): Promise<Buffer | null> {
    const out = withFreshId(query);
    return new Promise((resolve) => {
      const sockets = new Map<4 | 6, dgram.Socket>();
      const asked = new Set<string>();
      let next = 0;
      const finish = (answer: Buffer | null) => {
        clearInterval(timer);
        this.aborts.delete(abort);
        for (const s of sockets.values()) s.close();
        sockets.clear();
        resolve(answer);
      };
      const abort = () => finish(null);
      const onMessage = (msg: Buffer, from: dgram.RemoteInfo) => {
        if (from.port !== this.port || !asked.has(canonicalIp(from.address)) || !isAnswerTo(out, msg)) return;
        finish(msg);
      };
      const socketFor = (family: 4 | 6): dgram.Socket => {
        let s = sockets.get(family);
        if (!s) {
          s = dgram.createSocket({ type: family === 4 ? 'udp4' : 'udp6', lookup: literalLookup as never });
          s.on('message', onMessage);
          s.on('error', () => {}); // ICMP errors surface here on some kernels: the timer handles them
          s.bind(0, family === 4 ? '0.0.0.0' : '::'); // port 0: the kernel picks a random free port
          sockets.set(family, s);
        }
        return s;
      };
      const send = () => {
        const server = servers[next++];
        asked.add(canonicalIp(server));
        socketFor(net.isIPv6(server) ? 6 : 4).send(out, this.port, server, () => {});
      };
      const timer = setInterval(() => (next < servers.length ? send() : finish(null)), Math.floor(this.budgetMs / servers.length));
      this.aborts.add(abort);
      send();
    });
  }

  /** One TCP connection per query and upstream, tried in turn within the budget. */
  private async forwardTcp(query: Buffer, servers: string[]): Promise<Buffer | null> {
    const deadline = Date.now() + this.budgetMs;
    const each = Math.floor(this.budgetMs / servers.length);
    for (const server of servers) {
      const left = Math.min(each, deadline - Date.now());
      if (left <= 0) break;
      const answer = await this.exchangeTcp(server, withFreshId(query), left);
      if (answer) return answer;
    }
    return null;
  }

  private exchangeTcp(host: string, query: Buffer, timeoutMs: number): Promise<Buffer | null> {
    return new Promise((resolve) => {
      const reader = new FrameReader();
      const sock = net.connect({ host, port: this.port, lookup: literalLookup as never });
      const finish = (answer: Buffer | null) => {
        clearTimeout(timer);
        this.aborts.delete(abort);
        sock.destroy();
        resolve(answer);
      };
      const abort = () => finish(null);
      const timer = setTimeout(abort, timeoutMs);
      this.aborts.add(abort);
      sock.on('connect', () => sock.write(frame(query)));
      sock.on('data', (chunk) => {
        reader.append(chunk);
        for (let m = reader.next(); m !== null; m = reader.next()) if (isAnswerTo(query, m)) return finish(Buffer.from(m));
      });
      sock.on('error', abort);
      sock.on('close', abort);
    });
  }
}
