// CNI CHECK through pont: the attachment as the store records it against what the kernel has
// (SPEC: interfaces, addresses, routes pont made, and what the result does not show: the host
// end on its bridge, the address reserved, the resolver). Read-only: no lock, no change.
import { CNI_CODE, CniError } from '../../cni/errors.js';
import { isDnsNetwork } from '../../dns/scope.js';
import type { Context } from '../context.js';
import { gatewayEndpoint } from '../endpoints.js';
import { type CniAttachRequest, externalRecord, mustFindNetwork } from './attachment.js';
import { bookHas } from '../../core/ipam.js';

export async function cniCheck(ctx: Context, req: Pick<CniAttachRequest, 'network' | 'containerId' | 'ifname' | 'netns'>): Promise<void> {
  const state = ctx.store.read();
  const net = mustFindNetwork(state, req.network);
  const ctr = externalRecord(state, req.containerId);
  const ep = ctr?.endpoints.find((e) => e.ifname === req.ifname && e.networkId === net.id);
  if (!ctr || !ep) throw new CniError(CNI_CODE.unknownContainer, `container ${req.containerId} has no ${req.ifname} on pont network ${net.name}`);
  const problems: string[] = [];
  if (!ctx.kernel.netnsExists(ctr.netns)) throw new CniError(CNI_CODE.pont, `network namespace ${ctr.external!.netnsPath} is gone`);
  if (ctr.netns !== req.netns) problems.push(`attached in ${ctr.external!.netnsPath}, checked in /run/netns/${req.netns}`);
  const inside = await ctx.kernel.getLink(ep.ifname, ctr.netns);
  if (!inside) problems.push(`interface ${ep.ifname} is missing`);
  else if (!inside.up) problems.push(`interface ${ep.ifname} is down`);
  const cidr = `${ep.ipAddress}/${ep.prefixLen}`;
  if (inside && !(await ctx.kernel.listAddresses(ctr.netns)).some((a) => a.dev === ep.ifname && a.cidr === cidr)) problems.push(`address ${cidr} is missing on ${ep.ifname}`);
  if (ep.hostIfname) {
    const host = await ctx.kernel.getLink(ep.hostIfname);
    const bridge = net.bridge ? await ctx.kernel.getLink(net.bridge) : undefined;
    if (!host) problems.push(`host end ${ep.hostIfname} is missing`);
    else if (bridge && host.master !== bridge.index) problems.push(`host end ${ep.hostIfname} is not on bridge ${net.bridge}`);
  }
  if (net.driver !== 'overlay' && !bookHas(net.book, ep.ipAddress)) problems.push(`address ${ep.ipAddress} is not reserved in ${net.name}'s book`);
  if (gatewayEndpoint(ctr, state.networks)?.endpointId === ep.endpointId) {
    const route = (await ctx.kernel.listRoutes(ctr.netns)).find((r) => r.dst === 'default');
    if (!route || route.dev !== ep.ifname || route.gateway !== ep.gateway) problems.push(`default route via ${ep.gateway} dev ${ep.ifname} is missing`);
  }
  if (isDnsNetwork(net)) {
    const { dnsServedIn } = await import('../../dns/supervisor.js');
    if (!dnsServedIn(ctr.netns)) problems.push('no resolver answers on 127.0.0.11:53 (pont dns --supervise & brings it back)');
  }
  if (problems.length) throw new CniError(CNI_CODE.pont, `pont attachment ${req.containerId.slice(0, 12)}/${ep.ifname} on ${net.name}: ${problems[0]}`, problems.join('; '));
}
