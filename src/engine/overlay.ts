// The engine's side of overlay networks: this host as a driver sees it (`Here`), the cluster's
// networks copied into the local store at each command, the keys a network holds in the
// cluster store, and the choices made cluster-wide (subnet, VNI, address).
import { daemonError, PontError } from '../core/errors.js';
import { chooseSubnet, emptyBook } from '../core/ipam.js';
import { cidrFromString, formatCidr, type Cidr } from '../core/ipv4.js';
import type { ContainerRecord, NetworkRecord, State } from '../core/model.js';
import type { ClusterKv, Step } from '../core/steps.js';
import type { Cluster } from '../cluster/client.js';
import { encode, nameKey, networkEntry, networkKey, subnetKey, VNI_FIRST, VNI_LAST, vniKey, type NetworkEntry } from '../cluster/keys.js';
import type { Here } from '../drivers/driver.js';
import type { Context } from './context.js';

/**
 * Docker's global address pool for overlay networks: 10.0.0.0/8 in /24s, apart from the local
 * bridges' pools. Made when a network is created, not when this module loads: 65,536 parsed
 * strings cost every run and rm ~60 ms (bench/containers).
 */
export const overlayPools = (): Cidr[] => Array.from({ length: 256 * 256 }, (_, i) => ({ base: ((10 << 24) | (i << 8)) >>> 0, prefix: 24 }));

export const noClusterError = () =>
  new PontError('Error response from daemon: overlay networks need a cluster store: set "cluster-store" and "cluster-advertise" in /etc/pont/config.json (see docs/overlay.md)', { category: 'usage' });

export async function mustCluster(ctx: Context): Promise<Cluster> {
  const c = await ctx.cluster();
  if (!c) throw noClusterError();
  return c;
}

/** Whether `ctr` is (or would be) the only container of this host on `net`, `ctr` left out. */
const aloneOn = (state: State, net: NetworkRecord, ctr: ContainerRecord) =>
  !state.containers.some((c) => c.id !== ctr.id && c.endpoints.some((e) => e.networkId === net.id));

export function hereOf(cluster: Cluster, state: State, net: NetworkRecord, ctr: ContainerRecord): Here {
  return { alone: aloneOn(state, net, ctr), local: cluster.self.address, underlayMtu: cluster.mtu, host: cluster.self.id };
}

/** For a container's overlay networks: this host as each one's driver sees it (none when it has none). */
export async function heresFor(ctx: Context, state: State, ctr: ContainerRecord): Promise<(net: NetworkRecord) => Here | undefined> {
  const overlays = state.networks.filter((n) => n.driver === 'overlay' && ctr.endpoints.some((e) => e.networkId === n.id));
  if (!overlays.length) return () => undefined;
  const cluster = await mustCluster(ctx);
  return (net) => (net.driver === 'overlay' ? hereOf(cluster, state, net, ctr) : undefined);
}

/**
 * The local store's copy of the cluster's networks: each overlay network the store holds, as it
 * holds it; a local copy whose network is gone from the cluster is dropped unless a container
 * here still has an endpoint on it.
 */
export function syncOverlayNetworks(state: State, entries: NetworkEntry[]): State {
  const inUse = new Set(state.containers.flatMap((c) => c.endpoints.map((e) => e.networkId)));
  const cluster = new Map(entries.filter((e) => e.driver === 'overlay').map((e) => [e.id, e]));
  const kept = state.networks.filter((n) => n.driver !== 'overlay' || cluster.has(n.id) || inUse.has(n.id));
  const known = new Set(kept.map((n) => n.id));
  const networks = kept.map((n) => (n.driver === 'overlay' && cluster.has(n.id) ? { ...cluster.get(n.id)!, book: emptyBook() } : n));
  for (const e of entries) if (e.driver === 'overlay' && !known.has(e.id)) networks.push({ ...e, book: emptyBook() });
  const same = networks.length === state.networks.length && networks.every((n, i) => JSON.stringify(n) === JSON.stringify(state.networks[i]));
  return same ? state : { ...state, networks };
}

/** The keys a network holds: its record, its name, its VNI and its subnet. */
export function networkKvs(net: NetworkRecord): ClusterKv[] {
  return [
    { key: nameKey(net.name), value: net.id },
    { key: vniKey(net.vni!), value: net.id },
    { key: subnetKey(net.ipam[0].subnet), value: net.id },
    { key: networkKey(net.id), value: encode(networkEntry(net)) },
  ];
}

/** The lowest free VXLAN id. */
export function chooseVni(taken: Set<number>): number {
  for (let v = VNI_FIRST; v <= VNI_LAST; v++) if (!taken.has(v)) return v;
  throw daemonError('no VXLAN id is free for a new overlay network');
}

/** A free /24 of Docker's overlay pool, apart from every subnet of the cluster and of this host. */
export function chooseOverlaySubnet(used: Cidr[]): string {
  return formatCidr(chooseSubnet(used, [], -1, overlayPools()).subnet);
}

/** What planAttach needs for an overlay network: this host, and the addresses taken cluster-wide. */
export async function overlayAttach(ctx: Context, state: State, net: NetworkRecord, ctr: ContainerRecord): Promise<{ here?: Here; taken?: string[] }> {
  if (net.driver !== 'overlay') return {};
  const cluster = await mustCluster(ctx);
  return { here: hereOf(cluster, state, net, ctr), taken: await cluster.claims(net.id) };
}

const ADDRESS_ATTEMPTS = 10;

/**
 * Runs a command that takes an overlay address again when another host took that address
 * between this one's read and its write (the cluster store refused the create: nothing was done).
 * The next attempt sees the address taken; one asked with --ip then gets Docker's refusal.
 */
export async function retryAddressRace<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      const raced = e instanceof PontError && e.name === 'ClusterConflict' && (e as PontError & { key: string }).key.includes('/ipam/');
      if (!raced || attempt >= ADDRESS_ATTEMPTS) throw e;
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 20 * attempt)));
    }
  }
}

/** Docker's name for the per-host bridge that gives overlay containers a way out (NAT) and their published ports. */
export const GATEWAY_BRIDGE = 'docker_gwbridge';

/**
 * The gateway bridge, made with the first container that needs it as Docker makes its
 * docker_gwbridge: a bridge network of this host from the local pools, containers isolated
 * from each other on it (enable_icc=false), masqueraded on the way out.
 */
export async function planGatewayBridge(ctx: Context, state: State): Promise<{ net: NetworkRecord; steps: Step[]; state: State }> {
  const existing = state.networks.find((n) => n.name === GATEWAY_BRIDGE);
  if (existing) {
    if (existing.driver !== 'bridge') throw daemonError(`network ${GATEWAY_BRIDGE} exists and is not a bridge network: remove it, overlay containers need it for their way out`);
    return { net: existing, steps: [], state };
  }
  const [{ planIpamConfig }, { bridgeDriver }, { OPT }, { hostPrefixes }] = await Promise.all([
    import('../core/ipam.js'), import('../drivers/bridge/index.js'), import('../drivers/bridge/options.js'), import('./world.js'),
  ]);
  const used = state.networks.flatMap((n) => n.ipam.map((c) => cidrFromString(c.subnet)));
  const { config, cursor } = planIpamConfig({}, used, await hostPrefixes(ctx, state), state.poolCursor ?? -1);
  let net: NetworkRecord = {
    id: ctx.newId(), name: GATEWAY_BRIDGE, driver: 'bridge', created: ctx.now(), internal: false, attachable: false, labels: {},
    options: { [OPT.icc]: 'false', [OPT.masquerade]: 'true' }, ipam: [config], predefined: false, book: emptyBook(),
  };
  net = await bridgeDriver.validate(net, state.networks, ctx.kernel);
  return { net, steps: bridgeDriver.planCreate(net), state: { ...state, networks: [...state.networks, net], poolCursor: cursor } };
}
