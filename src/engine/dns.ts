// The engine's side of the embedded resolver (src/dns): start it before a container that needs it
// runs, stop it when no container does. Loaded lazily: most commands never touch DNS.
import type { ContainerRecord, State } from '../core/model.js';
import type { Step } from '../core/steps.js';

export async function ensureDns(next: State): Promise<void> {
  const { ensureDnsRunning } = await import('../dns/supervisor.js');
  await ensureDnsRunning({ state: next });
}

export async function stopDnsIfUnused(next: State): Promise<void> {
  const { stopDnsIfUnused: stop } = await import('../dns/supervisor.js');
  stop({ state: next });
}

/**
 * Before the container's process starts: the store records it as running so the resolver opens
 * its socket in the namespace, and the step waits (bounded) until it answers there, so the
 * process's first lookup already works (the transaction's host does it, see transaction.ts).
 * Its undo puts the store back.
 */
export const dnsReadyStep = (ctr: ContainerRecord): Step => ({ op: 'dns.ready', netns: ctr.netns, id: ctr.id });
