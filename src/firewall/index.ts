// The firewall backends by name.
import type { FirewallBackendName } from '../core/firewall/parts.js';
import type { FirewallBackend } from './backend.js';
import { iptablesBackend } from './iptables.js';
import { nftablesBackend } from './nftables.js';

export type { FirewallBackend };

export const firewallBackend = (name: FirewallBackendName): FirewallBackend => (name === 'nftables' ? nftablesBackend : iptablesBackend);
