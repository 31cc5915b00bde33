// pont turns IPv4 forwarding on for its bridges, as Docker does. dockerd then sets the FORWARD
// policy to DROP; pont never changes a built-in chain's policy nor writes to another table
// (D-forward-warning), so it says what it sees, once, at the moment it matters, with the command
// that closes or opens the way:
// - it turned forwarding on and nothing drops forwarded packets by default: the host now routes
//   between all of its interfaces, not only for pont's networks;
// - nftables backend: another table's forward chain drops by default (iptables' FORWARD policy
//   DROP, set by Docker with iptables or by a host firewall). An nftables accept ends only the
//   chain it is in, so that chain also drops what pont's rules accepted: pont's networks are cut
//   off until it accepts them too (D-nft-foreign-drop). Said when pont makes a network.
import type { Step } from '../core/steps.js';
import type { ForeignDrop } from '../firewall/backend.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Context } from './context.js';

const KEY = 'net.ipv4.ip_forward';

export const FORWARDING_WARNING =
  "WARNING: pont turned on IPv4 forwarding (net.ipv4.ip_forward=1) and the FORWARD chain's policy is ACCEPT: " +
  'this host now routes packets between all its interfaces, not only for its containers. ' +
  "To close that: iptables -P FORWARD DROP (pont's own rules accept what its networks need).";

export const NFT_FORWARDING_WARNING =
  'WARNING: pont turned on IPv4 forwarding (net.ipv4.ip_forward=1) and no forward chain drops by default: ' +
  'this host now routes packets between all its interfaces, not only for its containers. ' +
  "To close that: nft add table inet filter && nft 'add chain inet filter forward { type filter hook forward priority filter; policy drop; }' && " +
  `nft 'add rule inet filter forward iifname "pont*" accept' && nft 'add rule inet filter forward oifname "pont*" accept' ` +
  "(pont's own table still drops what it must).";

/** The chains that drop what pont's nftables rules accept, and how to let pont's bridges through. */
export function foreignDropWarning(drops: readonly ForeignDrop[]): string {
  const named = drops.map((d) => `chain ${d.chain} of table ${d.table}`).join(', ');
  const open = drops
    .map((d) =>
      // iptables-nft's own tables are edited with iptables (nft warns about touching them)
      d.table === 'ip filter'
        ? `iptables -I ${d.chain} -i pont+ -j ACCEPT && iptables -I ${d.chain} -o pont+ -j ACCEPT`
        : `nft 'insert rule ${d.table} ${d.chain} iifname "pont*" accept' && nft 'insert rule ${d.table} ${d.chain} oifname "pont*" accept'`,
    )
    .join(' && ');
  return (
    `WARNING: ${named} drops by default what pont's nftables rules accept (an accept ends only pont's own chain): ` +
    `pont's containers cannot reach out nor be reached until it accepts them too: ${open} (pont's own table still drops what it must).`
  );
}

export function readForwarding(k: Kernel): string | undefined {
  try {
    return k.readSysctl(KEY);
  } catch {
    return undefined;
  }
}

/** The command makes a network, or moves pont's firewall (with its networks) to this backend. */
const makesNetwork = (steps: readonly Step[]) => steps.some((s) => (s.op === 'fw.add' && s.parts.some((p) => p.kind === 'network')) || (s.op === 'fw.del' && s.backend));

/** After a command's steps: what it opened (forwarding) or made (a network) that the host's firewall undoes. */
export async function warnAboutForwarding(ctx: Context, before: string | undefined, steps: readonly Step[]): Promise<void> {
  const opened = before === '0' && readForwarding(ctx.kernel) === '1';
  const nft = ctx.firewall.name === 'nftables';
  if (!opened && !(nft && makesNetwork(steps))) return;
  const policy = await ctx.firewall.forwardPolicy(ctx.kernel);
  if (policy.foreignDrops.length) ctx.err(foreignDropWarning(policy.foreignDrops));
  else if (opened && !policy.dropsByDefault) ctx.err(nft ? NFT_FORWARDING_WARNING : FORWARDING_WARNING);
}
