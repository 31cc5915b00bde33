// The cluster store's layout: every key pont writes in etcd, under one prefix, and the records
// they hold. Pure: the engine plans `cluster.create`/`cluster.delete` steps from these, the agent
// decodes a watch with them, and `etcdctl get --prefix /pont/v1/` reads the same.
//
//   hosts/<host id>            lease-bound   a live host: its name and underlay (VTEP) address
//   networks/<network id>                    an overlay network (NetworkRecord, less the local book)
//   names/<network name>                     its id: names are unique cluster-wide (create-if-absent)
//   vni/<vni>                                its id: one VXLAN id per network
//   subnets/<a.b.c.d>/<len>                  its id: no two networks share a subnet
//   ipam/<network id>/<ipv4>                 "<host id>/<endpoint id>": an address taken
//   endpoints/<network id>/<endpoint id>  lease-bound   an endpoint (EndpointEntry)
//
// Lease-bound keys vanish with their host's lease: a host that dies disappears from the other
// hosts' FDB, neighbour tables and DNS within the ttl. Its addresses are freed by the other
// hosts' agents once it has been gone for two ttls (reaper.ts): a lease that lapsed and came
// back within that time never lets another host take one of them.
import type { NetworkRecord } from '../core/model.js';

export const PREFIX = '/pont/v1/';

export const hostKey = (id: string) => `${PREFIX}hosts/${id}`;
export const networkKey = (id: string) => `${PREFIX}networks/${id}`;
export const nameKey = (name: string) => `${PREFIX}names/${name}`;
export const vniKey = (vni: number) => `${PREFIX}vni/${vni}`;
export const subnetKey = (cidr: string) => `${PREFIX}subnets/${cidr}`;
export const ipamKey = (net: string, ip: string) => `${PREFIX}ipam/${net}/${ip}`;
export const ipamPrefix = (net: string) => `${PREFIX}ipam/${net}/`;
export const endpointKey = (net: string, ep: string) => `${PREFIX}endpoints/${net}/${ep}`;
export const endpointsPrefix = (net?: string) => `${PREFIX}endpoints/${net ? `${net}/` : ''}`;

export interface HostEntry {
  id: string;
  /** The host's name (uname), for people reading `network inspect` and `system info`. */
  name: string;
  /** Underlay address: where VXLAN packets for its endpoints go. */
  address: string;
}

export interface EndpointEntry {
  network: string;
  endpointId: string;
  containerId: string;
  /** Container name, without "/". */
  name: string;
  aliases: string[];
  ipAddress: string;
  prefixLen: number;
  macAddress: string;
  host: string;
  /** The host's underlay address at the time of the join (the host entry says where it is now). */
  hostAddress: string;
}

/** An overlay network as the store holds it: everything but the local address book. */
export type NetworkEntry = Omit<NetworkRecord, 'book'>;

/** VXLAN ids of overlay networks: from 4096, as libnetwork's overlay driver hands them out. */
export const VNI_FIRST = 4096;
export const VNI_LAST = (1 << 24) - 1;

export type KeyKind = 'host' | 'network' | 'name' | 'vni' | 'subnet' | 'ipam' | 'endpoint';

/** What a key is, and its parts after the kind: `endpoints/N/E` → { kind: 'endpoint', parts: [N, E] }. */
export function parseKey(key: string): { kind: KeyKind; parts: string[] } | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const [dir, ...parts] = key.slice(PREFIX.length).split('/');
  const kinds: Record<string, KeyKind> = { hosts: 'host', networks: 'network', names: 'name', vni: 'vni', subnets: 'subnet', ipam: 'ipam', endpoints: 'endpoint' };
  const kind = kinds[dir];
  return kind ? { kind, parts } : undefined;
}

/** A JSON value of pont's, or undefined when someone else wrote something else there. */
export function decode<T>(value: string): T | undefined {
  try {
    const v = JSON.parse(value) as unknown;
    return typeof v === 'object' && v !== null ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

export const encode = (v: unknown) => JSON.stringify(v);

export const networkEntry = (n: NetworkRecord): NetworkEntry => {
  const { book: _book, ...rest } = n;
  return rest;
};
