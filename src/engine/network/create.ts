// `pont network create`: the IPAM config (Docker's pools, or the subnet asked), the driver's
// checks, and its plan.
import { daemonError } from '../../core/errors.js';
import { emptyBook, planIpamConfig, type IpamRequest } from '../../core/ipam.js';
import { cidrFromString } from '../../core/ipv4.js';
import { goQuote } from '../../core/ports/goparse.js';
import type { NetworkRecord } from '../../core/model.js';
import { driverFor } from '../../drivers/registry.js';
import type { Context } from '../context.js';
import { hostPrefixes, transact } from '../transaction.js';

export interface CreateNetworkRequest extends IpamRequest {
  name: string;
  driver: string;
  internal: boolean;
  attachable: boolean;
  labels: Record<string, string>;
  options: Record<string, string>;
  /** --ipam-driver: '' or "default" (pont's IPAM, Docker's default one's rules). */
  ipamDriver?: string;
  ipamOptions?: Record<string, string>;
  /** --scope: '' or "local" (an overlay network: '' or "global"). */
  scope?: string;
}

/**
 * What Docker 20.10 answers (observed) to an IPAM driver or a scope pont does not have: its
 * "null" IPAM driver gives no pool, any other is a plugin it looks for; a swarm scope without a
 * swarm, and any other scope, are refused. Checked before anything is read or changed.
 */
export function checkIpamAndScope(req: Pick<CreateNetworkRequest, 'ipamDriver' | 'scope'>, driver: string): void {
  const ipam = req.ipamDriver ?? '';
  if (ipam === 'null') throw daemonError('ipv4 pool is empty', 'usage');
  if (ipam !== '' && ipam !== 'default') throw daemonError(`plugin ${goQuote(ipam)} not found`, 'not-found');
  const scope = req.scope ?? '';
  const own = driver === 'overlay' ? 'global' : 'local';
  if (scope === '' || scope === own) return;
  if (scope === 'local') throw daemonError(`${driver} networks span the hosts of the cluster store: their scope is "global", not "local"`, 'usage');
  if (scope === 'swarm') throw daemonError('cannot create a swarm scoped network when swarm is not active', 'forbidden');
  throw daemonError('This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.', 'forbidden');
}

/** The options as stored: none is no field, and the keys in order (as Go's map prints them). */
export const storedIpamOptions = (o: Record<string, string> | undefined): { ipamOptions?: Record<string, string> } =>
  o && Object.keys(o).length ? { ipamOptions: Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) } : {};

/** `none` is the network, `null` its driver: `--driver none` is an unknown plugin, as in Docker. */
const SINGLETON_TEXT: Record<string, string> = { host: 'host', null: 'null' };

export async function createNetwork(ctx: Context, req: CreateNetworkRequest): Promise<string> {
  const driver = driverFor(req.driver);
  checkIpamAndScope(req, driver.name);
  if (driver.capabilities.singleton) {
    throw daemonError(`only one instance of "${SINGLETON_TEXT[driver.name]}" network is allowed`, 'forbidden');
  }
  if (driver.name === 'overlay') {
    const { createOverlayNetwork } = await import('./create-overlay.js');
    return createOverlayNetwork(ctx, req);
  }
  return transact(ctx, async (state) => {
    const existing = state.networks.find((n) => n.name === req.name);
    if (existing?.predefined) throw daemonError(`operation is not permitted on predefined ${req.name} network`, 'forbidden');
    if (existing) throw daemonError(`network with name ${req.name} already exists`);
    const used = state.networks.flatMap((n) => n.ipam.map((c) => cidrFromString(c.subnet)));
    const host = req.subnet || !driver.capabilities.ipam ? [] : await hostPrefixes(ctx, state);
    // a cni network's addresses are its plugins' (their ipam config), not pont's pools
    if (!driver.capabilities.ipam && (req.subnet || req.gateway || req.ipRange || Object.keys(req.auxAddresses ?? {}).length)) {
      throw daemonError(`a ${driver.name} network's addresses are chosen by its plugins' IPAM: --subnet, --gateway, --ip-range and --aux-address do not apply`, 'usage');
    }
    const { config, cursor } = driver.capabilities.ipam ? planIpamConfig(req, used, host, state.poolCursor ?? -1) : { config: undefined, cursor: state.poolCursor ?? -1 };
    let net: NetworkRecord = {
      id: ctx.newId(),
      name: req.name,
      driver: driver.name,
      created: ctx.now(),
      internal: req.internal,
      attachable: req.attachable,
      labels: req.labels,
      options: req.options,
      ...storedIpamOptions(req.ipamOptions),
      ipam: config ? [config] : [],
      predefined: false,
      book: emptyBook(),
    };
    // a dry run does not roll back a crashed command first: what it made is not in the way
    const pending = ctx.dryRun ? (await import('../journal.js')).linksOfPendingJournal(ctx.store) : undefined;
    net = await driver.validate(net, state.networks, ctx.kernel, pending);
    // the resolver starts in the background now, so that the first `run` does not wait for it
    return { steps: driver.planCreate(net), next: { ...state, networks: [...state.networks, net], poolCursor: cursor }, result: net.id, after: ctx.dns.ensure };
  });
}
