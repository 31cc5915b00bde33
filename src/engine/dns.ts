// The engine's side of the embedded resolver (src/dns): start it before a container that needs it
// runs, stop it when no container does. Loaded lazily: most commands never touch DNS.
import type { ContainerRecord, State } from '../core/model.js';
import type { Step } from './steps.js';
import type { Store } from './store.js';

export async function ensureDns(next: State): Promise<void> {
  const { ensureDnsRunning } = await import('../dns/supervisor.js');
  await ensureDnsRunning({ state: next });
}

export async function stopDnsIfUnused(next: State): Promise<void> {
  const { stopDnsIfUnused: stop } = await import('../dns/supervisor.js');
  stop({ state: next });
}

/**
 * Before the container's process starts: record it as running so the resolver opens its socket
 * in the namespace, and wait (bounded) until it answers there, so the process's first lookup
 * already works. Undo puts the store back.
 */
export function dnsReadyStep(store: Store, before: State, during: State, ctr: ContainerRecord): Step {
  return {
    explain: () => [`# pont dns: answer on 127.0.0.11:53 in ${ctr.netns}`],
    explainUndo: () => [],
    apply: async () => {
      const { ensureDnsRunning } = await import('../dns/supervisor.js');
      const { storeNeedsDns } = await import('../dns/scope.js');
      if (!storeNeedsDns(during)) return;
      store.write(during);
      await ensureDnsRunning({ state: during, waitForNetns: ctr.netns });
    },
    undo: async () => store.write(before),
  };
}
