// The firewall repair every mutating command starts with, and `pont system reload` applies on
// its own: one iptables-save, then one batch that adds what a flush or a hand edit removed.
import { diffFirewall, explainRepair, isCleanDiff, renderRepair, type FirewallDiff } from '../../core/firewall/reconcile.js';
import type { State } from '../../core/model.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Step } from '../steps.js';
import { desiredFirewall } from './desired.js';

export async function diffKernelFirewall(k: Kernel, state: State, opts: { withBase?: boolean } = {}): Promise<{ diff: FirewallDiff; repair: string; explain: string[] }> {
  const want = desiredFirewall(state, opts);
  const diff = diffFirewall(want, await k.saveFirewall());
  return { diff, repair: renderRepair(want, diff), explain: explainRepair(want, diff) };
}

/**
 * A step that repairs pont's firewall, or none when it is whole. Its undo is empty: a command
 * that fails after it leaves the repaired rules, which are what the store already said.
 */
export async function planFirewallRepair(k: Kernel, state: State): Promise<Step[]> {
  const { diff, repair, explain } = await diffKernelFirewall(k, state, { withBase: true });
  if (isCleanDiff(diff)) return [];
  return [
    {
      explain: () => explain,
      explainUndo: () => [],
      apply: (kernel) => kernel.restoreFirewall(repair),
      undo: async () => {},
    },
  ];
}
