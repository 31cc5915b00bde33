// Finding containers and networks as Docker does: full id, name (a container's with or without
// the leading "/"), then a unique id prefix.
import { daemonError } from '../core/errors.js';
import type { ContainerRecord, NetworkRecord, State } from '../core/model.js';
import { findByLead } from '../store/layout.js';

export function findContainer(state: State, ref: string): ContainerRecord | undefined {
  const name = ref.startsWith('/') ? ref.slice(1) : ref;
  // searched in the store's index where the records are as read (store/layout.ts)
  const exact = findByLead(state.containers, ['id', ref], ['name', name]);
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

/** A network: full id, exact name, then a unique id prefix. */
export function findNetwork(state: State, ref: string): NetworkRecord | undefined {
  const byId = state.networks.find((n) => n.id === ref);
  if (byId) return byId;
  const byName = state.networks.find((n) => n.name === ref);
  if (byName) return byName;
  const prefixed = state.networks.filter((n) => n.id.startsWith(ref));
  if (prefixed.length > 1) throw daemonError(`network ${ref} is ambiguous (${prefixed.length} matches found based on ID prefix)`);
  return prefixed[0];
}

