// The firewall repair every mutating command starts with, and `pont system reload` applies on
// its own: one listing of the kernel's (iptables-save, or nft list table), then one batch that
// adds what a flush or a hand edit removed.
import { deletedPositions, planBatches, type RulePosition } from '../../core/firewall/iptables/order.js';
import type { FirewallBackendName } from '../../core/firewall/parts.js';
import type { State } from '../../core/model.js';
import type { Step } from '../../core/steps.js';
import type { FirewallBackend, FirewallInspection } from '../../firewall/backend.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { StepHost } from '../../kernel/ops.js';
import { desiredFirewall } from './desired.js';

export const inspectFirewall = (fw: FirewallBackend, k: Kernel, state: State, opts: { withBase?: boolean } = {}): Promise<FirewallInspection> =>
  fw.inspect(k, desiredFirewall(state, opts));

/**
 * Where the iptables rules a plan deletes stood in `order` (iptables-save's, or the seal's): what
 * a failed or crashed command's undo puts back in place (an undone deletion re-adds a rule at the
 * end of its chain). None on nftables, whose sets and chains have no order to keep.
 */
export function deletedRulePositions(backend: FirewallBackendName, order: string | null, steps: readonly Step[]): RulePosition[] {
  if (backend !== 'iptables' || order === null) return [];
  return deletedPositions(order, planBatches(backend, steps).batches.flatMap((b) => (b.op === 'del' ? [b.batch] : [])));
}

/** After an undo: the rules it put back, each where it stood. */
export const restoreFirewallPositions = (h: StepHost, positions: readonly RulePosition[]): Promise<void> =>
  positions.length ? h.firewall.restorePositions(h.kernel, positions) : Promise.resolve();

/** The backend the store's firewall is written with: none yet on a host where pont made nothing. */
export const recordedBackend = (state: State): FirewallBackendName | null => (state.networks.length ? state.firewallBackend ?? 'iptables' : null);

/**
 * When /etc/pont/config.json names another backend than the one pont's firewall is written with,
 * the step that removes it from there, after the new one has it whole (never a moment without
 * it). Tolerant of what is gone (after a reboot, all of it); undone by adding it back there.
 */
export function planFirewallMove(fw: FirewallBackend, state: State): Step[] {
  const from = recordedBackend(state);
  return from && from !== fw.name ? [{ op: 'fw.del', backend: from, parts: desiredFirewall(state, { withBase: true }) }] : [];
}

/**
 * The steps that make pont's firewall what the store says with the command's backend, before
 * its own: none when it is whole; a repair otherwise, not undone (a command that fails after it
 * leaves the repaired rules, which are what the store already said). Moving to this backend
 * from the other, into a kernel where none of it is there yet, it is added whole instead (undone
 * by deleting it), and removed from the other backend: a failed move leaves both as they were.
 * `saved` is what a failed command restores the order of (null when there is nothing to restore).
 */
export async function planFirewallRepair(fw: FirewallBackend, k: Kernel, state: State): Promise<{ steps: Step[]; saved: string | null; movedFrom: FirewallBackendName | null }> {
  const want = desiredFirewall(state, { withBase: true });
  const { repair, order, absent } = await fw.inspect(k, want);
  const move = planFirewallMove(fw, state);
  const movedFrom = move.length ? recordedBackend(state) : null;
  if (move.length && absent) return { saved: order, movedFrom, steps: [{ op: 'fw.add', parts: want }, ...move] };
  return { saved: order, movedFrom, steps: [...(repair ? [{ op: 'fw.repair', doc: repair.doc, explain: repair.explain } as const] : []), ...move] };
}
