// The firewall repair every mutating command starts with, and `pont system reload` applies on
// its own: one listing of the kernel's (iptables-save, or nft list table), then one batch that
// adds what a flush or a hand edit removed.
import type { State } from '../../core/model.js';
import type { Step } from '../../core/steps.js';
import type { FirewallBackend, FirewallInspection } from '../../firewall/backend.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { StepHost } from '../../kernel/ops.js';
import { desiredFirewall } from './desired.js';

export const inspectFirewall = (fw: FirewallBackend, k: Kernel, state: State, opts: { withBase?: boolean } = {}): Promise<FirewallInspection> =>
  fw.inspect(k, desiredFirewall(state, opts));

/** After a failed command's undo: pont's chains back in the order `order` (read before it) had. */
export const restoreFirewallOrder = (h: StepHost, state: State, order: string): Promise<void> =>
  h.firewall.restoreOrder(h.kernel, desiredFirewall(state, { withBase: true }), order);

/**
 * A step that repairs pont's firewall, or none when it is whole. Its undo is empty: a command
 * that fails after it leaves the repaired rules, which are what the store already said.
 * `saved` is what a failed command restores the order of (null when there is nothing to restore).
 */
export async function planFirewallRepair(fw: FirewallBackend, k: Kernel, state: State): Promise<{ steps: Step[]; saved: string | null }> {
  const { repair, order } = await inspectFirewall(fw, k, state, { withBase: true });
  return { saved: order, steps: repair ? [{ op: 'fw.repair', doc: repair.doc, explain: repair.explain }] : [] };
}
