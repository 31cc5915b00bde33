// The firewall backends by name, each module loaded only when a command needs it (a command's
// start-up is most of its time: see README, "Where pont stands").
import type { FirewallBackendName } from '../core/firewall/parts.js';
import type { FirewallBackend } from './backend.js';

export type { FirewallBackend };

export async function loadFirewallBackend(name: FirewallBackendName): Promise<FirewallBackend> {
  return name === 'nftables' ? (await import('./nftables.js')).nftablesBackend : (await import('./iptables.js')).iptablesBackend;
}
