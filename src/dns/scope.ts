// Which containers take part in embedded DNS, read from the store alone (pure, no I/O).
// A container takes part when it is running, has a network namespace, and has an endpoint on
// at least one user-defined network (not predefined; driver bridge, macvlan or ipvlan). Only
// such containers get a resolver at 127.0.0.11 and only they are resolvable by name: Docker
// tears a container's endpoints down when it stops, so a stopped one never answers by name.
import type { ContainerRecord, NetworkRecord, State } from '../core/model.js';

const DNS_DRIVERS = new Set(['bridge', 'macvlan', 'ipvlan', 'overlay', 'cni']);

export const isDnsNetwork = (n: NetworkRecord): boolean => !n.predefined && DNS_DRIVERS.has(n.driver);

/** What DNS reads of a container record (the resolver keeps these fields, not whole records). */
export type DnsContainer = Pick<ContainerRecord, 'id' | 'name' | 'netns' | 'running' | 'dns'> & {
  endpoints: Pick<ContainerRecord['endpoints'][number], 'networkId' | 'ipAddress' | 'aliases'>[];
};

export const isLive = (c: Pick<ContainerRecord, 'running' | 'netns'>): boolean => c.running && typeof c.netns === 'string' && c.netns !== '';

/** The user-defined networks of `c` that serve names, in endpoint order. */
export function dnsNetworksOf(c: Pick<DnsContainer, 'endpoints'>, networksById: Map<string, NetworkRecord>): NetworkRecord[] {
  const out: NetworkRecord[] = [];
  for (const ep of c.endpoints ?? []) {
    const n = networksById.get(ep.networkId);
    if (n && isDnsNetwork(n) && !out.includes(n)) out.push(n);
  }
  return out;
}

export const networksById = (state: Pick<State, 'networks'>): Map<string, NetworkRecord> => new Map(state.networks.map((n) => [n.id, n]));

/** The containers that need a resolver in their namespace. */
export function containersNeedingDns(state: State): ContainerRecord[] {
  const byId = networksById(state);
  return state.containers.filter((c) => isLive(c) && dnsNetworksOf(c, byId).length > 0);
}

export const storeNeedsDns = (state: State): boolean => containersNeedingDns(state).length > 0;

/** Whether container `id` of `state` needs a resolver (only its record is read, not every one). */
export function containerNeedsDns(state: State, id: string): boolean {
  const c = state.containers.find((x) => x.id === id);
  return c !== undefined && isLive(c) && dnsNetworksOf(c, networksById(state)).length > 0;
}

/**
 * The resolver process runs while a user-defined network exists, not only while a container
 * needs it: its start (a Node process, hundreds of ms on a small machine) is then paid by
 * `network create`, in the background, and not by the first `run` on a quiet host.
 */
export const storeWantsResolver = (state: State): boolean => state.networks.some(isDnsNetwork);
