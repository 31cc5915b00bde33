// Which firewall chains serve a network, named as its backend writes them: read off the same
// firewall parts that creating the network and attaching its endpoints add (as
// engine/system/desired.ts does for the whole store), rendered by the backend's own layout, so
// the names in the picture are the names `iptables-save` or `nft list table inet pont` show.
import { batchOf } from '../../core/firewall/iptables/batch.js';
import { nftBatchOf } from '../../core/firewall/nft/layout.js';
import type { FirewallPart } from '../../core/firewall/parts.js';
import type { NetworkRecord, State } from '../../core/model.js';
import { firewallPartsOf } from '../../core/steps.js';
import { driverFor } from '../../drivers/registry.js';

export function firewallChainsOf(n: NetworkRecord, state: State, backend: 'iptables' | 'nftables'): string[] {
  const parts = networkParts(n, state);
  const names = backend === 'iptables' ? parts.flatMap(iptablesChains) : parts.flatMap(nftChains);
  return [...new Set(names)];
}

/** `filter PONT-FORWARD`: each table and chain the network's rules sit in. */
function iptablesChains(p: FirewallPart): string[] {
  return batchOf(p).rules.map((r) => `${r.table} ${r.chain}`);
}

/** The network's own chains in `inet pont`, and the sets and maps its elements go into. */
function nftChains(p: FirewallPart): string[] {
  const b = nftBatchOf(p);
  return [...b.chains.map((c) => `chain ${c.name}`), ...b.elements.map((e) => `${e.value === undefined ? 'set' : 'map'} ${e.set}`)];
}

function networkParts(n: NetworkRecord, state: State): FirewallPart[] {
  const driver = driverFor(n.driver);
  const parts = driver.planCreate(n).flatMap(firewallPartsOf);
  // pont writes no firewall for an overlay endpoint or a CNI one (the plugins do theirs), and
  // planning those attachments would need the cluster or the plugin chain
  if (n.driver === 'overlay' || n.driver === 'cni') return parts;
  for (const c of state.containers) {
    for (const ep of c.endpoints) if (ep.networkId === n.id) parts.push(...driver.planAttach(n, c, ep).flatMap(firewallPartsOf));
  }
  return parts;
}
