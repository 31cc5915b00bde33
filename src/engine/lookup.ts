// Finding containers as Docker does: full id, name (with or without the leading "/"), then a
// unique id prefix.
import { daemonError } from '../core/errors.js';
import type { ContainerRecord, State } from '../core/model.js';

export function findContainer(state: State, ref: string): ContainerRecord | undefined {
  const name = ref.startsWith('/') ? ref.slice(1) : ref;
  const exact = state.containers.find((c) => c.id === ref || c.name === name);
  if (exact) return exact;
  const prefixed = state.containers.filter((c) => c.id.startsWith(ref));
  if (prefixed.length > 1) throw daemonError(`multiple IDs found with provided prefix: ${ref}`);
  return prefixed[0];
}

export function mustFindContainer(state: State, ref: string): ContainerRecord {
  const c = findContainer(state, ref);
  if (!c) throw daemonError(`No such container: ${ref}`, 'not-found');
  return c;
}
