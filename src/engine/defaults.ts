// The predefined networks bridge, host and none, created by the first mutating command like
// dockerd creates them at start. The default bridge gets 172.17.0.1/16 (like docker0) unless
// that overlaps the host, in which case the first free pool, as Docker elects docker0's address.
// Read-only commands show them before they exist (engine/world.ts), so their ids and creation
// time are derived from the host (this boot and network namespace), not drawn at random: what
// `network ls` shows first is what the first mutating command records.
import { readFileSync } from 'node:fs';
import { sha256Hex } from '../core/hash.js';
import { chooseSubnet, emptyBook, type HostPrefix } from '../core/ipam.js';
import { formatCidr, formatIPv4 } from '../core/ipv4.js';
import type { NetworkRecord } from '../core/model.js';
import { DEFAULT_BRIDGE, rfc3339Nano } from '../core/names.js';
import { OPT } from '../drivers/bridge/options.js';
import { hostMarker } from './firewall-base.js';

/** What the predefined networks' ids and creation time derive from. */
export interface Origin {
  seed: string;
  created: string;
}

/** This host's origin: its boot and network namespace, created at boot (as dockerd's networks are). */
export function hostOrigin(): Origin {
  const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1] ?? 0);
  return { seed: hostMarker(), created: rfc3339Nano(new Date(btime * 1000)) };
}

const base = (origin: Origin, name: string, driver: NetworkRecord['driver']): NetworkRecord => ({
  id: sha256Hex(`pont predefined network ${name} ${origin.seed}`),
  name,
  driver,
  created: origin.created,
  internal: false,
  attachable: false,
  labels: {},
  options: {},
  ipam: [],
  predefined: true,
  book: emptyBook(),
});

/** Returns the networks and the pool cursor after the default bridge's pick. */
export function defaultNetworks(host: HostPrefix[], origin: Origin): { networks: NetworkRecord[]; cursor: number } {
  const { subnet, cursor } = chooseSubnet([], host);
  const bridge: NetworkRecord = {
    ...base(origin, 'bridge', 'bridge'),
    bridge: DEFAULT_BRIDGE,
    options: {
      [OPT.defaultBridge]: 'true',
      [OPT.icc]: 'true',
      [OPT.masquerade]: 'true',
      [OPT.hostBinding]: '0.0.0.0',
      [OPT.name]: DEFAULT_BRIDGE,
      [OPT.mtu]: '1500',
    },
    // Docker shows no Gateway for the default bridge on an engine's first start.
    ipam: [{ subnet: formatCidr(subnet), gateway: formatIPv4(subnet.base + 1), implicitGateway: true }],
  };
  return { networks: [bridge, base(origin, 'host', 'host'), base(origin, 'none', 'null')], cursor };
}
