// The firewall repair every mutating command starts with, and `pont system reload` applies on
// its own: one iptables-save, then one batch that adds what a flush or a hand edit removed.
import { diffFirewall, explainRepair, isCleanDiff, renderOrderRestore, renderRepair, type FirewallDiff } from '../../core/firewall/reconcile.js';
import type { State } from '../../core/model.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Step } from '../../core/steps.js';
import { desiredFirewall } from './desired.js';

export async function diffKernelFirewall(k: Kernel, state: State, opts: { withBase?: boolean } = {}): Promise<{ diff: FirewallDiff; repair: string; explain: string[]; saved: string }> {
  const want = desiredFirewall(state, opts);
  const saved = await k.saveFirewall();
  const diff = diffFirewall(want, saved);
  return { diff, repair: renderRepair(want, diff), explain: explainRepair(want, diff), saved };
}

/** After a failed command's undo: pont's chains back in the order `saved` (read before it) had. */
export async function restoreFirewallOrder(k: Kernel, state: State, saved: string): Promise<void> {
  const doc = renderOrderRestore(desiredFirewall(state, { withBase: true }), saved, await k.saveFirewall());
  if (doc) await k.restoreFirewall(doc);
}

/**
 * A step that repairs pont's firewall, or none when it is whole. Its undo is empty: a command
 * that fails after it leaves the repaired rules, which are what the store already said.
 */
export async function planFirewallRepair(k: Kernel, state: State): Promise<{ steps: Step[]; saved: string | null }> {
  const { diff, repair, explain, saved } = await diffKernelFirewall(k, state, { withBase: true });
  // `saved` is what a failed command restores the order of; after a repair it is not the kernel's
  if (isCleanDiff(diff)) return { steps: [], saved };
  return { saved: null, steps: [{ op: 'fw.repair', doc: repair, explain }] };
}
