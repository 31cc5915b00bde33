// The resolver daemon: one process serving every container namespace that needs DNS.
// It follows the store (watch.ts), brings the name index up to date on each change (names.ts,
// LiveIndex: the changed containers only), and reconciles its listeners with it: a listener per
// namespace of a container that takes part (scope.ts), reopened when the namespace under that
// name is a new one (different inode), closed when the container is gone. A namespace whose
// sockets cannot be opened yet (not made, already bound) is retried every 50 ms for its first
// seconds (a runtime brings lo up just after making the namespace), then at every poll.
// Forwarded queries leave from this process's own namespace.
// A `run` does not wait for its store: it asks for its namespace (ready.ts), served at once
// until the store names the container.
import { type FSWatcher, mkdirSync, statSync, watch } from 'node:fs';
import { NETNS_DIR, netnsPath } from '../kernel/netns.js';
import { DNS_ADDRESS, DNS_PORT, NamespaceListener } from './listeners.js';
import { type Asker, DnsView, type DnsState, LiveIndex, pendingAsker } from './names.js';
import { READY_DIR, takeReadyRequests } from './ready.js';
import { Forwarder, ResolvConf } from './upstream.js';
import { StoreWatcher } from './watch.js';
import type { RemoteEndpoint } from '../cluster/view.js';

export interface ResolverOptions {
  stateDir?: string;
  pollMs?: number;
  log?: (line: string) => void;
  /** Exit when this process is no longer our parent (the supervisor died). */
  parentPid?: number;
  onParentGone?: () => void;
}

const FAST_RETRY_MS = 50;
/**
 * Every this many polls, reconcile() checks each served namespace's inode as well (a stat each:
 * ~5 ms beside 500 containers). Between, a namespace made again under its name is caught by
 * the /run/netns watcher's event, or by a failed open's fast retries.
 */
const INODES_EVERY_POLLS = 10;
const FAST_RETRY_FOR_MS = 5000;
/** How long a readiness request is served without the store naming its container. */
const PENDING_MS = 10_000;

const nsInode = (netns: string): number | null => {
  try {
    return statSync(netnsPath(netns)).ino;
  } catch {
    return null;
  }
};

export class Resolver {
  private readonly live = new LiveIndex();
  private readonly view = new DnsView();
  private polls = 0;
  private readonly listeners = new Map<string, NamespaceListener>();
  /** open errors per namespace: logged once, not at every retry */
  private readonly failures = new Map<string, { why: string; since: number }>();
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly resolv = new ResolvConf();
  private readonly forwarder = new Forwarder({ upstreams: () => this.resolv.get() });
  private readonly watcher: StoreWatcher<DnsState>;
  private readonly log: (line: string) => void;
  private netnsWatcher: FSWatcher | null = null;
  private readyWatcher: FSWatcher | null = null;
  /** Namespaces asked for (ready.ts) whose container the store does not name yet. */
  private readonly pending = new Map<string, { asker: Asker; until: number }>();

  constructor(private readonly opts: ResolverOptions = {}) {
    this.log = opts.log ?? (() => {});
    this.watcher = new StoreWatcher<DnsState>({
      dir: opts.stateDir,
      pollMs: opts.pollMs,
      read: (store) => this.view.read(store),
      onState: (s, remote) => this.apply(s, remote),
      onTick: () => this.tick(),
      onError: (e) => this.log(`store not read, keeping the previous one: ${e.message}`),
    });
  }

  start(): void {
    this.resolv.refresh();
    this.log(`upstreams from ${this.resolv.path}: ${this.resolv.get().join(' ') || '(none: forwarded queries get SERVFAIL)'}`);
    this.watcher.start();
    // a deleted namespace stays alive while our sockets are in it (and its veths with it):
    // let go at once rather than at the next poll
    try {
      // the namespace named by the event only: a whole reconcile stats every namespace (~2 ms
      // beside 500 containers), and `run` waits for its own after making it
      this.netnsWatcher = watch(NETNS_DIR, { persistent: false }, (_event, name) => (name ? this.reconcileOne(String(name)) : this.reconcile()));
      this.netnsWatcher.on('error', () => {
        this.netnsWatcher?.close();
        this.netnsWatcher = null; // every poll checks the inodes from now on
      });
    } catch {
      this.netnsWatcher = null; // no /run/netns yet: the poll covers it
    }
    try {
      mkdirSync(READY_DIR, { recursive: true, mode: 0o755 });
      this.readyWatcher = watch(READY_DIR, { persistent: false }, () => this.takeRequests());
      this.readyWatcher.on('error', () => this.readyWatcher?.close());
    } catch {
      this.readyWatcher = null; // the poll covers it
    }
    this.takeRequests();
  }

  stop(): void {
    this.watcher.stop();
    this.netnsWatcher?.close();
    this.readyWatcher?.close();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const l of this.listeners.values()) l.close();
    this.listeners.clear();
    this.forwarder.close();
  }

  private apply(state: DnsState, remote: RemoteEndpoint[]): void {
    const changed = this.live.update(state, remote);
    for (const netns of this.pending.keys()) if (this.live.index.askers.has(netns)) this.pending.delete(netns);
    // a store change names containers, not namespaces made again: no inode to check
    if (changed === null) {
      this.reconcile({ inodes: false });
      return;
    }
    // only the namespaces whose asker changed: the others' listeners answer from the same index, changed in place
    for (const netns of changed) this.reconcileOne(netns, { inodes: false });
    this.scheduleFastRetry();
  }

  /** Serves the namespaces asked for at once, each with the names known now plus its container's. */
  private takeRequests(): void {
    for (const r of takeReadyRequests()) {
      const asker = pendingAsker(this.live.index, r.netns, r.networks, r.container);
      if (!asker) continue;
      this.pending.set(r.netns, { asker, until: Date.now() + PENDING_MS });
      const l = this.listeners.get(r.netns);
      if (l && nsInode(r.netns) === l.nsInode) {
        l.asker = asker;
        continue;
      }
      if (l) {
        l.close();
        this.listeners.delete(r.netns);
      }
      this.listen(r.netns, asker);
    }
  }

  /** The asker of a namespace: the store's, or a pending request's while it lasts. */
  private askerOf(netns: string): Asker | undefined {
    const a = this.live.index.askers.get(netns);
    if (a) return a;
    const p = this.pending.get(netns);
    if (p && Date.now() < p.until) return p.asker;
    this.pending.delete(netns);
    return undefined;
  }

  private tick(): void {
    if (this.resolv.refresh()) this.log(`upstreams now: ${this.resolv.get().join(' ') || '(none)'}`);
    this.takeRequests();
    this.reconcile({ inodes: this.netnsWatcher === null || ++this.polls % INODES_EVERY_POLLS === 0 });
    if (this.opts.parentPid !== undefined && process.ppid !== this.opts.parentPid) this.opts.onParentGone?.();
  }

  private reconcile(opts: { inodes: boolean } = { inodes: true }): void {
    // the namespaces without a listener first: a `run` is waiting for its own
    for (const [netns, asker] of this.live.index.askers) if (!this.listeners.has(netns)) this.listen(netns, asker);
    for (const netns of this.pending.keys()) {
      const asker = this.askerOf(netns);
      if (asker && !this.listeners.has(netns)) this.listen(netns, asker);
    }
    for (const [netns, l] of this.listeners) {
      const asker = this.askerOf(netns);
      if (asker && (!opts.inodes || nsInode(netns) === l.nsInode)) {
        l.asker = asker;
        continue;
      }
      l.close();
      this.listeners.delete(netns);
      this.log(`closed ${netns}`);
      // a namespace made again under the same name
      if (asker) this.listen(netns, asker);
    }
    for (const key of this.failures.keys()) if (!this.askerOf(key)) this.failures.delete(key);
    this.scheduleFastRetry();
  }

  /**
   * reconcile() for one namespace: served if asked for, let go if no longer, or if made again
   * (`inodes`: a store change names containers, not namespaces made again, and checks none).
   */
  private reconcileOne(netns: string, opts: { inodes: boolean } = { inodes: true }): void {
    const asker = this.askerOf(netns);
    const l = this.listeners.get(netns);
    if (l && asker && (!opts.inodes || nsInode(netns) === l.nsInode)) {
      l.asker = asker;
      return;
    }
    if (l) {
      l.close();
      this.listeners.delete(netns);
      this.log(`closed ${netns}`);
    }
    if (asker) this.listen(netns, asker);
    else this.failures.delete(netns);
  }

  private listen(netns: string, asker: Asker): void {
    if (nsInode(netns) === null) {
      this.noteFailure(netns, 'namespace not found');
      return;
    }
    try {
      const l = NamespaceListener.open(netns, this.forwarder.forward, DNS_ADDRESS, DNS_PORT);
      l.asker = asker;
      this.listeners.set(netns, l);
      this.failures.delete(netns);
      this.log(`serving ${netns}`);
    } catch (e) {
      this.noteFailure(netns, (e as Error).message);
    }
  }

  private noteFailure(netns: string, why: string): void {
    const prev = this.failures.get(netns);
    if (prev?.why === why) return;
    this.failures.set(netns, { why, since: prev?.since ?? Date.now() });
    this.log(`cannot serve ${netns} yet (${why}); retrying`);
  }

  private scheduleFastRetry(): void {
    if (this.retryTimer) return;
    const now = Date.now();
    if (![...this.failures.values()].some((f) => now - f.since < FAST_RETRY_FOR_MS)) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.reconcile();
    }, FAST_RETRY_MS);
  }
}
