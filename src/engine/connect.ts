// `pont network connect | disconnect`, with Docker's refusals for host and none containers.
import { daemonError } from '../core/errors.js';
import type { Context } from './context.js';
import { planAttach, planDefaultRoute, planDetach, planEndpointLinks, replaceNetwork } from './endpoints.js';
import { hostsStep } from './etc-files.js';
import { findContainer, findNetwork, mustFindContainer } from './lookup.js';
import { transact } from './transaction.js';

const PRIVATE = 'container cannot be connected to multiple networks with one of the networks in private (none) mode';
const HOST = 'container cannot be disconnected from host network or connected to host network';

export async function connectContainer(ctx: Context, netRef: string, ctrRef: string, opts: { ip?: string; aliases: string[] }): Promise<void> {
  await transact(ctx, (state) => {
    const net = findNetwork(state, netRef);
    const ctr = mustFindContainer(state, ctrRef);
    if (!net) throw daemonError(`network ${netRef} not found`, 'not-found');
    const mode = findNetwork(state, ctr.networkMode === 'default' ? 'bridge' : ctr.networkMode);
    if (mode?.driver === 'host') throw daemonError('container sharing network namespace with another container or host cannot be connected to any other network');
    if (net.driver === 'host') throw daemonError(HOST);
    if ((mode?.driver === 'null' && !ctr.leftNone) || net.driver === 'null') throw daemonError(PRIVATE);
    if (ctr.endpoints.some((e) => e.networkId === net.id)) throw daemonError(`endpoint with name ${ctr.name} already exists in network ${net.name}`);
    if (opts.aliases.length && net.predefined) throw daemonError('network-scoped alias is supported only for containers in user defined networks', 'usage');
    const a = planAttach(ctr, net, { ip: opts.ip, aliases: opts.aliases, connected: true, newId: ctx.newId });
    const networks = replaceNetwork(state, a.network);
    // a stopped container's links are down and it has no routes: the new link goes down too, and
    // `start` brings them all up with the default route the endpoints then call for
    const joined = a.container.endpoints.filter((e) => e.networkId === net.id);
    const routing = ctr.running ? planDefaultRoute(ctr, a.container, networks) : planEndpointLinks({ ...a.container, endpoints: joined }, networks, false);
    return {
      steps: [...a.steps, ...routing, hostsStep(a.container)],
      next: { ...state, networks, containers: state.containers.map((c) => (c.id === ctr.id ? a.container : c)) },
      result: undefined,
      after: ctx.dns.ensure,
    };
  });
}

export async function disconnectContainer(ctx: Context, netRef: string, ctrRef: string, force = false): Promise<void> {
  await transact(ctx, (state) => {
    // with -f Docker looks for the endpoint, not the container
    if (force && !findContainer(state, ctrRef)) throw daemonError(`endpoint ${ctrRef} not found`, 'not-found');
    const ctr = mustFindContainer(state, ctrRef);
    const net = findNetwork(state, netRef);
    if (!net) throw daemonError(`network ${netRef} not found`, 'not-found');
    if (net.driver === 'host') throw daemonError(HOST);
    if (net.driver === 'null' && ctr.networkMode === 'none' && !ctr.leftNone) {
      // leaving `none` changes nothing in the kernel; afterwards the container may join networks
      const left = { ...ctr, leftNone: true };
      return { steps: [], next: { ...state, containers: state.containers.map((c) => (c.id === ctr.id ? left : c)) }, result: undefined };
    }
    const d = planDetach(ctr, net);
    const networks = replaceNetwork(state, d.network);
    return {
      // the default route moves first, while the old interface is there: undone last, after the
      // interface is back, the old route can be put back through it
      steps: [...(ctr.running ? planDefaultRoute(ctr, d.container, networks) : []), ...d.steps, hostsStep(d.container)],
      next: { ...state, networks, containers: state.containers.map((c) => (c.id === ctr.id ? d.container : c)) },
      result: undefined,
      after: ctx.dns.stopIfUnused,
    };
  });
}
