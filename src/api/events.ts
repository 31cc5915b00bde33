// Docker's events, derived from the store: whichever door changed it (this service, the CLI, a
// CNI runtime, a container's exit), the service compares the state before and after and says
// what happened, in Docker's order and JSON shape. Kept in a ring for `since`, and sent to every
// open /events stream.
import { statSync, watch, type FSWatcher } from 'node:fs';
import type { ContainerRecord, NetworkRecord, State } from '../core/model.js';
import { emptyState } from '../core/model.js';
import { recordedExit } from '../engine/container/exit-codes.js';

export interface DockerEvent {
  Type: 'container' | 'network';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
  /** The legacy fields container events still carry. */
  status?: string;
  id?: string;
  from?: string;
}

type Listener = (e: DockerEvent) => void;
type ChangeListener = (s: State) => void;

/** A container event as dockerd says it: its labels, then `extra`, then image and name. */
export function containerEvent(c: ContainerRecord, action: string, extra: Record<string, string> = {}): Omit<DockerEvent, 'time' | 'timeNano' | 'scope'> {
  return { status: action, id: c.id, from: c.image, Type: 'container', Action: action, Actor: { ID: c.id, Attributes: { ...(c.labels ?? {}), ...extra, image: c.image, name: c.name } } };
}

/** What changed from `a` to `b`, as Docker would have said it (times added by the caller). */
export function diffEvents(a: State, b: State, exitOf: (id: string) => number | undefined = () => undefined): Omit<DockerEvent, 'time' | 'timeNano' | 'scope'>[] {
  const out: Omit<DockerEvent, 'time' | 'timeNano' | 'scope'>[] = [];
  const nets = (s: State) => new Map(s.networks.map((n) => [n.id, n]));
  const ctrs = (s: State) => new Map(s.containers.map((c) => [c.id, c]));
  const [na, nb, ca, cb] = [nets(a), nets(b), ctrs(a), ctrs(b)];
  const network = (n: NetworkRecord, action: string, container?: string) => {
    out.push({ Type: 'network', Action: action, Actor: { ID: n.id, Attributes: { ...(container ? { container } : {}), name: n.name, type: n.driver } } });
  };
  const container = (c: ContainerRecord, action: string, extra: Record<string, string> = {}) => out.push(containerEvent(c, action, extra));
  const endpoints = (c: ContainerRecord | undefined) => new Set(c?.endpoints.map((e) => e.networkId) ?? []);
  // what appears: networks, containers, their connections, their starts
  for (const n of nb.values()) if (!na.has(n.id)) network(n, 'create');
  for (const c of cb.values()) if (!ca.has(c.id)) container(c, 'create');
  for (const c of cb.values()) {
    const before = endpoints(ca.get(c.id));
    for (const id of endpoints(c)) if (!before.has(id) && nb.has(id)) network(nb.get(id)!, 'connect', c.id);
  }
  for (const c of cb.values()) if (c.running && !ca.get(c.id)?.running) container(c, 'start');
  // what goes: exits, disconnections, containers, networks
  for (const c of ca.values()) {
    const now = cb.get(c.id);
    if (c.running && !now?.running) container(c, 'die', { exitCode: String(now?.exitCode ?? exitOf(c.id) ?? 137) });
  }
  for (const c of ca.values()) {
    const after = endpoints(cb.get(c.id));
    for (const id of endpoints(c)) if (!after.has(id) && na.has(id)) network(na.get(id)!, 'disconnect', c.id);
  }
  for (const c of ca.values()) if (!cb.has(c.id)) container(c, 'destroy');
  for (const n of na.values()) if (!nb.has(n.id)) network(n, 'destroy');
  return out;
}

const RING = 1024;

/** The service's event log: follows the store, keeps the last RING events, feeds the streams. */
export class EventLog {
  private last: State;
  private readonly ring: DockerEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly changes = new Set<ChangeListener>();
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The store file last read (inode, size, mtime): a store replaced is a new inode. */
  private seen: string | null = null;

  constructor(private readonly read: () => State, private readonly dir: string) {
    this.seen = fileIdentity(`${dir}/state.json`);
    this.last = safeRead(read);
  }

  /** Watches the store's directory: a rename onto state.json is a change. */
  start(): void {
    this.watcher = watch(this.dir, (_, file) => {
      if (file !== 'state.json' || this.timer) return;
      // a burst of writes (a transaction's journal, then the store) is read once
      this.timer = setTimeout(() => {
        this.timer = null;
        this.refresh();
      }, 5);
    });
  }

  stop(): void {
    this.watcher?.close();
    if (this.timer) clearTimeout(this.timer);
  }

  /**
   * Reads the store now and says what changed since the last read. A request's own refresh and
   * the watcher's that follows it see one file: the second is a stat, not a read.
   */
  refresh(): void {
    const seen = fileIdentity(`${this.dir}/state.json`);
    if (seen !== null && seen === this.seen) return;
    let next: State;
    let events: ReturnType<typeof diffEvents>;
    try {
      next = this.read();
      // records parse when first read: a corrupt line fails here, not in the caller
      events = diffEvents(this.last, next, recordedExit);
    } catch {
      return; // unreadable: keep the last view (no false destroy events), try at the next change
    }
    this.seen = seen;
    for (const e of events) this.say(e);
    this.last = next;
    for (const l of this.changes) l(next);
  }

  /** The store as last read. */
  current(): State {
    return this.last;
  }

  /** Called with the store after each change seen. */
  onChange(l: ChangeListener): () => void {
    this.changes.add(l);
    return () => this.changes.delete(l);
  }

  /** Events Docker's API has no store change for (kill, stop): said by the handler. */
  say(e: Omit<DockerEvent, 'time' | 'timeNano' | 'scope'>): void {
    const nowMs = Date.now();
    this.push({ ...e, scope: 'local', time: Math.floor(nowMs / 1000), timeNano: nowMs * 1_000_000 });
  }

  private push(e: DockerEvent): void {
    this.ring.push(e);
    if (this.ring.length > RING) this.ring.shift();
    for (const l of this.listeners) l(e);
  }

  /** The kept events from `sinceNano` on. */
  since(sinceNano: number): DockerEvent[] {
    return this.ring.filter((e) => e.timeNano >= sinceNano);
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

function fileIdentity(file: string): string | null {
  try {
    const st = statSync(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    return null;
  }
}

function safeRead(read: () => State): State {
  try {
    return read();
  } catch {
    return emptyState();
  }
}
