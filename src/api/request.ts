// What a handler receives (path parameters, query, JSON body) and how it answers: JSON with
// Docker's headers, a status without body, or a stream. Query values are read as the daemon reads
// them (httputils.BoolValue: anything but "", "0", "no", "false", "none" is true).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, toApiError } from './errors.js';
import { API_VERSION, ENGINE_VERSION } from './version.js';

export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The API version the client asked for (from the path's /vX.Y, or the current one). */
  version: string;
  raw: IncomingMessage;
}

/** dockerd's headers on every answer: clients negotiate the version from Api-Version. */
export const DOCKER_HEADERS: Record<string, string> = {
  'Api-Version': API_VERSION,
  'Docker-Experimental': 'false',
  Ostype: 'linux',
  Server: `Docker/${ENGINE_VERSION} (linux) pont`,
};

export function boolQuery(q: URLSearchParams, key: string, dflt = false): boolean {
  const v = q.get(key);
  if (v === null) return dflt;
  return !['', '0', 'no', 'false', 'none'].includes(v.trim().toLowerCase());
}

export function intQuery(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`strconv.Atoi: parsing "${v}": invalid syntax`);
  return Number(v);
}

/**
 * `filters={"label":{"a=b":true}}` (and the older `{"label":["a=b"]}`) as the `key=value` list
 * pont's --filter parsers take.
 */
export function filterList(q: URLSearchParams): string[] {
  const text = q.get('filters');
  if (!text) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw badRequest('invalid filter');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw badRequest('invalid filter');
  const out: string[] = [];
  for (const [key, values] of Object.entries(doc as Record<string, unknown>)) {
    const list = Array.isArray(values) ? values : typeof values === 'object' && values !== null ? Object.keys(values).filter((k) => (values as Record<string, unknown>)[k]) : null;
    if (!list || list.some((v) => typeof v !== 'string')) throw badRequest('invalid filter');
    for (const v of list as string[]) out.push(`${key}=${v}`);
  }
  return out;
}

/**
 * Runs one of pont's --filter parsers on the query's filters: what they refuse (a FlagError, a
 * daemon error without a status of its own) is the client's mistake, a 400.
 */
export function parseFilters<T>(plan: (list: string[]) => T, list: string[]): T {
  try {
    return plan(list);
  } catch (e) {
    const err = toApiError(e);
    throw err.status === 500 ? badRequest(err.message) : err;
  }
}

const MAX_BODY = 4 << 20;

/** The request's JSON body (null when empty), refused past 4 MiB or when it is not JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`invalid JSON: ${(e as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, { ...DOCKER_HEADERS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, DOCKER_HEADERS);
  res.end();
}

export function sendError(res: ServerResponse, e: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, e.status, { message: e.message });
}
