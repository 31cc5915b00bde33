// The write-ahead journal of a mutating command. Before its first step, a command records the
// store as it was, the store it will write, and every kernel object and directory its steps will
// create; the record goes when the command is done (completed, or failed and undone). A journal
// still there means the command crashed: whoever takes the lock next finishes it first.
//
// Rolling back brings the kernel back to the store as it was: the objects the crashed command
// created (and that the old store does not own) are removed, with the processes it started in
// them, and the old store is written back; the command's prelude then restores what the old store
// describes and the kernel lacks (firewall rules, bridges). A command that had written its store
// is complete: the journal is dropped (rolled forward).
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import type { State } from '../core/model.js';
import { StoreError } from '../core/errors.js';
import { parseState } from '../core/state-schema.js';
import type { Kernel } from '../kernel/kernel.js';
import { procStat } from './process.js';
import type { Created, Step } from './steps.js';
import { type Store, writeFileWhole } from './store.js';

export interface Journal {
  version: 1;
  /** The command line, for the one line said when it is finished. */
  command: string;
  /** The crashed process's own start (clock ticks since boot): what it started began later. */
  pidStart: number;
  before: State;
  after: State;
  creates: Created[];
}

const journalFile = (store: Store) => `${store.dir}/journal.json`;

export const describeCommand = (argv = process.argv.slice(2)) => ['pont', ...argv].join(' ');

/**
 * Records the command before its first step. Only what does not exist yet is listed: a name that
 * is taken already (by pont or anyone) is never the rollback's to remove.
 */
export async function writeJournal(store: Store, k: Kernel, before: State, after: State, steps: Step[]): Promise<void> {
  const planned = steps.flatMap((s) => (s.creates ? [s.creates] : []));
  const links = planned.some((c) => c.kind === 'link') ? new Set((await k.listLinks()).map((l) => l.name)) : new Set<string>();
  const exists = (c: Created) => (c.kind === 'link' ? links.has(c.name) : c.kind === 'netns' ? k.netnsExists(c.name) : existsSync(c.name));
  const creates = planned.filter((c) => !exists(c));
  const j: Journal = { version: 1, command: describeCommand(), pidStart: procStat(process.pid)?.start ?? 0, before, after, creates };
  writeFileWhole(journalFile(store), JSON.stringify(j));
}

export function dropJournal(store: Store): void {
  rmSync(journalFile(store), { force: true });
}

export function readJournal(store: Store): Journal | null {
  let text: string;
  try {
    text = readFileSync(journalFile(store), 'utf8');
  } catch {
    return null;
  }
  try {
    const j = JSON.parse(text) as Journal;
    return { ...j, before: parseState(j.before), after: parseState(j.after), creates: Array.isArray(j.creates) ? j.creates : [] };
  } catch (e) {
    throw new StoreError(`journal ${journalFile(store)} is corrupt (${(e as Error).message}); move it aside, then run pont system check`, e);
  }
}

/** What the old store owns, which a rollback must leave in place. */
function ownedBy(state: State): Set<string> {
  const out = new Set<string>();
  for (const n of state.networks) {
    if (n.bridge) out.add(`link ${n.bridge}`);
    if (n.createdParent && n.parent) out.add(`link ${n.parent}`);
    if (n.shim) out.add(`link ${n.shim.ifname}`);
  }
  for (const c of state.containers) {
    if (c.netns) out.add(`netns ${c.netns}`).add(`dir /etc/netns/${c.netns}`);
    out.add(`dir /run/pont/containers/${c.id}`);
    for (const e of c.endpoints) if (e.hostIfname) out.add(`link ${e.hostIfname}`);
  }
  return out;
}

/**
 * Processes in namespace `name` that began after the crashed command did: the command started
 * them (the namespace is its own), so they are the only ones the rollback may kill.
 */
function processesIn(name: string, since: number): number[] {
  let ino: number;
  try {
    ino = statSync(`/run/netns/${name}`).ino;
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readlinkSync(`/proc/${pid}/ns/net`).includes(`[${ino}]`)) continue;
    } catch {
      continue;
    }
    const st = procStat(pid);
    if (st && st.start >= since) pids.push(pid);
  }
  return pids;
}

/** Finishes a crashed command, if any. Returns the line to say, or null when there was none. */
export async function recoverJournal(store: Store, k: Kernel): Promise<string | null> {
  const j = readJournal(store);
  if (!j) return null;
  if (JSON.stringify(store.read()) === JSON.stringify(j.after)) {
    dropJournal(store);
    return `pont: '${j.command}' was interrupted after it had completed; nothing to undo`;
  }
  const keep = ownedBy(j.before);
  const undo = j.creates.filter((c) => !keep.has(`${c.kind} ${c.name}`)).reverse();
  for (const c of undo) {
    if (c.kind !== 'netns') continue;
    for (const pid of processesIn(c.name, j.pidStart)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
  for (const c of undo) {
    if (c.kind === 'netns' && k.netnsExists(c.name)) await k.deleteNetns(c.name);
    if (c.kind === 'link') await k.deleteLink(c.name).catch(() => undefined);
    if (c.kind === 'dir') rmSync(c.name, { recursive: true, force: true });
  }
  store.write(j.before);
  dropJournal(store);
  return `pont: rolled back '${j.command}', which was interrupted before it finished`;
}
