// pont turns IPv4 forwarding on for its bridges, as Docker does. dockerd then sets the FORWARD
// policy to DROP; pont never changes a built-in chain's policy (D-forward-warning), so when it
// turns forwarding on while that policy is ACCEPT, the host starts routing between all of its
// interfaces, not only for pont's networks. It says so once, at that moment, and how to close it.
import { chainPolicy } from '../core/firewall/rules.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Context } from './context.js';

const KEY = 'net.ipv4.ip_forward';

export const FORWARDING_WARNING =
  "WARNING: pont turned on IPv4 forwarding (net.ipv4.ip_forward=1) and the FORWARD chain's policy is ACCEPT: " +
  'this host now routes packets between all its interfaces, not only for its containers. ' +
  "To close that: iptables -P FORWARD DROP (pont's own rules accept what its networks need).";

export function readForwarding(k: Kernel): string | undefined {
  try {
    return k.readSysctl(KEY);
  } catch {
    return undefined;
  }
}

/** After a command's steps: warns if they turned forwarding on with the FORWARD policy ACCEPT. */
export async function warnIfForwardingOpened(ctx: Context, before: string | undefined): Promise<void> {
  if (before !== '0' || readForwarding(ctx.kernel) !== '1') return;
  // no filter table at all means no FORWARD rules either: the kernel forwards everything
  if (chainPolicy(await ctx.kernel.saveFirewall(), 'filter', 'FORWARD') === 'DROP') return;
  ctx.err(FORWARDING_WARNING);
}
