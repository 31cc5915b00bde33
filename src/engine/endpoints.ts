// Endpoints: a container's membership of a network. Planning allocates the address (IPAM), names
// the interfaces, asks the driver for its steps and keeps Docker's default-route rule: the route
// goes through the endpoint whose network sorts first (non-internal before internal, then by
// network name), and moves at once when endpoints come and go.
import { daemonError } from '../core/errors.js';
import { allocateAddress, releaseAddress } from '../core/ipam.js';
import type { ContainerRecord, EndpointRecord, NetworkRecord, State } from '../core/model.js';
import { parseCidr } from '../core/ipv4.js';
import { macFromIPv4, vethHostName } from '../core/names.js';
import { driverFor } from '../drivers/registry.js';
import type { Here } from '../drivers/driver.js';
import { inverse, type Route, type Step } from '../core/steps.js';

export interface AttachRequest {
  ip?: string;
  aliases: string[];
  mac?: string;
  /** The name inside the container (a CNI runtime's CNI_IFNAME); ethN by default. */
  ifname?: string;
  /** true for `network connect` (Docker then shows IPAMConfig {} instead of null). */
  connected: boolean;
  /** The id source (the Context's). */
  newId: () => string;
  /** overlay: this host, and the addresses every host has taken on the network (the cluster store's). */
  here?: Here;
  taken?: string[];
}

export interface AttachPlan {
  steps: Step[];
  container: ContainerRecord;
  network: NetworkRecord;
}

/** Docker's refusal of a requested address on a network that takes none (predefined, or with an automatic subnet), or null. */
export function requestedIpRefusal(net: NetworkRecord, ip: string | undefined): Error | null {
  if (!ip) return null;
  if (net.predefined) return daemonError('user specified IP address is supported on user defined networks only', 'usage');
  if (!net.ipam[0]?.userSubnet) return daemonError('user specified IP address is supported only when connecting to networks with user configured subnets', 'usage');
  return null;
}

export function planAttach(ctr: ContainerRecord, net: NetworkRecord, req: AttachRequest): AttachPlan {
  const driver = driverFor(net.driver);
  if (net.driver === 'cni') return planCniAttach(ctr, net, req);
  if (!driver.capabilities.ipam) {
    // host and none have no endpoint of their own: nothing to plan
    return { steps: [], container: ctr, network: net };
  }
  const refused = requestedIpRefusal(net, req.ip);
  if (refused) throw refused;
  const config = net.ipam[0];
  // an overlay's addresses are the cluster's: the local book stays empty (engine/overlay.ts)
  const shared = net.driver === 'overlay';
  const { address, book } = allocateAddress({ config, book: shared ? { allocated: req.taken ?? [] } : net.book, networkLabel: `${net.name} (${net.id.slice(0, 12)})` }, req.ip);
  const index = ctr.nextIfIndex;
  const ep: EndpointRecord = {
    networkId: net.id,
    endpointId: req.newId(),
    ifname: req.ifname ?? `eth${index}`,
    hostIfname: vethHostName(ctr.id, index),
    ipAddress: address,
    prefixLen: parseCidr(config.subnet)!.cidr.prefix,
    // Docker's macvlan and ipvlan joins set no gateway on an internal network (or one without a
    // parent): no default route through it, and the endpoint shows an empty Gateway. An overlay
    // endpoint has none either: the overlay's gateway address is on no host
    gateway: (net.internal && (net.driver === 'macvlan' || net.driver === 'ipvlan')) || shared ? '' : config.gateway,
    macAddress: req.mac ?? macFromIPv4(address),
    aliases: net.predefined ? [] : [...req.aliases, ctr.id.slice(0, 12)],
    ...(req.ip ? { requestedIp: req.ip } : {}),
    ...(req.connected ? { connected: true } : {}),
  };
  const network = shared ? net : { ...net, book };
  const container = { ...ctr, endpoints: [...ctr.endpoints, ep], nextIfIndex: index + 1 };
  return { steps: driver.planAttach(network, container, ep, req.here), container, network };
}

/**
 * A CNI network's endpoint: its plugins choose the address, MAC and gateway at ADD; the
 * transaction records them from the result (engine/cni-results.ts), so the endpoint starts empty.
 */
function planCniAttach(ctr: ContainerRecord, net: NetworkRecord, req: AttachRequest): AttachPlan {
  if (req.ip) throw daemonError(`a cni network's addresses are chosen by its plugins' IPAM: --ip is not supported on network ${net.name}`, 'usage');
  if (req.mac) throw daemonError(`a cni network's interfaces are made by its plugins: --mac-address is not supported on network ${net.name}`, 'usage');
  const index = ctr.nextIfIndex;
  const ep: EndpointRecord = {
    networkId: net.id,
    endpointId: req.newId(),
    ifname: `eth${index}`,
    ipAddress: '',
    prefixLen: 0,
    gateway: '',
    macAddress: '',
    aliases: [...req.aliases, ctr.id.slice(0, 12)],
    ...(req.connected ? { connected: true } : {}),
  };
  const container = { ...ctr, endpoints: [...ctr.endpoints, ep], nextIfIndex: index + 1 };
  return { steps: driverFor('cni').planAttach(net, container, ep), container, network: net };
}

export function planDetach(ctr: ContainerRecord, net: NetworkRecord, here?: Here): AttachPlan {
  const ep = ctr.endpoints.find((e) => e.networkId === net.id);
  if (!ep) throw daemonError(`container ${ctr.id} is not connected to network ${net.name}`);
  const steps = driverFor(net.driver).planDetach(net, ctr, ep, here);
  return {
    steps,
    container: { ...ctr, endpoints: ctr.endpoints.filter((e) => e !== ep) },
    network: net.driver === 'overlay' ? net : { ...net, book: releaseAddress(net.book, ep.ipAddress) },
  };
}

/** The endpoint that should carry the default route, by Docker's priority. */
export function gatewayEndpoint(ctr: ContainerRecord, networks: NetworkRecord[]): EndpointRecord | undefined {
  const byId = new Map(networks.map((n) => [n.id, n]));
  const candidates = ctr.endpoints.filter((e) => e.gateway && byId.has(e.networkId));
  candidates.sort((a, b) => {
    const na = byId.get(a.networkId)!;
    const nb = byId.get(b.networkId)!;
    if (na.internal !== nb.internal) return na.internal ? 1 : -1;
    return na.name < nb.name ? -1 : na.name > nb.name ? 1 : 0;
  });
  return candidates[0];
}

const routeOf = (e: EndpointRecord | undefined): Route | undefined => (e ? { dst: 'default', gateway: e.gateway, dev: e.ifname } : undefined);

/**
 * Steps that move the default route from where it is (before) to where it should be (after).
 * A route through an interface being deleted goes with it, so it is not deleted twice.
 */
export function planDefaultRoute(before: ContainerRecord, after: ContainerRecord, networks: NetworkRecord[]): Step[] {
  const from = gatewayEndpoint(before, networks);
  const to = gatewayEndpoint(after, networks);
  if (from?.endpointId === to?.endpointId) return [];
  // the old route is named even when its interface is leaving, so an undo puts it back: callers
  // run this step while that interface still exists (disconnect plans it before the detach)
  return [defaultRoute(after.netns, routeOf(from), routeOf(to))];
}

/**
 * Links of a stopped container are down (it is off its networks, as a stopped Docker container
 * is); the kernel drops the routes through them. Bringing them up again brings the subnet routes
 * back by themselves; the default route is put back here (replaced if a connect made one).
 */
export function planEndpointLinks(ctr: ContainerRecord, networks: NetworkRecord[], up: boolean): Step[] {
  if (!ctr.netns) return [];
  const links: Step[] = ctr.endpoints.filter((e) => e.ifname).map((e) => ({ op: 'link.set', name: e.ifname, netns: ctr.netns, up: true }));
  const gw = routeOf(gatewayEndpoint(ctr, networks));
  // going down, the route is removed first by a step of its own, so an undo puts it back
  if (!up) return [...(gw ? [defaultRoute(ctr.netns, gw, undefined)] : []), ...inverse(links)];
  return [...links, ...(gw ? [defaultRoute(ctr.netns, gw, gw)] : [])];
}

const defaultRoute = (netns: string, from: Route | undefined, to: Route | undefined): Step => ({ op: 'route.default', netns, ...(from ? { from } : {}), ...(to ? { to } : {}) });

export function replaceNetwork(state: State, net: NetworkRecord): NetworkRecord[] {
  return state.networks.map((n) => (n.id === net.id ? net : n));
}
