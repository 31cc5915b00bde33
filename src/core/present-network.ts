// Docker's JSON shapes for networks (`network inspect`, `network ls` rows). Pure.
import type { ContainerRecord, NetworkRecord } from './model.js';
import { goStruct } from './format/value.js';

/** An overlay network's view of the cluster: every host's endpoints, and the live hosts. */
export interface ClusterPeers {
  endpoints: { network: string; endpointId: string; containerId: string; name: string; ipAddress: string; prefixLen: number; macAddress: string; host: string }[];
  hosts: { id: string; name: string; address: string }[];
}

export function inspectNetwork(n: NetworkRecord, containers: ContainerRecord[], cluster?: ClusterPeers): Record<string, unknown> {
  const attached: Record<string, unknown> = {};
  for (const c of containers) {
    if ((n.driver === 'host' || n.driver === 'null') && c.networkMode === n.name && !c.leftNone) {
      attached[c.id] = { Name: c.name, EndpointID: c.modeEndpointId ?? '', MacAddress: '', IPv4Address: '', IPv6Address: '' };
      continue;
    }
    const ep = c.endpoints.find((e) => e.networkId === n.id);
    if (!ep) continue;
    attached[c.id] = {
      Name: c.name,
      EndpointID: ep.endpointId,
      MacAddress: ep.macAddress,
      IPv4Address: ep.ipAddress ? `${ep.ipAddress}/${ep.prefixLen}` : '',
      IPv6Address: '',
    };
  }
  const overlay = n.driver === 'overlay';
  let peers: { Name: string; IP: string }[] | undefined;
  if (overlay && cluster) {
    // every host's endpoints, each with the host it lives on (a pont addition: Docker's classic
    // overlay listed this host's containers only, and its hosts under "Peers")
    const hosts = new Map(cluster.hosts.map((h) => [h.id, h]));
    const eps = cluster.endpoints.filter((e) => e.network === n.id);
    for (const e of eps) {
      attached[e.containerId] = {
        Name: e.name,
        EndpointID: e.endpointId,
        MacAddress: e.macAddress,
        IPv4Address: `${e.ipAddress}/${e.prefixLen}`,
        IPv6Address: '',
        Host: hosts.get(e.host)?.address ?? '(gone)',
      };
    }
    peers = [...new Set(eps.map((e) => e.host))].flatMap((id) => (hosts.has(id) ? [{ Name: hosts.get(id)!.name, IP: hosts.get(id)!.address }] : []));
  }
  return {
    Name: n.name,
    Id: n.id,
    Created: n.created,
    Scope: overlay ? 'global' : 'local',
    Driver: n.driver,
    EnableIPv6: false,
    IPAM: {
      Driver: 'default',
      Options: n.predefined ? null : { ...n.ipamOptions },
      // a Go struct: `{{.IPAM.Config}}` prints "[{172.18.0.0/16  172.18.0.1 map[]}]" as in Docker
      Config: n.ipam.map((c) =>
        goStruct(
          {
            Subnet: c.subnet,
            ...(c.ipRange ? { IPRange: c.ipRange } : {}),
            ...(c.implicitGateway ? {} : { Gateway: c.gateway }),
            ...(c.auxAddresses ? { AuxiliaryAddresses: c.auxAddresses } : {}),
          },
          ['Subnet', 'IPRange', 'Gateway', 'AuxiliaryAddresses:map'],
        ),
      ),
    },
    Internal: n.internal,
    Attachable: n.attachable,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: attached,
    Options: overlay ? sortKeys({ 'com.docker.network.driver.overlay.vxlanid_list': String(n.vni ?? ''), ...n.options }) : sortKeys(n.options),
    Labels: sortKeys(n.labels),
    ...(peers ? { Peers: peers } : {}),
  };
}

/** A `network ls` row: the fields Docker's --format knows, in its JSON order, and `.Label "k"`. */
export function networkRow(n: NetworkRecord, noTrunc: boolean): Record<string, unknown> {
  const row = {
    CreatedAt: goTimeString(n.created),
    Driver: n.driver,
    ID: noTrunc ? n.id : n.id.slice(0, 12),
    IPv6: 'false',
    Internal: String(n.internal),
    Labels: Object.entries(n.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    Name: n.name,
    Scope: n.driver === 'overlay' ? 'global' : 'local',
  };
  Object.defineProperty(row, 'Label', { value: (key: string) => n.labels[key] ?? '', enumerable: false });
  return row;
}

/** Go's time.Time.String() for a UTC time: "2006-01-02 15:04:05.999999999 +0000 UTC". */
export function goTimeString(rfc3339: string): string {
  return isUtcTime(rfc3339) ? `${rfc3339.slice(0, 10)} ${rfc3339.slice(11, -1)} +0000 UTC` : rfc3339;
}

/**
 * /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/, written out: compiling the expression cost a
 * short `network ls` more than all its rows (test/core/present-network.test.ts holds them equal).
 */
export function isUtcTime(s: string): boolean {
  const digits = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (s.charCodeAt(i) < 0x30 || s.charCodeAt(i) > 0x39) return false;
    return true;
  };
  const fraction = s.length === 20 || (s.length > 21 && s[19] === '.' && digits(20, s.length - 1));
  return s.length >= 20 && s[s.length - 1] === 'Z' && fraction && digits(0, 4) && s[4] === '-' && digits(5, 7) && s[7] === '-' && digits(8, 10) &&
    s[10] === 'T' && digits(11, 13) && s[13] === ':' && digits(14, 16) && s[16] === ':' && digits(17, 19);
}

/** Go marshals maps with their keys in order. */
export const sortKeys = <T>(o: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
