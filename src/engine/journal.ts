// The write-ahead journal of a mutating command. Before its first step a command records, whole
// and fsync'd (journal.json), its plan (steps as data) and, when it may be rolled forward, the
// store it will write as changes to the one on disk (core/state-patch.ts); before each step it
// appends the step's observed inverse (journal.log: one JSON line, a write() that outlives a
// SIGKILL), and before writing the store, the identity of the store file it replaces (the write
// is a rename of a new file onto it: another inode). Whoever takes the lock next and finds a
// journal finishes the command:
// - completed (the store file is no longer the one recorded): the journal is dropped;
// - past its point of no return (a kill: rm -f, stop, restart): rolled forward, its remaining
//   steps applied and its store written;
// - otherwise rolled back: the recorded inverses applied, last first, and the old store written.
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { StoreError } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';
import type { State } from '../core/model.js';
import { parseState } from '../core/state-schema.js';
import { applyStatePatch, type StatePatch } from '../core/state-patch.js';
import { explain, type Step } from '../core/steps.js';
import { FIREWALL_BACKENDS, type FirewallBackendName } from '../core/firewall/parts.js';
import { loadFirewallBackend } from '../firewall/index.js';
import { applyStep, type StepHost } from '../kernel/ops.js';
import { overlapsFirewall, undoSteps } from './steps.js';
import { deletedRulePositions, restoreFirewallPositions } from './system/firewall.js';
import type { RulePosition } from '../core/firewall/iptables/order.js';
import { Store, writeFileWhole } from '../store/store.js';
import { layoutSize } from '../store/layout.js';

export interface Journal {
  /** 3: firewall steps carry neutral parts, applied by `firewallBackend`. */
  version: 3;
  /** The command line, for the one line said when it is finished. */
  command: string;
  /**
   * The backend the command's firewall steps ran on: its rollback undoes them there, even if
   * /etc/pont/config.json has changed since.
   */
  firewallBackend: FirewallBackendName;
  /**
   * The store before the command: only in journals of a pont whose readiness step wrote the
   * store before the end; otherwise the store on disk is it until the command commits.
   */
  before?: State;
  /** The store the command writes, whole: journals of earlier builds (now afterPatch). */
  after?: State;
  /** The store the command writes, as changes to the one it found: only when it may be rolled forward (a kill, an exit). */
  afterPatch?: StatePatch;
  steps: Step[];
  /** The index of the first step that cannot be undone (a kill), if any. */
  pointOfNoReturn?: number;
  /** Journals of earlier builds: pont's rules as iptables-save showed them before the first step. */
  firewall?: string;
  /**
   * Where each rule the command deletes stood (iptables): a rollback puts them back there. What
   * this build writes instead of `firewall`, a few lines where that was every rule of pont's.
   */
  firewallPositions?: RulePosition[];
}

interface Progress {
  i: number;
  inverse: Step[];
}

/**
 * The last line, written just before the store: the identity of the store file the write
 * replaces (Store.identityNow). Journals of earlier builds have `commit` instead, the sha256 of
 * the store written: hashing it (and loading node:crypto, ~3 ms) on every command cost more
 * than a stat, for an answer no better.
 */
type Commit = { replaces: string; size?: number } | { commit: string };


export const describeCommand = (argv = process.argv.slice(2)) => ['pont', ...argv].join(' ');

export interface JournalWriter {
  step(i: number, inverse: Step[]): void;
  /** Just before the store is written: the identity of the file it replaces, and the new file's size. */
  commit(replaces: string, size: number): void;
}

/** Records the command before its first step; returns the recorder of its progress. */
export function writeJournal(store: Store, j: Journal): JournalWriter {
  rmSync(store.journalLogFile, { force: true });
  writeFileWhole(store.journalFile, JSON.stringify(j));
  return { step: (i, inverse) => appendLog(store, { i, inverse }), commit: (replaces, size) => appendLog(store, { replaces, size }) };
}

/** Appends `line` to the journal's log; `ownLine`: after a newline if the last line lacks one (cut short by a crash). */
function appendLog(store: Store, line: Progress | Commit, ownLine = false): void {
  try {
    let sep = '';
    if (ownLine) {
      try {
        const log = readFileSync(store.journalLogFile, 'latin1');
        if (log !== '' && !log.endsWith('\n')) sep = '\n';
      } catch {
        // no step had started
      }
    }
    appendFileSync(store.journalLogFile, `${sep}${JSON.stringify(line)}\n`, { mode: 0o600 });
  } catch (e) {
    throw new StoreError(`cannot write ${store.journalLogFile}: ${(e as Error).message}`, e);
  }
}

/**
 * The links a crashed command's journal makes, which its rollback deletes: a dry run, which does
 * not roll it back first, still finds them in the kernel.
 */
export function linksOfPendingJournal(store: Store): Set<string> {
  const found = readJournal(store);
  if (!found || isCommitted(store, found)) return new Set();
  return new Set(found.journal.steps.flatMap((s) => (s.op === 'bridge.add' ? [s.name] : [])));
}

/**
 * In a crashed command's journal, the store write its roll-forward is about to make, as the
 * command's own commit line says its write: killed between that write and the journal's removal,
 * the next recovery finds the write made. Without it, that recovery would roll forward again and
 * apply the command's patch to the store it had already changed (a removal's positions no longer
 * fit: every later command failed until the journal was moved aside).
 */
function noteRecoveryWrite(store: Store, size: number): void {
  appendLog(store, { replaces: store.identityNow(), size }, true);
}

export function dropJournal(store: Store): void {
  rmSync(store.journalFile, { force: true });
  rmSync(store.journalLogFile, { force: true });
}

export interface FoundJournal {
  journal: Journal;
  progress: Progress[];
  /** The identity of the store file the command was about to replace, if it got that far. */
  replaces?: string;
  /** The size of the store it was about to write. */
  size?: number;
  /** From an earlier build's journal: the sha256 of the store it was about to write. */
  commit?: string;
}

export function readJournal(store: Store): FoundJournal | null {
  let text: string;
  try {
    text = readFileSync(store.journalFile, 'utf8');
  } catch {
    return null;
  }
  try {
    const j = JSON.parse(text) as Journal;
    if (j.version !== 3 || !Array.isArray(j.steps) || !FIREWALL_BACKENDS.includes(j.firewallBackend)) throw new Error(`journal version ${String(j.version)} is not this pont's`);
    const journal = { ...j, ...(j.before ? { before: parseState(j.before) } : {}), ...(j.after ? { after: parseState(j.after) } : {}) };
    let log = '';
    try {
      log = readFileSync(store.journalLogFile, 'utf8');
    } catch {
      // no step had started
    }
    // a line cut short by the crash is the step that never started
    const progress: Progress[] = [];
    let commit: string | undefined;
    let replaces: string | undefined;
    let size: number | undefined;
    for (const line of log.split('\n')) {
      if (!line) continue;
      let entry: Progress | Commit;
      try {
        entry = JSON.parse(line) as Progress | Commit;
      } catch {
        // the command's last line, cut short; only a recovery's commit can follow it (noteRecoveryWrite)
        continue;
      }
      if ('replaces' in entry) {
        replaces = entry.replaces;
        size = entry.size;
      }
      else if ('commit' in entry) commit = entry.commit;
      else progress.push(entry);
    }
    return { journal, progress, ...(replaces ? { replaces, ...(size !== undefined ? { size } : {}) } : {}), ...(commit ? { commit } : {}) };
  } catch (e) {
    throw new StoreError(`journal ${store.journalFile} is corrupt (${(e as Error).message}); move it aside, then run pont system check`, e);
  }
}

/** Whether the crashed command had written its store (crashed before dropping its journal). */
export function isCommitted(store: Store, found: FoundJournal): boolean {
  if (found.replaces !== undefined) {
    // another file than the one replaced, and of the size written: a file moved aside, or
    // edited, after the crash is not taken for the command's write
    const now = store.identityNow();
    return now !== found.replaces && now !== 'none' && (found.size === undefined || store.sizeNow() === found.size);
  }
  const bytes = found.commit !== undefined ? store.readBytes() : null;
  return bytes !== null && sha256Hex(bytes) === found.commit;
}

/** The store a command rolled forward writes (`current`: the store it found, still on disk), if its journal has it. */
export function journalAfter(j: Journal, current: () => State): State | undefined {
  return j.after ?? (j.afterPatch ? parseState(applyStatePatch(current(), j.afterPatch)) : undefined);
}

/** Whether the crashed command had started its point of no return: it is then finished, not undone. */
export function rollsForward({ journal, progress }: FoundJournal): boolean {
  const last = progress.length ? progress[progress.length - 1].i : -1;
  return journal.pointOfNoReturn !== undefined && last >= journal.pointOfNoReturn;
}

/** Finishes a crashed command, if any. Returns the line to say, or null when there was none. */
export async function recoverJournal(store: Store, host: StepHost): Promise<string | null> {
  const found = readJournal(store);
  if (!found) return null;
  const { journal: j, progress } = found;
  // the store as the command found it: recorded, or else still on disk (it had not committed)
  const before = j.before ?? store.read();
  const firewall = j.firewallBackend === host.firewall.name ? host.firewall : await loadFirewallBackend(j.firewallBackend);
  const h: StepHost = { ...host, firewall, services: { ...host.services, restoreStore: () => store.write(before) } };
  if (isCommitted(store, found)) {
    dropJournal(store);
    return `pont: '${j.command}' was interrupted after it had completed; nothing to undo`;
  }
  const last = progress.length ? progress[progress.length - 1].i : -1;
  if (rollsForward(found)) {
    // the step that was running may have happened: it runs again (every teardown step tolerates
    // what is gone), then the rest; what fails is left for `pont system check` to name. A
    // firewall batch may still have been landing under the teardown recorded after it (the
    // runner overlaps them, steps.ts; a Ctrl-C kills its process too): from that batch, then
    const failed: string[] = [];
    for (const s of j.steps.slice(landingFrom(j.steps, last))) {
      try {
        await applyStep(h, s);
      } catch (e) {
        failed.push(`${explain(s, h.firewall.name).join('; ')}: ${(e as Error).message}`);
      }
    }
    const after = journalAfter(j, () => before);
    if (after) {
      const layout = Store.layout(after);
      noteRecoveryWrite(store, layoutSize(layout));
      store.write(after, layout);
    }
    dropJournal(store);
    return `pont: finished '${j.command}', which was interrupted after its point of no return${failed.length ? ` (not done: ${failed.join(' | ')})` : ''}`;
  }
  // an incomplete undo throws and keeps the journal: the next command tries again
  await undoSteps(h, progress.reverse().flatMap((p) => p.inverse));
  // a journal of an earlier build has the order of every rule of pont's: the positions come from it
  await restoreFirewallPositions(h, j.firewallPositions ?? deletedRulePositions(j.firewallBackend, j.firewall ?? null, j.steps));
  if (j.before) store.write(j.before);
  dropJournal(store);
  return `pont: rolled back '${j.command}', which was interrupted before it finished`;
}

/**
 * The step from which a roll-forward runs again: `last`, or the rule deletion that the teardown
 * up to `last` may have overlapped (a deletion runs again harmlessly: what is gone is skipped; an
 * addition that did not land is the next command's repair to make, as after any crash).
 */
export function landingFrom(steps: readonly Step[], last: number): number {
  let i = last;
  while (i > 0 && overlapsFirewall(steps[i])) i--;
  return i >= 0 && i < last && steps[i].op === 'fw.del' ? i : last;
}
