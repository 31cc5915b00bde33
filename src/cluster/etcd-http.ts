// Requests to etcd's JSON gateway over plain HTTP/1.1, with failover between the members.
// A request goes to the member that last answered and, on a connection error, to the next one
// in the list; each attempt is bounded by timeoutMs, so a call fails within members × timeoutMs.
// Once a request has reached a member, its outcome is unknown if the answer is lost: only
// requests marked `retry` (reads, keepalives: the same again is harmless) go on to another
// member then; a write fails with an error saying the answer was lost.
import http from 'node:http';
import { endpointsText, endpointText, type EtcdEndpoint } from './etcd-endpoints.js';
import { EtcdError } from './etcd-error.js';
import { decodeServerError, GRPC } from './etcd-wire.js';

export interface PostOptions {
  /** Names the request in messages: "put /pont/v1/hosts/a". */
  what: string;
  /** Safe to send again to another member when the answer was lost. */
  retry?: boolean;
}

type Attempt = { status: number; text: string } | { failed: string; reached: boolean };

export class EtcdTransport {
  // idle kept-alive sockets are unref'd by the agent: they never hold a command open
  private readonly agent = new http.Agent({ keepAlive: true });
  private preferred = 0;
  private closed = false;

  constructor(
    readonly endpoints: readonly EtcdEndpoint[],
    readonly timeoutMs: number,
  ) {
    if (!endpoints.length) throw new EtcdError('no cluster store endpoint given');
  }

  /** POSTs `body` as JSON to `path`; resolves to the decoded answer, throws EtcdError otherwise. */
  async post(path: string, body: unknown, opts: PostOptions): Promise<unknown> {
    const payload = JSON.stringify(body);
    const failures: [EtcdEndpoint, string][] = [];
    for (const [index, endpoint] of this.order()) {
      const r = await this.attempt(endpoint, path, payload, opts);
      if ('failed' in r) {
        if (r.reached && !opts.retry) throw new EtcdError(`lost the cluster store's answer to ${opts.what} (${endpointsText([endpoint])}): ${r.failed}`);
        failures.push([endpoint, r.failed]);
        continue;
      }
      const answer = parseAnswer(r.text);
      const refused = decodeServerError(answer);
      if (refused?.code === GRPC.UNAVAILABLE && opts.retry) {
        failures.push([endpoint, refused.message]);
        continue;
      }
      this.preferred = index;
      if (refused) throw new EtcdError(`the cluster store refused ${opts.what}: ${refused.message}`, { code: refused.code });
      if (r.status !== 200 || answer === undefined) throw new EtcdError(`the cluster store (${endpointsText([endpoint])}) answered ${path} with HTTP ${r.status}: ${r.text.trim().slice(0, 200)}`);
      return answer;
    }
    throw unreachable(this.endpoints, failures);
  }

  /**
   * Opens a streaming POST (a watch) on the first member that answers, bounded by timeoutMs
   * until the answer's headers; from then on the stream is the caller's, unbounded.
   */
  async openStream(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ res: http.IncomingMessage; req: http.ClientRequest; endpoint: EtcdEndpoint }> {
    const payload = JSON.stringify(body);
    const failures: [EtcdEndpoint, string][] = [];
    for (const [index, endpoint] of this.order()) {
      try {
        const { req, res } = await this.send(endpoint, path, payload, { agent: false, headers });
        if (res.statusCode !== 200) {
          req.destroy();
          failures.push([endpoint, `HTTP ${res.statusCode}`]);
          continue;
        }
        this.preferred = index;
        return { res, req, endpoint };
      } catch (e) {
        failures.push([endpoint, (e as AttemptError).detail ?? String(e)]);
      }
    }
    throw unreachable(this.endpoints, failures);
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  /** Every member once, the one that answered last first. */
  private *order(): Generator<[number, EtcdEndpoint]> {
    if (this.closed) throw new EtcdError('the cluster store client is closed');
    const n = this.endpoints.length;
    for (let i = 0; i < n; i++) {
      const index = (this.preferred + i) % n;
      yield [index, this.endpoints[index]];
    }
  }

  private async attempt(endpoint: EtcdEndpoint, path: string, payload: string, opts: PostOptions): Promise<Attempt> {
    // A kept-alive socket the server closed while idle fails at once; the request is then sent
    // again on a fresh connection (the pattern Node's http docs give). Only a request safe to
    // repeat: the same error can also mean the member took the request and then died.
    for (let tries = 0; ; tries++) {
      try {
        const started = Date.now();
        const { res } = await this.send(endpoint, path, payload, { agent: this.agent });
        return { status: res.statusCode ?? 0, text: await readBody(res, this.timeoutMs - (Date.now() - started)) };
      } catch (e) {
        const err = e as AttemptError;
        if (err.detail === undefined) throw e;
        if (err.staleSocket && opts.retry && tries === 0) continue;
        return { failed: err.detail, reached: err.reached };
      }
    }
  }

  /** One request; resolves once the answer's headers are in, within timeoutMs. */
  private send(endpoint: EtcdEndpoint, path: string, payload: string, opts: { agent: http.Agent | false; headers?: Record<string, string> }): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
    return new Promise((resolve, reject) => {
      let connected = false;
      const req = http.request({
        host: endpoint.host,
        port: endpoint.port,
        path,
        method: 'POST',
        agent: opts.agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...opts.headers },
      });
      const timer = setTimeout(() => {
        const seconds = this.timeoutMs / 1000;
        req.destroy(attemptError(connected ? `no answer within ${seconds} s` : `no connection within ${seconds} s`, { reached: connected }));
      }, this.timeoutMs);
      req.on('socket', (s) => {
        if (!s.connecting) connected = true;
        else s.once('connect', () => (connected = true));
      });
      req.on('response', (res) => {
        clearTimeout(timer);
        resolve({ req, res });
      });
      req.on('error', (e: NodeJS.ErrnoException & Partial<AttemptError>) => {
        clearTimeout(timer);
        if (e.detail !== undefined) return reject(e);
        const stale = req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE');
        reject(attemptError(connectionFailure(e), { reached: connected, staleSocket: stale, cause: e }));
      });
      req.end(payload);
    });
  }
}

interface AttemptError extends Error {
  detail: string;
  /** The request may have reached the member: its outcome is unknown. */
  reached: boolean;
  staleSocket: boolean;
}

const attemptError = (detail: string, o: { reached: boolean; staleSocket?: boolean; cause?: unknown }): AttemptError =>
  Object.assign(new Error(detail, { cause: o.cause }), { detail, reached: o.reached, staleSocket: o.staleSocket ?? false });

/** The answer's body, within what is left of the attempt's time. */
function readBody(res: http.IncomingMessage, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const fail = (detail: string, cause?: unknown) => reject(attemptError(detail, { reached: true, cause }));
    const timer = setTimeout(() => {
      fail('no whole answer within the time allowed');
      res.destroy();
    }, Math.max(timeoutMs, 0));
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    // a connection closed half-way through the answer ends with 'close' and no 'end'
    res.on('error', (e) => fail(connectionFailure(e), e));
    res.on('close', () => {
      clearTimeout(timer);
      if (!res.complete) fail('the connection closed during the answer');
    });
  });
}

/** What went wrong with a connection, in a few words: "connect ECONNREFUSED", "the connection closed". */
export function connectionFailure(e: NodeJS.ErrnoException): string {
  if (e.syscall) return `${e.syscall} ${e.code}`;
  // Node's words for a connection closed before or during the answer
  if (e.message === 'aborted' || e.message === 'socket hang up') return 'the connection closed';
  return e.message;
}

function parseAnswer(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function unreachable(endpoints: readonly EtcdEndpoint[], failures: [EtcdEndpoint, string][]): EtcdError {
  const details = new Set(failures.map(([, d]) => d));
  const why = details.size === 1 ? [...details][0] : failures.map(([e, d]) => `${endpointText(e)} ${d}`).join('; ');
  return new EtcdError(`cannot reach the cluster store (${endpointsText(endpoints)}): ${why}`);
}
