// What a host's overlay devices must know of the other hosts, from the cluster store: for each
// endpoint of a network that lives on another (live) host, an FDB entry (its MAC is behind that
// host's VTEP) and a neighbour entry (its IP has that MAC: the VXLAN device answers ARP itself,
// `proxy`, so no ARP crosses the underlay); and per such host one all-zero FDB entry, the
// head-end replication list that carries broadcast and multicast to every peer.
// desiredEntries is pure; applyEntries makes a device match it (adds what is missing, removes
// what is no longer wanted: everything on pont's VXLAN devices is pont's).
import type { Kernel } from '../kernel/kernel.js';
import type { EndpointEntry, HostEntry } from './keys.js';

export const ZERO_MAC = '00:00:00:00:00:00';

export interface FdbEntry {
  mac: string;
  dst: string;
}

export interface NeighEntry {
  ip: string;
  mac: string;
}

export interface Entries {
  fdb: FdbEntry[];
  neigh: NeighEntry[];
}

/** Remote endpoints of `network` whose host is alive (its lease-bound entry exists). */
export function remoteEndpoints(endpoints: EndpointEntry[], hosts: HostEntry[], network: string, self: string): (EndpointEntry & { dst: string })[] {
  const live = new Map(hosts.map((h) => [h.id, h]));
  const out: (EndpointEntry & { dst: string })[] = [];
  for (const e of endpoints) {
    const h = live.get(e.host);
    if (e.network !== network || e.host === self || !h) continue;
    out.push({ ...e, dst: h.address });
  }
  return out;
}

export function desiredEntries(endpoints: EndpointEntry[], hosts: HostEntry[], network: string, self: string): Entries {
  const remote = remoteEndpoints(endpoints, hosts, network, self);
  const peers = [...new Set(remote.map((e) => e.dst))].sort();
  return {
    fdb: [...remote.map((e) => ({ mac: e.macAddress.toLowerCase(), dst: e.dst })), ...peers.map((dst) => ({ mac: ZERO_MAC, dst }))],
    neigh: remote.map((e) => ({ ip: e.ipAddress, mac: e.macAddress.toLowerCase() })),
  };
}

const fdbKey = (e: FdbEntry) => `${e.mac.toLowerCase()} ${e.dst}`;
const neighKey = (e: NeighEntry) => `${e.ip} ${e.mac.toLowerCase()}`;

/** The changes that make `now` into `want`: pure, so the agent's decisions are unit-tested. */
export function diffEntries(now: Entries, want: Entries): { add: Entries; del: Entries } {
  const nowFdb = new Set(now.fdb.map(fdbKey));
  const wantFdb = new Set(want.fdb.map(fdbKey));
  const nowNeigh = new Set(now.neigh.map(neighKey));
  const wantNeigh = new Set(want.neigh.map(neighKey));
  // a MAC now elsewhere: replaced by its add (unicast MACs have one dst), never deleted after it
  const movedMacs = new Set(want.fdb.filter((e) => e.mac !== ZERO_MAC).map((e) => e.mac));
  const wantIps = new Set(want.neigh.map((e) => e.ip));
  return {
    add: { fdb: want.fdb.filter((e) => !nowFdb.has(fdbKey(e))), neigh: want.neigh.filter((e) => !nowNeigh.has(neighKey(e))) },
    del: {
      fdb: now.fdb.filter((e) => !wantFdb.has(fdbKey(e)) && (e.mac === ZERO_MAC || !movedMacs.has(e.mac))),
      neigh: now.neigh.filter((e) => !wantNeigh.has(neighKey(e)) && !wantIps.has(e.ip)),
    },
  };
}

/** Makes device `dev` hold exactly `want`; `addOnly` leaves extra entries (a command's one-shot pass: the agent removes). */
export async function applyEntries(kernel: Kernel, dev: string, want: Entries, opts: { addOnly?: boolean } = {}): Promise<{ added: number; removed: number }> {
  if (!(await kernel.getLink(dev))) return { added: 0, removed: 0 };
  const now: Entries = {
    fdb: (await kernel.listFdb(dev)).map((e) => ({ mac: e.mac.toLowerCase(), dst: e.dst })),
    neigh: (await kernel.listNeigh(dev)).filter((e) => e.permanent).map((e) => ({ ip: e.ip, mac: e.mac.toLowerCase() })),
  };
  const { add, del } = diffEntries(now, want);
  if (!opts.addOnly) {
    for (const e of del.neigh) await kernel.neighDel(dev, e.ip).catch(() => undefined);
    for (const e of del.fdb) await kernel.fdbDel(dev, e.mac, e.dst).catch(() => undefined);
  }
  for (const e of add.fdb) await kernel.fdbAdd(dev, e.mac, e.dst);
  for (const e of add.neigh) await kernel.neighAdd(dev, e.ip, e.mac);
  return { added: add.fdb.length + add.neigh.length, removed: opts.addOnly ? 0 : del.fdb.length + del.neigh.length };
}

/** A command's pass for one network, before its container's process starts (`overlay.sync`). */
export async function syncOverlayOnce(
  cluster: { endpoints(n: string): Promise<EndpointEntry[]>; hosts(): Promise<HostEntry[]>; self: HostEntry },
  kernel: Kernel,
  network: string,
  vxlan: string,
): Promise<void> {
  const [endpoints, hosts] = await Promise.all([cluster.endpoints(network), cluster.hosts()]);
  await applyEntries(kernel, vxlan, desiredEntries(endpoints, hosts, network, cluster.self.id), { addOnly: true });
}
