// Freeing the addresses of hosts that are gone. An address key (ipam/<network>/<ip>) is not bound
// to its host's lease: a host whose lease lapsed (a loaded machine whose agent missed the ttl, a
// short etcd outage) keeps its containers and their addresses, and takes a new lease within a
// heartbeat; had the keys gone with the lease, another host could be given one of those
// addresses meanwhile, and two containers would answer for it. Instead each agent watches the
// address keys and frees those of a host that has been absent (no hosts/<id> key) for a grace
// period of two ttls; the delete is a transaction that checks, at that moment, that the host is
// still absent and the key still holds the value that was judged. Pure: the agent applies it.
import type { KeyValue } from './etcd.js';
import { PREFIX } from './keys.js';

export interface Orphan {
  key: string;
  value: string;
  host: string;
}

/** An address key's value, "<host id>/<endpoint id>", in its parts; undefined when pont did not write it. */
export function claimOf(value: string): { host: string; endpoint: string } | undefined {
  const m = /^([0-9a-f]{64})\/([0-9a-f]+)$/.exec(value);
  return m ? { host: m[1], endpoint: m[2] } : undefined;
}

/** The addresses in `kvs`, with their host and endpoint. */
function claims(kvs: KeyValue[]): (Orphan & { endpoint: string })[] {
  const out: (Orphan & { endpoint: string })[] = [];
  for (const kv of kvs) {
    const c = kv.key.startsWith(`${PREFIX}ipam/`) ? claimOf(kv.value) : undefined;
    if (c) out.push({ key: kv.key, value: kv.value, ...c });
  }
  return out;
}

const claimsByHost = (kvs: KeyValue[], self: string): Orphan[] => claims(kvs).filter((c) => c.host !== self).map(({ endpoint: _e, ...o }) => o);

/**
 * This host's own addresses that no endpoint of its store holds: left by a container that a
 * reboot forgot (a --rm one), or written again by the agent from a store a command had just
 * changed. The agent frees them holding the store's lock, after reading the store again: no
 * command is then between its address's write and its store's.
 */
export function leftoverClaims(kvs: KeyValue[], self: string, endpoints: ReadonlySet<string>): Orphan[] {
  return claims(kvs).filter((c) => c.host === self && !endpoints.has(c.endpoint)).map(({ endpoint: _e, ...o }) => o);
}

/**
 * The address keys to free now, and when each absent host was first seen absent (hosts seen
 * alive again, or holding nothing, are forgotten): a host's claims go once it has been absent
 * for `graceMs` as this agent saw it.
 */
export function orphanedClaims(
  kvs: KeyValue[],
  live: Set<string>,
  self: string,
  absentSince: ReadonlyMap<string, number>,
  now: number,
  graceMs: number,
): { reap: Orphan[]; absentSince: Map<string, number> } {
  const claims = claimsByHost(kvs, self).filter((c) => !live.has(c.host));
  const since = new Map<string, number>();
  for (const c of claims) if (!since.has(c.host)) since.set(c.host, absentSince.get(c.host) ?? now);
  return { reap: claims.filter((c) => now - since.get(c.host)! >= graceMs), absentSince: since };
}
