// The iptables backend's rendering of neutral firewall parts (../parts.ts) into rule batches.
import type { FirewallPart } from '../parts.js';
import { baseLayout, bridgeNetworkRules } from './layout.js';
import { portRules } from './ports.js';
import { emptyBatch, type FirewallBatch, mergeBatches } from './rules.js';

/** One part as iptables rules. */
export function batchOf(p: FirewallPart): FirewallBatch {
  switch (p.kind) {
    case 'base':
      return baseLayout();
    case 'network':
      return bridgeNetworkRules(p);
    // its network's subnet guard covers it (layout.ts): no rule of its own
    case 'endpoint':
      return emptyBatch();
    case 'ports':
      return p.ports.length ? portRules(p) : emptyBatch();
  }
}

/** Parts as one batch, in order. */
export const batchOfParts = (parts: readonly FirewallPart[]): FirewallBatch => mergeBatches(...parts.map(batchOf));
