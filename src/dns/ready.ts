// How a `run` (or `start`) asks the resolver to answer in a container's namespace before the
// container's process starts, without writing the store first: one small file per namespace in
// /run/pont/dns-ready, holding the container's record and its networks'. The resolver takes it
// (reads and removes it) on its directory's inotify event, serves the namespace with the names
// it already knows plus the container's own, and keeps that until the command's store names the
// container (or PENDING_MS passes: the command failed, and its namespace is gone).
// Reading and writing the whole store for this cost a full host ~30 ms on every run.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { ContainerRecord, NetworkRecord, State } from '../core/model.js';

/** pont's own directory: no variable moves it elsewhere. */
export const READY_DIR = '/run/pont/dns-ready';

export interface ReadyRequest {
  netns: string;
  container: ContainerRecord;
  networks: NetworkRecord[];
}

/** Writes the request for the container whose namespace is `netns` in `state`, whole (rename). */
export function requestReady(netns: string, state: State, dir = READY_DIR): void {
  const container = state.containers.find((c) => c.netns === netns);
  if (!container) return;
  const ids = new Set(container.endpoints.map((e) => e.networkId));
  const request: ReadyRequest = { netns, container, networks: state.networks.filter((n) => ids.has(n.id)) };
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const file = `${dir}/${netns}.json`;
  writeFileSync(`${file}.tmp`, JSON.stringify(request), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** Reads and removes every whole request; a file that is not one is removed and skipped. */
export function takeReadyRequests(dir = READY_DIR): ReadyRequest[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: ReadyRequest[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const file = `${dir}/${name}`;
    try {
      const r = JSON.parse(readFileSync(file, 'utf8')) as ReadyRequest;
      if (typeof r.netns === 'string' && r.container && Array.isArray(r.networks)) out.push(r);
    } catch {
      // half gone: nothing to serve
    }
    rmSync(file, { force: true });
  }
  return out;
}
