// What the store implies of the kernel, read from the same plans that made it: the firewall is
// the base layout plus every firewall part that creating each network and attaching each
// endpoint would add, in the store's order (the order they were made in). Check, reload and
// every mutating command compare this with the kernel, so the rules pont makes and the rules it
// repairs cannot drift apart, whichever backend writes them.
import type { FirewallPart } from '../../core/firewall/parts.js';
import type { State } from '../../core/model.js';
import { driverFor } from '../../drivers/registry.js';
import { firewallPartsOf, type Step } from '../../core/steps.js';

const partsOf = (steps: Step[]): FirewallPart[] => steps.flatMap(firewallPartsOf);

/**
 * `withBase`: a mutating command lays down the base chains even on a host where pont has made
 * nothing yet (its predefined networks are about to be made); a check there expects nothing.
 */
export function desiredFirewall(state: State, opts: { withBase?: boolean } = {}): FirewallPart[] {
  if (!state.networks.length && !opts.withBase) return [];
  const parts: FirewallPart[] = [{ kind: 'base' }];
  for (const n of state.networks) parts.push(...partsOf(driverFor(n.driver).planCreate(n)));
  for (const c of state.containers) {
    for (const ep of c.endpoints) {
      const net = state.networks.find((n) => n.id === ep.networkId);
      // an overlay endpoint has no firewall part (and its plan needs the cluster)
      if (net && net.driver !== 'overlay') parts.push(...partsOf(driverFor(net.driver).planAttach(net, c, ep)));
    }
  }
  return parts;
}
