// cluster-view.json: what this host's agent last read from the cluster store that local
// processes need without asking etcd themselves, the resolver first (the other hosts' endpoints
// on overlay networks, so their names resolve here). Written whole by the agent (rename), read
// without a lock; a missing or unreadable file is "nothing known".
import { readFileSync } from 'node:fs';
import type { EndpointEntry } from './keys.js';

export const VIEW_FILE = 'cluster-view.json';

/** An endpoint of another host, as the store holds it (its prefix length is its network's). */
export type RemoteEndpoint = Omit<EndpointEntry, 'prefixLen'>;

export interface ClusterView {
  revision: number;
  /** Live hosts, this one included. */
  hosts: { id: string; name: string; address: string }[];
  /** Endpoints of live other hosts. */
  endpoints: RemoteEndpoint[];
}

export function readClusterView(dir: string): ClusterView | null {
  try {
    const v = JSON.parse(readFileSync(`${dir}/${VIEW_FILE}`, 'utf8')) as ClusterView;
    return Array.isArray(v.endpoints) && Array.isArray(v.hosts) ? v : null;
  } catch {
    return null;
  }
}

export const readRemoteEndpoints = (dir: string): RemoteEndpoint[] => readClusterView(dir)?.endpoints ?? [];
