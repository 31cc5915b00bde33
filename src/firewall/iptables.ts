// The iptables backend: each batch one `iptables-restore --noflush` document in pont's PONT-*
// chains (core/firewall/iptables/), compared with iptables-save.
import { batchOf, batchOfParts } from '../core/firewall/iptables/batch.js';
import { renderPositionRestore } from '../core/firewall/iptables/order.js';
import { describeDiff, diffFirewall, explainRepair, isCleanDiff, renderRepair, replay } from '../core/firewall/iptables/reconcile.js';
import { chainPolicy, isEmptyBatch, presentPart, renderApply, renderUndo } from '../core/firewall/iptables/rules.js';
import { type FirewallPart, nonEmptyParts } from '../core/firewall/parts.js';
import type { FirewallBackend } from './backend.js';

const desired = (want: readonly FirewallPart[]) => replay(nonEmptyParts(want).map(batchOf));

export const iptablesBackend: FirewallBackend = {
  name: 'iptables',

  async add(k, parts) {
    const b = batchOfParts(nonEmptyParts(parts));
    if (!isEmptyBatch(b)) await k.restoreFirewall(renderApply(b));
  },

  async del(k, parts) {
    const b = batchOfParts(nonEmptyParts(parts));
    if (isEmptyBatch(b)) return;
    try {
      await k.restoreFirewall(renderUndo(b));
    } catch {
      // some rules are gone already (a flush, a reboot): delete exactly those that remain
      const present = presentPart(b, await k.saveFirewall());
      if (!isEmptyBatch(present)) await k.restoreFirewall(renderUndo(present));
    }
  },

  async inspect(k, want) {
    const w = desired(want);
    const saved = await k.saveFirewall();
    const diff = diffFirewall(w, saved);
    // no chain of pont's, so no rule (iptables refuses a jump to a missing chain)
    const absent = diff.missingChains.length === w.chains.length;
    if (isCleanDiff(diff)) return { findings: [], repair: null, order: saved, absent };
    // after a repair, `saved` is not what the kernel has: a failed command leaves the order alone
    return { findings: describeDiff(diff), repair: { doc: renderRepair(w, diff), explain: explainRepair(w, diff) }, order: null, absent };
  },

  repair: (k, doc) => k.restoreFirewall(doc),

  async restorePositions(k, positions) {
    const doc = renderPositionRestore(positions, await k.saveFirewall());
    if (doc) await k.restoreFirewall(doc);
  },

  async forwardPolicy(k) {
    // no filter table at all means no FORWARD rules either: the kernel forwards everything
    return { dropsByDefault: chainPolicy(await k.saveFirewall(), 'filter', 'FORWARD') === 'DROP', foreignDrops: [] };
  },
};
