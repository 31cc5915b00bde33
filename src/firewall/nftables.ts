// The nftables backend: pont's whole firewall in its own table, `table inet pont`
// (core/firewall/nft/), each batch one `nft -f` transaction, compared with `nft -s list table`.
//
// Coexistence: pont never writes to a table it does not own, and nothing else writes to its
// table. But nftables runs every table's chains on a hook: an `accept` ends a packet's walk
// through pont's chain only, and another table's forward chain (iptables-nft's FORWARD with
// policy DROP, which Docker with iptables sets; a host firewall) may still drop it. pont cannot
// override that, as Docker 29's nftables backend cannot; it finds such chains (forwardPolicy) and
// says so when it makes a network or turns forwarding on (engine/forwarding.ts), with the rule
// that lets its bridges through (docs/differences.md, D-nft-foreign-drop).
import { FAMILY, isEmptyNftBatch, TABLE } from '../core/firewall/nft/model.js';
import { nftBatchOfParts } from '../core/firewall/nft/layout.js';
import { parseTableListing } from '../core/firewall/nft/listing.js';
import { describeNftDiff, diffNft, presentNftPart, repairCommands } from '../core/firewall/nft/reconcile.js';
import { applyCommands, explainCommands, renderScript, undoCommands } from '../core/firewall/nft/script.js';
import { nonEmptyParts } from '../core/firewall/parts.js';
import type { Kernel } from '../kernel/kernel.js';
import { chainPolicy } from '../core/firewall/iptables/rules.js';
import type { FirewallBackend, ForeignDrop } from './backend.js';

const listed = async (k: Kernel) => parseTableListing(await k.listNftTable(FAMILY, TABLE));

/** iptables' FORWARD policy, if iptables is there to ask. */
async function iptablesForwardPolicy(k: Kernel): Promise<string | undefined> {
  try {
    return chainPolicy(await k.saveFirewall(), 'filter', 'FORWARD');
  } catch {
    return undefined;
  }
}

export const nftablesBackend: FirewallBackend = {
  name: 'nftables',

  async add(k, parts) {
    const b = nftBatchOfParts(nonEmptyParts(parts));
    if (!isEmptyNftBatch(b)) await k.applyNft(renderScript(applyCommands(b)));
  },

  async del(k, parts) {
    const b = nftBatchOfParts(nonEmptyParts(parts));
    if (isEmptyNftBatch(b)) return;
    try {
      await k.applyNft(renderScript(undoCommands(b)));
    } catch {
      // some of it is gone already (a flush, a reboot): delete exactly what remains
      const present = presentNftPart(b, await listed(k));
      if (!isEmptyNftBatch(present)) await k.applyNft(renderScript(undoCommands(present)));
    }
  },

  async inspect(k, want) {
    const w = nftBatchOfParts(nonEmptyParts(want));
    const table = await listed(k);
    const diff = diffNft(w, table);
    const commands = repairCommands(w, diff);
    // elements are unordered and each bridge's chains are written whole: no order to restore
    return { findings: describeNftDiff(diff, w.sets), repair: commands.length ? { doc: renderScript(commands), explain: explainCommands(commands) } : null, order: null, absent: table === null };
  },

  repair: (k, doc) => k.applyNft(doc),

  restorePositions: async () => undefined,

  async forwardPolicy(k) {
    const forward = (await k.listNftBaseChains()).filter((c) => c.hook === 'forward' && !(c.family === FAMILY && c.table === TABLE));
    const drops: ForeignDrop[] = forward.filter((c) => c.policy === 'drop').map((c) => ({ table: `${c.family} ${c.table}`, chain: c.name }));
    // iptables-legacy's tables are not nftables': its FORWARD policy is read from iptables-save
    // (which shows iptables-nft's instead when `iptables` is that one: the same chain, once)
    if (!drops.some((d) => d.table === 'ip filter' && d.chain === 'FORWARD') && (await iptablesForwardPolicy(k)) === 'DROP') drops.push({ table: 'ip filter', chain: 'FORWARD' });
    return { dropsByDefault: drops.length > 0, foreignDrops: drops };
  },
};
