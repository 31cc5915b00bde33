// The equivalent shell lines of adding or deleting firewall parts, per backend: what --dry-run,
// `explain` and a failed undo's message show. Pure.
import { batchOfParts } from './iptables/batch.js';
import { explainApply, explainUndo } from './iptables/rules.js';
import { nftBatchOfParts } from './nft/layout.js';
import { applyCommands, explainCommands, undoCommands } from './nft/script.js';
import { type FirewallBackendName, type FirewallPart, nonEmptyParts } from './parts.js';

export function explainFirewall(backend: FirewallBackendName, verb: 'add' | 'del', parts: readonly FirewallPart[]): string[] {
  const mine = nonEmptyParts(parts);
  if (!mine.length) return [];
  if (backend === 'iptables') {
    const b = batchOfParts(mine);
    return verb === 'add' ? explainApply(b) : explainUndo(b);
  }
  const b = nftBatchOfParts(mine);
  return explainCommands(verb === 'add' ? applyCommands(b) : undoCommands(b));
}
