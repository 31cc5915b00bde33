// `pont network connect`, with Docker's refusals for host and none containers.
import { daemonError } from '../../core/errors.js';
import { parseIPv4 } from '../../core/ipv4.js';
import type { Context } from '../context.js';
import { planAttach, planDefaultRoute, planEndpointLinks, replaceNetwork, requestedIpRefusal } from '../endpoints.js';
import { driverFor } from '../../drivers/registry.js';
import { hostsStep } from '../etc-files.js';
import { findNetwork, mustFindContainer } from '../lookup.js';
import { transact } from '../transaction.js';
import { HOST, PRIVATE } from './refusals.js';
import { overlayAttach, retryAddressRace } from '../overlay.js';
import { replaceRecord } from '../../core/record-list.js';

export async function connectContainer(ctx: Context, netRef: string, ctrRef: string, opts: { ip?: string; aliases: string[] }): Promise<void> {
  await retryAddressRace(() => transact(ctx, async (state) => {
    const net = findNetwork(state, netRef);
    const ctr = mustFindContainer(state, ctrRef);
    if (!net) throw daemonError(`network ${netRef} not found`, 'not-found');
    const mode = findNetwork(state, ctr.networkMode === 'default' ? 'bridge' : ctr.networkMode);
    if (mode?.driver === 'host') throw daemonError('container sharing network namespace with another container or host cannot be connected to any other network');
    if (net.driver === 'host') throw daemonError(HOST);
    if ((mode?.driver === 'null' && !ctr.leftNone) || net.driver === 'null') throw daemonError(PRIVATE);
    // Docker checks the endpoint's settings before it makes the endpoint: a requested address
    // on a network that takes none, then a malformed one (its words for connect, parenthesis
    // included; run says "invalid IPv4 address: X"), then a second endpoint on the network
    if (driverFor(net.driver).capabilities.ipam && net.driver !== 'cni') {
      const refused = requestedIpRefusal(net, opts.ip);
      if (refused) throw refused;
      if (opts.ip !== undefined && parseIPv4(opts.ip) === null) throw daemonError(`Invalid IPv4 address: ${opts.ip})`, 'usage');
    }
    if (ctr.endpoints.some((e) => e.networkId === net.id)) throw daemonError(`endpoint with name ${ctr.name} already exists in network ${net.name}`);
    if (opts.aliases.length && net.predefined) throw daemonError('network-scoped alias is supported only for containers in user defined networks', 'usage');
    const a = planAttach(ctr, net, { ip: opts.ip, aliases: opts.aliases, connected: true, newId: ctx.newId, ...(await overlayAttach(ctx, state, net, ctr)) });
    const networks = replaceNetwork(state, a.network);
    // a stopped container's links are down and it has no routes: the new link goes down too, and
    // `start` brings them all up with the default route the endpoints then call for
    const joined = a.container.endpoints.filter((e) => e.networkId === net.id);
    const routing = ctr.running ? planDefaultRoute(ctr, a.container, networks) : planEndpointLinks({ ...a.container, endpoints: joined }, networks, false);
    return {
      steps: [...a.steps, ...routing, hostsStep(a.container)],
      next: { ...state, networks, containers: replaceRecord(state.containers, ctr, a.container) },
      result: undefined,
      after: ctx.dns.ensure,
    };
  }));
}
