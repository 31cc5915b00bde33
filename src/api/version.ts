// The API version pont speaks: Docker 20.10's (v1.41), and the oldest Docker 20.10 accepts.
import { VERSION } from '../core/version.js';

export const API_VERSION = '1.41';
export const MIN_API_VERSION = '1.12';
/** What /version reports as the engine (the Docker release whose API this is), and pont's own. */
export const ENGINE_VERSION = '20.10.24';
export const PONT_VERSION = VERSION;

/** "1.41" < "1.5" is false: compared as numbers, part by part. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/**
 * `/v1.41/networks` → version "1.41", path "/networks"; no prefix: the current version. A version
 * outside what pont speaks gets dockerd's refusal (400).
 */
export function splitVersion(path: string): { version: string; path: string } | { error: string } {
  const m = /^\/v([0-9]+(?:\.[0-9]+)*)(\/.*)$/.exec(path);
  if (!m) return { version: API_VERSION, path };
  const version = m[1];
  if (compareVersions(version, API_VERSION) > 0) return { error: `client version ${version} is too new. Maximum supported API version is ${API_VERSION}` };
  if (compareVersions(version, MIN_API_VERSION) < 0) return { error: `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version` };
  return { version, path: m[2] };
}
