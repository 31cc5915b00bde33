// The store a command will write, as changes to the one it found: what its journal needs to
// finish it after a crash (engine/journal.ts), at the size of the change, not of the store (a
// whole store of 500 containers is 600 KB to serialise and sync before an `rm`'s first step).
// Records are compared by reference: a plan keeps the objects it does not change. Pure.
import type { ContainerRecord, NetworkRecord, State } from './model.js';

interface ListPatch<T> {
  /** The new list, in order, by id. */
  ids: string[];
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
  const kept = new Set(before);
  return { ids: after.map((r) => r.id), changed: after.filter((r) => !kept.has(r)) };
}

function applyList<T extends { id: string }>(before: T[], patch: ListPatch<T>, what: string): T[] {
  const byId = new Map(before.map((r) => [r.id, r]));
  for (const r of patch.changed) byId.set(r.id, r);
  return patch.ids.map((id) => {
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
