// What the store implies of the kernel, read from the same plans that made it: the firewall is
// the base layout plus every firewall batch that creating each network and attaching each
// endpoint would apply, replayed in the store's order (the order they were made in). Check,
// reload and every mutating command compare this with the kernel, so the rules pont makes and
// the rules it repairs cannot drift apart.
import { baseLayout } from '../../core/firewall/layout.js';
import { replay, type DesiredFirewall } from '../../core/firewall/reconcile.js';
import type { FirewallBatch } from '../../core/firewall/rules.js';
import type { State } from '../../core/model.js';
import { driverFor } from '../../drivers/registry.js';
import { firewallBatchOf, type Step } from '../../core/steps.js';

const batchesOf = (steps: Step[]): FirewallBatch[] => steps.flatMap((s) => firewallBatchOf(s) ?? []);

/**
 * `withBase`: a mutating command lays down the base chains even on a host where pont has made
 * nothing yet (its predefined networks are about to be made); a check there expects nothing.
 */
export function desiredFirewall(state: State, opts: { withBase?: boolean } = {}): DesiredFirewall {
  if (!state.networks.length && !opts.withBase) return replay([]);
  const batches: FirewallBatch[] = [baseLayout()];
  for (const n of state.networks) batches.push(...batchesOf(driverFor(n.driver).planCreate(n)));
  for (const c of state.containers) {
    for (const ep of c.endpoints) {
      const net = state.networks.find((n) => n.id === ep.networkId);
      if (net) batches.push(...batchesOf(driverFor(net.driver).planAttach(net, c, ep)));
    }
  }
  return replay(batches);
}
