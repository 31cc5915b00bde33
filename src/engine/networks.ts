// `pont network create|ls|inspect|rm|prune`: plan with pure modules, apply through transact().
import { daemonError, PontError } from '../core/errors.js';
import { emptyBook, planIpamConfig, type IpamRequest } from '../core/ipam.js';
import { cidrFromString } from '../core/ipv4.js';
import type { DriverName, NetworkRecord } from '../core/model.js';
import { driverFor } from '../drivers/registry.js';
import { findNetwork } from './lookup.js';
import type { Context } from './context.js';
import { hostPrefixes, transact } from './transaction.js';

export interface CreateNetworkRequest extends IpamRequest {
  name: string;
  driver: string;
  internal: boolean;
  attachable: boolean;
  labels: Record<string, string>;
  options: Record<string, string>;
}

/** `none` is the network, `null` its driver: `--driver none` is an unknown plugin, as in Docker. */
const SINGLETON_TEXT: Record<string, string> = { host: 'host', null: 'null' };

export async function createNetwork(ctx: Context, req: CreateNetworkRequest): Promise<string> {
  const driver = driverFor(req.driver);
  if (driver.capabilities.singleton) {
    throw daemonError(`only one instance of "${SINGLETON_TEXT[driver.name]}" network is allowed`, 'forbidden');
  }
  return transact(ctx, async (state) => {
    const existing = state.networks.find((n) => n.name === req.name);
    if (existing?.predefined) throw daemonError(`operation is not permitted on predefined ${req.name} network`, 'forbidden');
    if (existing) throw daemonError(`network with name ${req.name} already exists`);
    const used = state.networks.flatMap((n) => n.ipam.map((c) => cidrFromString(c.subnet)));
    const host = req.subnet ? [] : await hostPrefixes(ctx, state);
    const { config, cursor } = planIpamConfig(req, used, host, state.poolCursor ?? -1);
    let net: NetworkRecord = {
      id: ctx.newId(),
      name: req.name,
      driver: driver.name,
      created: ctx.now(),
      internal: req.internal,
      attachable: req.attachable,
      labels: req.labels,
      options: req.options,
      ipam: [config],
      predefined: false,
      book: emptyBook(),
    };
    net = await driver.validate(net, state.networks, ctx.kernel);
    return { steps: driver.planCreate(net), next: { ...state, networks: [...state.networks, net], poolCursor: cursor }, result: net.id };
  });
}

const PREDEFINED_RM: Record<string, string> = {
  bridge: 'bridge is a pre-defined network and cannot be removed',
  host: 'host is a pre-defined network and cannot be removed',
  none: 'none is a pre-defined network and cannot be removed',
};

/** Removes one network; Docker's CLI removes each name in turn and reports each failure. */
export async function removeNetwork(ctx: Context, ref: string): Promise<void> {
  await transact(ctx, (state) => {
    const net = findNetwork(state, ref);
    if (!net) throw new PontError(`Error: No such network: ${ref}`, { category: 'not-found' });
    if (net.predefined) throw daemonError(PREDEFINED_RM[net.name] ?? `${net.name} is a pre-defined network and cannot be removed`, 'forbidden');
    const users = state.containers.filter((c) => c.endpoints.some((e) => e.networkId === net.id));
    if (users.length) throw daemonError(`error while removing network: network ${net.name} id ${net.id} has active endpoints`);
    return {
      steps: driverFor(net.driver).planDelete(net),
      next: { ...state, networks: state.networks.filter((n) => n.id !== net.id) },
      result: undefined,
    };
  });
}

/** Removes every user network no container uses; returns the names removed. */
export async function pruneNetworks(ctx: Context, filter: (n: NetworkRecord) => boolean = () => true): Promise<string[]> {
  return transact(ctx, (state) => {
    const unused = state.networks.filter(
      (n) => !n.predefined && filter(n) && !state.containers.some((c) => c.endpoints.some((e) => e.networkId === n.id)),
    );
    return {
      steps: unused.flatMap((n) => driverFor(n.driver).planDelete(n)),
      next: { ...state, networks: state.networks.filter((n) => !unused.includes(n)) },
      result: unused.map((n) => n.name),
    };
  });
}

export type { DriverName };
