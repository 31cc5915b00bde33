// The predefined networks bridge, host and none, created on first use like dockerd creates them
// at start. The default bridge gets 172.17.0.1/16 (like docker0) unless that overlaps the host,
// in which case the first free pool, as Docker elects docker0's address.
import { chooseSubnet, emptyBook, type HostPrefix } from '../core/ipam.js';
import { formatCidr, formatIPv4 } from '../core/ipv4.js';
import type { NetworkRecord } from '../core/model.js';
import { DEFAULT_BRIDGE, newId, rfc3339Nano } from '../core/names.js';
import { OPT } from '../drivers/bridge/options.js';

const base = (name: string, driver: NetworkRecord['driver']): NetworkRecord => ({
  id: newId(),
  name,
  driver,
  created: rfc3339Nano(),
  internal: false,
  attachable: false,
  labels: {},
  options: {},
  ipam: [],
  predefined: true,
  book: emptyBook(),
});

/** Returns the networks and the pool cursor after the default bridge's pick. */
export function defaultNetworks(host: HostPrefix[]): { networks: NetworkRecord[]; cursor: number } {
  const { subnet, cursor } = chooseSubnet([], host);
  const bridge: NetworkRecord = {
    ...base('bridge', 'bridge'),
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
  return { networks: [bridge, base('host', 'host'), base('none', 'null')], cursor };
}
