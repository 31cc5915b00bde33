// The state as the read-only commands (ls, inspect, ps, port, logs, exec) see it. On the common
// path this is one file read: no lock (the store is replaced atomically), no kernel, no engine.
// Only on a fresh host, or after a reboot, does it first lay down what every command expects
// (base chains, default networks, restored networks) through a transaction.
import type { State } from '../core/model.js';
import { createContext } from './context.js';
import { firewallMarker } from './firewall-base.js';
import { Store } from './store.js';

/** The kernel holds what the state describes: base chains for this boot and namespace, default networks. */
function inPlace(state: State): boolean {
  return state.networks.some((n) => n.predefined) && state.firewallMarker === firewallMarker();
}

export async function readState(): Promise<State> {
  const state = new Store().read();
  if (inPlace(state)) return state;
  const [{ transact }, ctx] = await Promise.all([import('./transaction.js'), createContext()]);
  try {
    await transact(ctx, (s) => ({ steps: [], next: s, result: undefined }));
    return ctx.store.read();
  } finally {
    ctx.kernel.close();
  }
}
