// The name index the resolver answers from, rebuilt from the store whenever it changes so a
// query costs a few Map lookups and no allocation.
//
// Per user-defined network, every live attached container is known as: its name, each alias of
// its endpoint there, the first 12 hex of its id, and each of those followed by ".NETWORK"
// (Docker resolves `name.network`). Keys are lower-case without a trailing dot; values are the
// IPv4 addresses on that network (several when containers share an alias: round-robin).
// An asker (the container owning a resolver socket) sees only the networks it is attached to.
import type { NetworkRecord, State } from '../core/model.js';
import type { RemoteEndpoint } from '../cluster/view.js';
import { bytesOf, lineOf } from '../store/layout.js';
import { type DnsContainer, dnsNetworksOf, isDnsNetwork, isLive, networksById } from './scope.js';

/** The store as DNS reads it: the networks, and of each container what DnsContainer names. */
export interface DnsState {
  networks: NetworkRecord[];
  containers: DnsContainer[];
}

export interface NetworkNames {
  id: string;
  name: string;
  /** lower-case name → IPv4 addresses on this network */
  a: Map<string, string[]>;
  /** "4.0.19.172.in-addr.arpa" → "name.network", as Docker answers PTR */
  ptr: Map<string, string>;
}

export interface Asker {
  netns: string;
  containerId: string;
  networks: NetworkNames[];
  /** The container's --dns servers, where its forwarded queries go (none: the host's). */
  upstreams: string[];
  /**
   * False for a container attached only to --internal networks: its queries for other names are
   * not forwarded, or DNS would be its way out of a network that has none (Docker 20.10 forwards
   * them through the host; 26.0 stopped, CVE-2024-29018).
   */
  forwards: boolean;
}

export interface NameIndex {
  /** by namespace name: the resolver socket living there knows its asker this way */
  askers: Map<string, Asker>;
  networks: Map<string, NetworkNames>;
}

export const emptyIndex = (): NameIndex => ({ askers: new Map(), networks: new Map() });

/** "C2." → "c2": what every key and every query name is compared as. */
export function normalizeName(name: string): string {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n.toLowerCase();
}

export const reverseName = (ipv4: string): string => `${ipv4.split('.').reverse().join('.')}.in-addr.arpa`;

interface EndpointNames {
  /** What they were made from. */
  id: string;
  name: string;
  network: string;
  ip: string;
  aliases: readonly string[] | undefined;
  /** Each name, then the same followed by ".network". */
  keys: string[];
  rev: string;
  ptr: string;
}

/**
 * An endpoint's names on its network, kept with the endpoint object while what they are made of
 * is the same: DnsView keeps the objects of unchanged records, so a change of the store makes
 * the names of the records that changed only (beside 500 containers, making all of them again
 * was most of the resolver's work on each command).
 */
const NAMES = new WeakMap<object, EndpointNames>();

function endpointNames(c: DnsContainer, ep: DnsContainer['endpoints'][number], network: string): EndpointNames {
  const was = NAMES.get(ep);
  if (was && was.id === c.id && was.name === c.name && was.network === network && was.ip === ep.ipAddress && was.aliases === ep.aliases) return was;
  const name = c.name.replace(/^\//, '');
  const suffix = `.${network.toLowerCase()}`;
  const names = new Set([name, ...(ep.aliases ?? []), c.id.slice(0, 12)].map(normalizeName).filter((s) => s !== ''));
  const made: EndpointNames = {
    id: c.id, name: c.name, network, ip: ep.ipAddress, aliases: ep.aliases,
    keys: [...names].flatMap((key) => [key, key + suffix]),
    rev: reverseName(ep.ipAddress),
    ptr: `${name}.${network}`,
  };
  NAMES.set(ep, made);
  return made;
}

function add(map: Map<string, string[]>, key: string, address: string): void {
  const list = map.get(key);
  if (!list) map.set(key, [address]);
  else if (!list.includes(address)) list.push(address);
}

export function buildIndex(state: DnsState, remote: RemoteEndpoint[] = []): NameIndex {
  const byId = networksById(state);
  const networks = new Map<string, NetworkNames>();
  for (const n of state.networks) {
    if (isDnsNetwork(n)) networks.set(n.id, { id: n.id, name: n.name, a: new Map(), ptr: new Map() });
  }
  const askers = new Map<string, Asker>();
  for (const c of state.containers) {
    if (!isLive(c)) continue;
    for (const ep of c.endpoints ?? []) {
      const net = networks.get(ep.networkId);
      if (!net || !ep.ipAddress) continue;
      const names = endpointNames(c, ep, net.name);
      for (const key of names.keys) add(net.a, key, ep.ipAddress);
      if (!net.ptr.has(names.rev)) net.ptr.set(names.rev, names.ptr);
    }
    const mine = dnsNetworksOf(c, byId)
      .map((n) => networks.get(n.id))
      .filter((n): n is NetworkNames => n !== undefined);
    if (mine.length > 0) {
      const forwards = (c.endpoints ?? []).some((ep) => byId.get(ep.networkId)?.internal === false);
      askers.set(c.netns, { netns: c.netns, containerId: c.id, networks: mine, upstreams: c.dns ?? [], forwards });
    }
  }
  // the other hosts' containers on overlay networks: known as their own host's resolver knows them
  for (const e of remote) {
    const net = networks.get(e.network);
    if (!net) continue;
    const suffix = `.${net.name.toLowerCase()}`;
    for (const key of new Set([e.name, ...e.aliases, e.containerId.slice(0, 12)].map(normalizeName).filter((k) => k !== ''))) {
      add(net.a, key, e.ipAddress);
      add(net.a, key + suffix, e.ipAddress);
    }
    const rev = reverseName(e.ipAddress);
    if (!net.ptr.has(rev)) net.ptr.set(rev, `${e.name}.${net.name}`);
  }
  return { askers, networks };
}

/**
 * The addresses `name` has for this asker, over all its networks; null when the name is not
 * a container's (the query then goes upstream). `name` must already be normalized.
 */
export function lookupA(asker: Asker | undefined, name: string): string[] | null {
  if (!asker) return null;
  let found: string[] | null = null;
  let copied = false;
  for (const net of asker.networks) {
    const list = net.a.get(name);
    if (!list) continue;
    if (!found) {
      found = list;
    } else {
      // rare: the name matches on several shared networks; only then allocate
      if (!copied) {
        found = found.slice();
        copied = true;
      }
      for (const ip of list) if (!found.includes(ip)) found.push(ip);
    }
  }
  return found;
}

/** "name.network" for a container address on one of the asker's networks, else null. */
export function lookupPtr(asker: Asker | undefined, name: string): string | null {
  if (!asker || !name.endsWith('.in-addr.arpa')) return null;
  for (const net of asker.networks) {
    const target = net.ptr.get(name);
    if (target) return target;
  }
  return null;
}

/**
 * The asker for a container not yet in the store the index was built from (a readiness request,
 * ready.ts): its networks as the index knows them, with its own names added; undefined when the
 * container takes no part in DNS.
 */
export function pendingAsker(index: NameIndex, netns: string, networks: NetworkRecord[], container: DnsContainer): Asker | undefined {
  const own = buildIndex({ networks, containers: [container] });
  const asker = own.askers.get(netns);
  if (!asker) return undefined;
  return { ...asker, networks: asker.networks.map((n) => mergeNames(index.networks.get(n.id), n)) };
}

/**
 * The store's containers as DNS reads them, each kept while its store line is unchanged
 * (store/layout.ts): a change of the store re-reads only the records that changed, where
 * reading every record again (each `run` and `rm` is a change) cost the resolver ~10 ms of CPU
 * beside 500 containers, taken from the very commands it serves.
 */
export class DnsView {
  private byId = new Map<string, { line: Buffer | string; view: DnsContainer }>();

  of(state: State): DnsState {
    const kept = new Map<string, { line: Buffer | string; view: DnsContainer }>();
    const containers = state.containers.map((c) => {
      // the line's bytes where the file has them: compared in place, where a string of each
      // line cost ~4 ms of every change beside 500 containers
      const line = bytesOf(c) ?? lineOf(c);
      if (line === undefined) return dnsFields(c);
      const was = this.byId.get(c.id);
      const v = was && sameLine(was.line, line) ? was.view : dnsFields(c);
      kept.set(c.id, { line, view: v });
      return v;
    });
    this.byId = kept;
    return { networks: state.networks, containers };
  }
}

const sameLine = (a: Buffer | string, b: Buffer | string) => (typeof a === 'string' || typeof b === 'string' ? a === b : a.equals(b));

const dnsFields = (c: DnsContainer): DnsContainer => ({
  id: c.id, name: c.name, netns: c.netns, running: c.running, dns: c.dns,
  endpoints: (c.endpoints ?? []).map((e) => ({ networkId: e.networkId, ipAddress: e.ipAddress, aliases: e.aliases })),
});

/** `known` (left as it is: the index still answers from it) with the names of `extra` added. */
function mergeNames(known: NetworkNames | undefined, extra: NetworkNames): NetworkNames {
  if (!known) return extra;
  const a = new Map(known.a);
  for (const [key, addresses] of extra.a) for (const address of addresses) a.set(key, a.get(key)?.includes(address) ? a.get(key)! : [...(a.get(key) ?? []), address]);
  return { ...known, a, ptr: new Map([...known.ptr, ...extra.ptr]) };
}
