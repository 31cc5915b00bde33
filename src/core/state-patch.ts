// The store a command will write, as changes to the one it found: what its journal needs to
// finish it after a crash (engine/journal.ts), at the size of the change, not of the store (a
// whole store of 500 containers is 600 KB to serialise and sync before an `rm`'s first step).
// Records are compared by reference: a plan keeps the objects it does not change. Pure.
import type { ContainerRecord, NetworkRecord, State } from './model.js';
import { piecesOver } from './record-list.js';

/** A run of the old list kept as it was: its records `from` to `to` (excluded), with the first's and the last's ids to check the list it is applied to. */
type KeptRun = [from: number, to: number, firstId: string, lastId: string];

interface ListPatch<T> {
  /**
   * The new list, in order: runs of the old list's records kept as they were, and the ids of the
   * others (in `changed`). Beside 500 containers an id each was ~33 KB of every `rm`'s journal,
   * written and synced before its first step.
   */
  list?: (KeptRun | string)[];
  /** The new list, in order, by id: the journals of earlier builds. */
  ids?: string[];
  /** Its records that are not, as they are, in the old list. */
  changed: T[];
}

export interface StatePatch {
  /** The new state's keys in order (its text is fingerprinted), and its fields other than the two lists. */
  keys: string[];
  fields: Record<string, unknown>;
  networks: ListPatch<NetworkRecord>;
  containers: ListPatch<ContainerRecord>;
}

function diffList<T extends { id: string }>(before: T[], after: T[]): ListPatch<T> {
  const list: (KeptRun | string)[] = [];
  const changed: T[] = [];
  // a list edited from the one the store read says so itself, without a record made for each
  const pieces = piecesOver(after, before);
  if (pieces) {
    for (const p of pieces) {
      if (Array.isArray(p)) {
        const [from, to] = p as readonly [number, number];
        list.push([from, to, before[from].id, before[to - 1].id]);
      } else {
        changed.push(p as T);
        list.push((p as T).id);
      }
    }
    return { list, changed };
  }
  let run: [number, number] | null = null;
  const endRun = () => {
    if (run) list.push([run[0], run[1], before[run[0]].id, before[run[1] - 1].id]);
    run = null;
  };
  // where the next record most likely stands in `before`: just after the one before it (a plan
  // keeps the records it does not change, in order). Looked for through the whole list (by
  // reference, natively) only when it is not there: a map of 500 records cost ~50 KB of every
  // command beside 500 containers, and a hash made for each.
  let hint = 0;
  for (const r of after) {
    const i = before[hint] === r ? hint : before.indexOf(r);
    if (i < 0) {
      endRun();
      changed.push(r);
      list.push(r.id);
      continue;
    }
    hint = i + 1;
    if (run && run[1] === i) {
      run[1]++;
    } else {
      endRun();
      run = [i, i + 1];
    }
  }
  endRun();
  return { list, changed };
}

function applyList<T extends { id: string }>(before: T[], patch: ListPatch<T>, what: string): T[] {
  if (!patch.list) return applyIds(before, patch.ids ?? [], patch.changed, what);
  const changed = new Map(patch.changed.map((r) => [r.id, r]));
  const out: T[] = [];
  for (const e of patch.list) {
    if (typeof e === 'string') {
      const r = changed.get(e);
      if (!r) throw new Error(`the journal names ${what} ${e} and does not hold it`);
      out.push(r);
      continue;
    }
    const [from, to, first, last] = e;
    if (!(from >= 0 && from < to && to <= before.length) || before[from].id !== first || before[to - 1].id !== last) {
      throw new Error(`the journal keeps ${what} ${first}${first === last ? '' : ` to ${last}`}, which the store does not have where it says`);
    }
    for (let i = from; i < to; i++) out.push(before[i]);
  }
  return out;
}

function applyIds<T extends { id: string }>(before: T[], ids: string[], changed: T[], what: string): T[] {
  const byId = new Map(before.map((r) => [r.id, r]));
  for (const r of changed) byId.set(r.id, r);
  return ids.map((id) => {
    const r = byId.get(id);
    if (!r) throw new Error(`the journal names ${what} ${id}, which the store does not have`);
    return r;
  });
}

export function diffState(before: State, after: State): StatePatch {
  const { networks, containers, ...fields } = after;
  return { keys: Object.keys(after), fields, networks: diffList(before.networks, networks), containers: diffList(before.containers, containers) };
}

/** The state `diffState(before, after)` was made from, given `before` (equal, not the same objects). */
export function applyStatePatch(before: State, patch: StatePatch): State {
  const lists: Record<string, unknown> = {
    networks: applyList(before.networks, patch.networks, 'network'),
    containers: applyList(before.containers, patch.containers, 'container'),
  };
  return Object.fromEntries(patch.keys.map((k) => [k, k in lists ? lists[k] : patch.fields[k]])) as unknown as State;
}
