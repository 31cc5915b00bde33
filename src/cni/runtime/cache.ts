// The result cache, in libcni's format, so that pont and any libcni runtime read each other's:
// <cacheDir>/results/<network>-<containerId>-<ifname>, JSON { kind: "cniCacheV1", … }, written
// after a successful ADD, read as prevResult by DEL and CHECK, removed after DEL.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CniConfList } from './config.js';
import type { CniAttachment } from './request.js';

export const DEFAULT_CACHE_DIR = '/var/lib/cni';
export const CACHE_KIND = 'cniCacheV1';

export interface CachedAttachment {
  kind: typeof CACHE_KIND;
  containerId: string;
  /** the list's text, base64 (Go marshals a []byte so) */
  config: string;
  ifName: string;
  networkName: string;
  netns?: string;
  cniArgs?: [string, string][];
  capabilityArgs?: Record<string, unknown>;
  result?: Record<string, unknown>;
}

export const cacheFile = (cacheDir: string, network: string, at: Pick<CniAttachment, 'containerId' | 'ifname'>) =>
  join(cacheDir, 'results', `${network}-${at.containerId}-${at.ifname}`);

/** The record libcni's cacheAdd writes, keys in its order, empty optional fields left out. */
export function renderCacheEntry(list: CniConfList, at: CniAttachment, result: unknown): CachedAttachment {
  return {
    kind: CACHE_KIND,
    containerId: at.containerId,
    config: Buffer.from(list.text, 'utf8').toString('base64'),
    ifName: at.ifname,
    networkName: list.name,
    ...(at.netns ? { netns: at.netns } : {}),
    ...(at.args?.length ? { cniArgs: at.args } : {}),
    ...(at.capabilityArgs && Object.keys(at.capabilityArgs).length ? { capabilityArgs: at.capabilityArgs } : {}),
    ...(result ? { result: result as Record<string, unknown> } : {}),
  };
}

export function writeCacheEntry(cacheDir: string, entry: CachedAttachment): void {
  const file = cacheFile(cacheDir, entry.networkName, { containerId: entry.containerId, ifname: entry.ifName });
  mkdirSync(join(cacheDir, 'results'), { recursive: true, mode: 0o700 });
  // written whole then renamed: a reader never sees half a result
  writeFileSync(`${file}.tmp`, JSON.stringify(entry), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** The cached record; null when absent or not libcni's kind (libcni ignores those too). */
export function readCacheEntry(cacheDir: string, network: string, at: Pick<CniAttachment, 'containerId' | 'ifname'>): CachedAttachment | null {
  let text: string;
  try {
    text = readFileSync(cacheFile(cacheDir, network, at), 'utf8');
  } catch {
    return null;
  }
  try {
    const entry = JSON.parse(text) as CachedAttachment;
    return entry && entry.kind === CACHE_KIND ? entry : null;
  } catch {
    return null;
  }
}

/** Best effort, as libcni's cacheDel: a cache that cannot be removed must not fail a DEL that succeeded. */
export function removeCacheEntry(cacheDir: string, network: string, at: Pick<CniAttachment, 'containerId' | 'ifname'>): void {
  try {
    rmSync(cacheFile(cacheDir, network, at), { force: true });
  } catch {
    // an unusable cache directory: nothing was cached there either
  }
}

/** Every cached attachment of a network (for GC), skipping what is not libcni's kind. */
export function listCacheEntries(cacheDir: string, network: string): CachedAttachment[] {
  let names: string[];
  try {
    names = readdirSync(join(cacheDir, 'results'));
  } catch {
    return [];
  }
  const out: CachedAttachment[] = [];
  for (const n of names) {
    if (!n.startsWith(`${network}-`)) continue;
    try {
      const entry = JSON.parse(readFileSync(join(cacheDir, 'results', n), 'utf8')) as CachedAttachment;
      if (entry?.kind === CACHE_KIND && entry.networkName === network && entry.containerId && entry.ifName) out.push(entry);
    } catch {
      // a file being written, or someone else's: not an attachment
    }
  }
  return out;
}
