// pont's firewall as backend-neutral data: what the host needs for pont's base, each bridge
// network, each endpoint and each container's published ports, not how a tool writes it. Plans
// carry these (fw.add / fw.del steps) and the store implies them (engine/system/desired.ts); a
// backend renders them: iptables rules in PONT-* chains (iptables/), or chains and set or map
// elements in nftables' table inet pont (nft/). Pure: no I/O.
import type { PublishedPort } from '../model.js';

/** A bridge network's firewall: masquerade, isolation from other bridges, icc. */
export interface NetworkFirewall {
  bridge: string;
  subnet: string;
  /** The bridge's own address, the only host address an internal network may ping. */
  gateway: string;
  internal: boolean;
  masquerade: boolean;
  icc: boolean;
}

export type FirewallPart =
  /** pont's own chains and the hooks into them, laid once, before any network's. */
  | { kind: 'base' }
  | ({ kind: 'network' } & NetworkFirewall)
  /** The guard of a container's address: it is reached from its own bridge only. */
  | { kind: 'endpoint'; bridge: string; ip: string }
  /** A container's published ports on one bridge network (DNAT, forward, hairpin). */
  | { kind: 'ports'; bridge: string; containerIp: string; ports: PublishedPort[] };

export type PortsPart = Extract<FirewallPart, { kind: 'ports' }>;

export type FirewallBackendName = 'iptables' | 'nftables';

export const FIREWALL_BACKENDS: readonly FirewallBackendName[] = ['iptables', 'nftables'];

/** A part that renders to nothing (a container without ports on that network). */
export const isEmptyPart = (p: FirewallPart) => p.kind === 'ports' && p.ports.length === 0;

export const nonEmptyParts = (parts: readonly FirewallPart[]) => parts.filter((p) => !isEmptyPart(p));

/** Rejects what no backend can write: an IPv6 host address (parsing refuses it first). */
export function checkPorts(ports: readonly PublishedPort[]): void {
  for (const p of ports) if (p.hostIp.includes(':')) throw new Error(`IPv4 host address expected, got ${p.hostIp}`);
}

/** `-p 8000:80` binds every host address; `-p 127.0.0.1:8000:80` only that one. */
export const bindsAnyAddress = (p: PublishedPort) => !p.hostIp || p.hostIp === '0.0.0.0';
