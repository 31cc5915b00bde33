// The state as the read-only commands (ls, inspect, ps, port, logs, exec) see it. They change
// nothing, in the kernel or in the store: no lock, no write, no step. On the common path this is
// one file read. On a fresh host, or after a reboot, the kernel is only read to show what the
// next mutating command will record: the predefined networks (with the ids it will give them,
// see defaults.ts) and the containers that died with the previous boot.
import { existsSync } from 'node:fs';
import type { State } from '../core/model.js';
import { firewallMarker } from './firewall-base.js';
import { Store } from '../store/store.js';

export async function readState(): Promise<State> {
  const store = new Store();
  const state = (await pendingRollback(store)) ?? store.read();
  const current = state.firewallMarker === firewallMarker();
  if (current && state.networks.some((n) => n.predefined)) return state;
  const [{ NetlinkKernel }, { planWorld }] = await Promise.all([import('../kernel/netlink-kernel.js'), import('./world.js')]);
  const kernel = new NetlinkKernel();
  try {
    return (await planWorld(kernel, state, { restore: !current })).state;
  } finally {
    kernel.close();
  }
}

/**
 * A crashed command's journal: the state it will be rolled back (or forward) to, said once on
 * stderr. Finishing it is the next mutating command's (a read-only command changes nothing).
 */
async function pendingRollback(store: Store): Promise<State | null> {
  // Most reads find no journal: its module (hashing, the step machinery) loads only for one.
  if (!existsSync(store.journalFile)) return null;
  const { isCommitted, journalAfter, readJournal, rollsForward } = await import('./journal.js');
  const found = readJournal(store);
  if (!found || isCommitted(store, found)) return null;
  const { journal: j } = found;
  if (rollsForward(found)) {
    process.stderr.write(`pont: '${j.command}' was interrupted after its point of no return; the next mutating command finishes it (shown here as after it)\n`);
    return journalAfter(j, () => store.read()) ?? store.read();
  }
  process.stderr.write(`pont: '${j.command}' was interrupted; the next mutating command rolls it back (shown here as before it)\n`);
  return j.before ?? store.read();
}
