// A route table: method, path pattern with {params}, handler. Handlers answer through `res`
// (JSON, empty, or a stream); an error they throw is answered as Docker's {"message": …}.
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiRequest } from './request.js';

export type Handler = (req: ApiRequest, res: ServerResponse) => Promise<void>;
/** A hijacked connection (attach, exec start): the raw socket after the request's head and body. */
export type Hijacker = (req: ApiRequest, socket: Duplex, body: Buffer) => Promise<void>;

export interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
  /** Answers a hijacked (Upgrade: tcp) request as a raw stream. */
  hijack?: Hijacker;
}

/** `/containers/{id}/start` → a pattern matching one path segment per {name}. */
export function route(method: string, path: string, handler: Handler, hijack?: Hijacker): Route {
  const names: string[] = [];
  // a network or container reference may hold any character but "/"
  const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, n: string) => {
    names.push(n);
    return '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}$`), names, handler, hijack };
}

/** A path segment's %-escapes decoded, or null when they are not valid UTF-8 escapes. */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export type Match = { route: Route; params: Record<string, string> } | { allowed: string[] } | { badEscape: string } | null;

export function match(routes: Route[], method: string, path: string): Match {
  const allowed: string[] = [];
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    // HEAD /_ping is GET's
    if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) {
      allowed.push(r.method);
      continue;
    }
    const params: Record<string, string> = {};
    for (const [i, n] of r.names.entries()) {
      const value = decodeSegment(m[i + 1]);
      if (value === null) return { badEscape: m[i + 1] };
      params[n] = value;
    }
    return { route: r, params };
  }
  return allowed.length ? { allowed } : null;
}
