// The name index the resolver answers from, kept up to date with the store (LiveIndex) so a
// query costs a few Map lookups and no allocation.
//
// Per user-defined network, every live attached container is known as: its name, each alias of
// its endpoint there, the first 12 hex of its id, and each of those followed by ".NETWORK"
// (Docker resolves `name.network`). Keys are lower-case without a trailing dot; values are the
// IPv4 addresses on that network (several when containers share an alias: round-robin).
// An asker (the container owning a resolver socket) sees only the networks it is attached to.
import type { NetworkRecord, State } from '../core/model.js';
import type { RemoteEndpoint } from '../cluster/view.js';
import { bufferSource, lineOf, placeOf, sameLineBytes, type Source } from '../store/layout.js';
import type { Store } from '../store/store.js';
import { StoreError } from '../core/errors.js';
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

/** A network's names as given by each contributor (an endpoint's, a remote endpoint's), in order. */
type Contributors = Map<string, Map<object, string>>;

/** The distinct values, in the order first given. */
function distinct(by: Map<object, string>): string[] {
  const out: string[] = [];
  for (const v of by.values()) if (!out.includes(v)) out.push(v);
  return out;
}

/** What one container gave the index, so that its change takes back exactly that. */
interface Contribution {
  /** Per endpoint on a DNS network: the network's names, its keys and reverse name, with the token they were given under. */
  names: { net: NetworkNames; token: object; keys: string[]; rev: string }[];
  asker: Asker | undefined;
}

/**
 * The name index, kept up to date across store changes: a change indexes again only the
 * containers whose records changed (DnsView keeps the objects of the others) and takes back what
 * the changed and removed ones gave, where building the whole index again cost the resolver
 * ~3 ms of CPU per command beside 500 containers (and with its garbage, half as much again),
 * taken from the commands it serves on a 2-core machine. A change of the networks (a name, the
 * internal flag, one more or less) or of the other hosts' endpoints builds it whole.
 */
export class LiveIndex {
  index: NameIndex = emptyIndex();
  private networksKey: string | undefined;
  private remoteKey = '';
  private byId = new Map<string, NetworkRecord>();
  private given = new Map<DnsContainer, Contribution>();
  private a = new Map<NetworkNames, Contributors>();
  private ptr = new Map<NetworkNames, Contributors>();

  /**
   * Brings the index to `state`; returns the namespaces whose asker may have changed, or null
   * when the whole index was built again (every namespace).
   */
  update(state: DnsState, remote: RemoteEndpoint[] = []): string[] | null {
    const networksKey = state.networks.map((n) => `${n.id} ${isDnsNetwork(n) ? n.name : ''} ${String(n.internal)} ${n.driver} ${String(n.predefined)}`).join('\n');
    const remoteKey = remote.length ? JSON.stringify(remote) : '';
    if (networksKey !== this.networksKey || remoteKey !== this.remoteKey) {
      this.rebuild(state, remote);
      this.networksKey = networksKey;
      this.remoteKey = remoteKey;
      return null;
    }
    const now = new Set(state.containers);
    const changed: string[] = [];
    for (const [c, gave] of this.given) {
      if (now.has(c)) continue;
      this.takeBack(c, gave);
      if (gave.asker) changed.push(gave.asker.netns);
    }
    for (const c of state.containers) {
      if (this.given.has(c)) continue;
      const gave = this.give(c);
      if (gave.asker) changed.push(gave.asker.netns);
    }
    return changed;
  }

  private rebuild(state: DnsState, remote: RemoteEndpoint[]): void {
    this.index = emptyIndex();
    this.given.clear();
    this.a.clear();
    this.ptr.clear();
    this.byId = networksById(state);
    for (const n of state.networks) {
      if (!isDnsNetwork(n)) continue;
      const names: NetworkNames = { id: n.id, name: n.name, a: new Map(), ptr: new Map() };
      this.index.networks.set(n.id, names);
      this.a.set(names, new Map());
      this.ptr.set(names, new Map());
    }
    for (const c of state.containers) this.give(c);
    // the other hosts' containers on overlay networks: known as their own host's resolver knows them
    for (const e of remote) {
      const net = this.index.networks.get(e.network);
      if (!net) continue;
      const suffix = `.${net.name.toLowerCase()}`;
      const token = {};
      for (const key of new Set([e.name, ...e.aliases, e.containerId.slice(0, 12)].map(normalizeName).filter((k) => k !== ''))) {
        this.put(net, this.a, key, token, e.ipAddress);
        this.put(net, this.a, key + suffix, token, e.ipAddress);
      }
      this.put(net, this.ptr, reverseName(e.ipAddress), token, `${e.name}.${net.name}`);
    }
  }

  private give(c: DnsContainer): Contribution {
    const gave: Contribution = { names: [], asker: undefined };
    this.given.set(c, gave);
    if (!isLive(c)) return gave;
    for (const ep of c.endpoints ?? []) {
      const net = this.index.networks.get(ep.networkId);
      if (!net || !ep.ipAddress) continue;
      const names = endpointNames(c, ep, net.name);
      const token = {};
      for (const key of names.keys) this.put(net, this.a, key, token, ep.ipAddress);
      this.put(net, this.ptr, names.rev, token, names.ptr);
      gave.names.push({ net, token, keys: names.keys, rev: names.rev });
    }
    const mine = dnsNetworksOf(c, this.byId)
      .map((n) => this.index.networks.get(n.id))
      .filter((n): n is NetworkNames => n !== undefined);
    if (mine.length > 0) {
      const forwards = (c.endpoints ?? []).some((ep) => this.byId.get(ep.networkId)?.internal === false);
      gave.asker = { netns: c.netns, containerId: c.id, networks: mine, upstreams: c.dns ?? [], forwards };
      this.index.askers.set(c.netns, gave.asker);
    }
    return gave;
  }

  private takeBack(c: DnsContainer, gave: Contribution): void {
    this.given.delete(c);
    for (const { net, token, keys, rev } of gave.names) {
      for (const key of keys) this.drop(net, this.a, key, token);
      this.drop(net, this.ptr, rev, token);
    }
    if (gave.asker && this.index.askers.get(gave.asker.netns) === gave.asker) this.index.askers.delete(gave.asker.netns);
  }

  /** `token` gives `value` under `key`; the lookup map shows every value given (a), or the first (ptr). */
  private put(net: NetworkNames, all: Map<NetworkNames, Contributors>, key: string, token: object, value: string): void {
    const contributors = all.get(net)!;
    let by = contributors.get(key);
    if (!by) contributors.set(key, (by = new Map()));
    by.set(token, value);
    this.show(net, all, key, by);
  }

  private drop(net: NetworkNames, all: Map<NetworkNames, Contributors>, key: string, token: object): void {
    const contributors = all.get(net)!;
    const by = contributors.get(key);
    if (!by?.delete(token)) return;
    if (by.size === 0) contributors.delete(key);
    this.show(net, all, key, by);
  }

  private show(net: NetworkNames, all: Map<NetworkNames, Contributors>, key: string, by: Map<object, string>): void {
    if (all === this.a) {
      if (by.size === 0) net.a.delete(key);
      else net.a.set(key, by.size === 1 ? [...by.values()] : distinct(by));
    } else if (by.size === 0) {
      net.ptr.delete(key);
    } else {
      net.ptr.set(key, by.values().next().value as string);
    }
  }
}

/** The index of `state`, built whole. */
export function buildIndex(state: DnsState, remote: RemoteEndpoint[] = []): NameIndex {
  const live = new LiveIndex();
  live.update(state, remote);
  return live.index;
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
 * ready.ts): its own names on each of its networks, then the names the index knows there (its
 * own first: the reverse name of its address is its own). Undefined when the container takes no
 * part in DNS. The index's names are looked up where they are, not copied: a copy of a network's
 * names cost the resolver ~0.3 ms of every `run` beside 500 containers.
 */
export function pendingAsker(index: NameIndex, netns: string, networks: NetworkRecord[], container: DnsContainer): Asker | undefined {
  const own = buildIndex({ networks, containers: [container] });
  const asker = own.askers.get(netns);
  if (!asker) return undefined;
  return {
    ...asker,
    networks: asker.networks.flatMap((n) => {
      const known = index.networks.get(n.id);
      return known ? [n, known] : [n];
    }),
  };
}

/** What DnsView keeps of a record: its view, and the line it was made from (its text, or where it lay in the bytes read). */
interface Kept {
  view: DnsContainer;
  seen: number;
  text: string | undefined;
  src: Source | undefined;
  at: number;
  len: number;
}

/**
 * The store's containers as DNS reads them, each kept while its store line is unchanged
 * (store/layout.ts): a change of the store re-reads only the records that changed, where
 * reading every record again (each `run` and `rm` is a change) cost the resolver ~10 ms of CPU
 * beside 500 containers, taken from the very commands it serves.
 */
export class DnsView {
  private byId = new Map<string, Kept>();
  private reads = 0;

  /**
   * The store read through its index, where it has one: each record's line compared where it
   * lies with the one it was last, and only a changed one parsed; no record made for the others
   * (a proxy and its lead each: ~1 ms of the resolver's CPU per change beside 500 containers,
   * with its garbage). Else read whole, as of() takes it.
   */
  read(store: Store): DnsState {
    const read = ++this.reads;
    const containers: DnsContainer[] = [];
    let src: Source | undefined;
    let known = 0;
    const got = store.readLines((id, at, len, bytes) => {
      src ??= bufferSource(bytes);
      const was = this.byId.get(id);
      known++;
      const same = was?.src?.loaded && was.len === len && was.src.loaded.compare(bytes, at, at + len, was.at, was.at + len) === 0;
      const view = same ? was!.view : dnsFields(parseRecordLine(bytes.toString('latin1', at, at + len)));
      keep(this.byId, id, was, view, read, undefined, src, at, len);
      containers.push(view);
    });
    if (!got) return this.of(store.read());
    this.forget(read, known);
    return { networks: got.state.networks, containers };
  }

  of(state: State): DnsState {
    const read = ++this.reads;
    let known = 0;
    const containers = state.containers.map((c) => {
      // where the line lies in the file's bytes: compared there, where a string of each line cost
      // ~4 ms of every change beside 500 containers, and a Buffer of each ~1 ms with its garbage
      const place = placeOf(c);
      const text = place ? undefined : lineOf(c);
      if (!place && text === undefined) return dnsFields(c);
      const was = this.byId.get(c.id);
      known++;
      const same = was && (place ? was.src !== undefined && sameLineBytes(was, place) : was.text === text);
      const view = same ? was!.view : dnsFields(c);
      keep(this.byId, c.id, was, view, read, text, place?.src, place?.at ?? 0, place?.len ?? 0);
      return view;
    });
    this.forget(read, known);
    return { networks: state.networks, containers };
  }

  /** The records gone since the last read. */
  private forget(read: number, known: number): void {
    if (known < this.byId.size) for (const [id, e] of this.byId) if (e.seen !== read) this.byId.delete(id);
  }
}

/** Notes what a record's line was (in place: no object per record and read). */
function keep(byId: Map<string, Kept>, id: string, was: Kept | undefined, view: DnsContainer, seen: number, text: string | undefined, src: Source | undefined, at: number, len: number): void {
  if (!was) {
    byId.set(id, { view, seen, text, src, at, len });
    return;
  }
  was.view = view;
  was.seen = seen;
  was.text = text;
  was.src = src;
  was.at = at;
  was.len = len;
}

/** A record's line, as the store wrote it. */
function parseRecordLine(line: string): DnsContainer {
  try {
    return JSON.parse(line) as DnsContainer;
  } catch (e) {
    throw new StoreError(`a record of the state file is corrupt (${(e as Error).message})`, e);
  }
}

const dnsFields = (c: DnsContainer): DnsContainer => ({
  id: c.id, name: c.name, netns: c.netns, running: c.running, dns: c.dns,
  endpoints: (c.endpoints ?? []).map((e) => ({ networkId: e.networkId, ipAddress: e.ipAddress, aliases: e.aliases })),
});

