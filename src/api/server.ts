// `pont system service`: the Docker Engine API (v1.41, Docker 20.10's) on a unix socket, so that
// Docker's own clients (the docker CLI, docker-compose, docker-py) drive pont. The engine behind
// it is the CLI's; this module only parses HTTP, routes, and answers in Docker's shapes.
import { chmodSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import { Store } from '../store/store.js';
import { setAfterMutate } from './door.js';
import { ApiError, toApiError } from './errors.js';
import { EventLog } from './events.js';
import { sendError, type ApiRequest } from './request.js';
import { match, type Route } from './router.js';
import { containerRoutes } from './routes/containers.js';
import { execRoutes } from './routes/exec.js';
import { imageRoutes } from './routes/images.js';
import { networkRoutes } from './routes/networks.js';
import { systemRoutes } from './routes/system.js';
import { unsupportedRoutes } from './routes/unsupported.js';
import { splitVersion } from './version.js';

export const DEFAULT_SOCKET = '/run/pont/docker.sock';

export interface Service {
  server: Server;
  events: EventLog;
  close(): Promise<void>;
}

/** "unix:///run/pont/docker.sock" → the socket's path; only unix sockets are served. */
export function socketPath(host: string): string {
  const m = /^unix:\/\/(\/.+)$/.exec(host);
  if (!m) throw new ApiError(400, `pont serves the Docker API on a unix socket only (unix:///path), not ${host}: a TCP socket would give root to anyone who reaches it`);
  return m[1];
}

/**
 * Refuses a socket another live service answers on; removes one left by a dead service. Anything
 * else at the path (a file, a symlink) is not pont's to remove.
 */
async function claim(path: string): Promise<void> {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isSocket()) throw new ApiError(409, `${path} exists and is not a socket: choose another --host, or remove it yourself`);
  const alive = await new Promise<boolean>((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
  if (alive) throw new ApiError(409, `another service answers on ${path}: stop it first`);
  rmSync(path, { force: true });
}

function parse(req: IncomingMessage, routes: Route[]): { route: Route; api: ApiRequest } | ApiError {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://docker');
  } catch {
    return new ApiError(400, 'invalid request URL');
  }
  const v = splitVersion(url.pathname);
  if ('error' in v) return new ApiError(400, v.error);
  const found = match(routes, req.method ?? 'GET', v.path.replace(/\/+$/, '') || '/');
  if (!found || 'allowed' in found) return new ApiError(404, 'page not found');
  if ('badEscape' in found) return new ApiError(400, `invalid escape in the path: ${JSON.stringify(found.badEscape)}`);
  return { route: found.route, api: { method: req.method ?? 'GET', path: v.path, params: found.params, query: url.searchParams, version: v.version, raw: req } };
}

/** A hijacked request's JSON body is small ({"Detach":false,"Tty":false}): more is refused. */
const MAX_HIJACKED_BODY = 64 << 10;

/** The body of a hijacked request: `head` and what follows it, up to its Content-Length. */
function readHijackedBody(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<{ body: Buffer; rest: Buffer }> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_HIJACKED_BODY) return Promise.reject(new ApiError(413, 'request body too large'));
  return new Promise((resolve, reject) => {
    const chunks = [head];
    let size = head.length;
    const done = () => {
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.pause();
      const got = Buffer.concat(chunks);
      resolve({ body: got.subarray(0, length), rest: got.subarray(length) });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= length) done();
    };
    const onClose = () => reject(new ApiError(400, 'the client left before its request body'));
    if (size >= length) return done();
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.resume();
  });
}

export async function startService(opts: { socket: string; log?: (line: string) => void }): Promise<Service> {
  const log = opts.log ?? (() => {});
  const store = new Store();
  const events = new EventLog(() => store.read(), store.dir);
  setAfterMutate(() => events.refresh());
  const routes = [...systemRoutes(events), ...networkRoutes, ...containerRoutes(events), ...execRoutes(events), ...imageRoutes, ...unsupportedRoutes];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const p = parse(req, routes);
    log(`${req.method} ${req.url}`);
    if (p instanceof ApiError) {
      req.resume();
      return sendError(res, p);
    }
    p.route.handler(p.api, res).catch((e) => {
      const err = toApiError(e);
      if (err.status === 500) log(`error: ${(e as Error)?.stack ?? e}`);
      req.resume();
      sendError(res, err);
    });
  });
  // attach and exec start: the client asks for the connection (Upgrade: tcp) and gets a stream
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // before anything is written: a client that hangs up must not become an unhandled 'error'
    socket.on('error', () => {});
    log(`${req.method} ${req.url} (hijacked)`);
    const p = parse(req, routes);
    const refuse = (e: ApiError) => {
      const text = JSON.stringify({ message: e.message }) + '\n';
      socket.end(`HTTP/1.1 ${e.status} ${e.status === 404 ? 'Not Found' : 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    };
    if (p instanceof ApiError) return refuse(p);
    if (!p.route.hijack) return refuse(new ApiError(400, `${p.api.path} does not upgrade its connection`));
    readHijackedBody(req, socket, head)
      .then(({ body, rest }) => {
        if (rest.length) socket.unshift(rest);
        socket.resume();
        return p.route.hijack!(p.api, socket, body);
      })
      .catch((e) => {
        const err = toApiError(e);
        if (err.status === 500) log(`error: ${(e as Error)?.stack ?? e}`);
        if (!socket.destroyed) refuse(err);
      });
  });

  mkdirSync(dirname(opts.socket), { recursive: true, mode: 0o700 });
  await claim(opts.socket);
  // root-only, as Docker's (root:docker 0660; pont has no group of its own)
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.socket, () => resolve());
    });
  } finally {
    process.umask(umask);
  }
  // the socket just made (listen refuses a path that exists): no symlink to follow
  if (lstatSync(opts.socket).isSocket()) chmodSync(opts.socket, 0o600);
  events.start();
  return {
    server,
    events,
    close: () =>
      new Promise<void>((resolve) => {
        events.stop();
        server.close(() => resolve());
        server.closeAllConnections();
        rmSync(opts.socket, { force: true });
      }),
  };
}
