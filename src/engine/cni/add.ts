// CNI ADD through pont: a runtime's namespace (not pont's, no process of pont's) joins a pont
// network as `network connect` would join a container: pont's IPAM, a veth named CNI_IFNAME,
// the firewall rules, the default route, all in one transaction (journal, rollback). The record
// is a container marked `external`, running while attached, so the embedded resolver answers for
// its name and serves 127.0.0.11 in its namespace.
import { CNI_CODE, CniError } from '../../cni/errors.js';
import type { CniResult } from '../../cni/result.js';
import { bridgeMac } from '../../core/names.js';
import { blankContainer, type ContainerRecord, type NetworkRecord, type State } from '../../core/model.js';
import type { Step } from '../../core/steps.js';
import { isDnsNetwork } from '../../dns/scope.js';
import { driverFor } from '../../drivers/registry.js';
import type { Context } from '../context.js';
import { dnsReadyStep } from '../dns.js';
import { gatewayEndpoint, planAttach, planDefaultRoute, replaceNetwork } from '../endpoints.js';
import { overlayAttach, retryAddressRace } from '../overlay.js';
import { transact } from '../transaction.js';
import { CNI_IMAGE, type CniAttachRequest, externalRecord, mustFindNetwork } from './attachment.js';

export const DNS_SERVER = '127.0.0.11';

export async function cniAdd(ctx: Context, req: CniAttachRequest): Promise<CniResult> {
  const { ctr, net, networks } = await retryAddressRace(() =>
    transact(ctx, async (state) => {
      const net = mustFindNetwork(state, req.network);
      if (!driverFor(net.driver).capabilities.ipam) {
        throw new CniError(CNI_CODE.invalidConfig, `pont network ${net.name} uses the ${net.driver === 'null' ? 'none' : net.driver} driver: it has no endpoints to give a container`);
      }
      if (!ctx.kernel.netnsExists(req.netns)) throw new CniError(CNI_CODE.invalidEnvironment, `invalid CNI_NETNS: ${req.netnsPath} does not exist`);
      const before = recordFor(ctx, state, req);
      if (before.endpoints.some((e) => e.ifname === req.ifname)) {
        throw new CniError(CNI_CODE.pont, `container ${req.containerId} already has ${req.ifname} on a pont network: DEL it first`);
      }
      if (before.endpoints.some((e) => e.networkId === net.id)) {
        throw new CniError(CNI_CODE.pont, `container ${req.containerId} is already on pont network ${net.name} (as ${before.endpoints.find((e) => e.networkId === net.id)!.ifname})`);
      }
      if ((await ctx.kernel.listLinks(req.netns)).some((l) => l.name === req.ifname)) {
        throw new CniError(CNI_CODE.pont, `interface ${req.ifname} already exists in ${req.netnsPath}`);
      }
      if (req.aliases.length && net.predefined) throw new CniError(CNI_CODE.invalidConfig, 'network-scoped alias is supported only for containers in user defined networks');
      const a = planAttach(before, net, { ip: req.ip, aliases: req.aliases, ifname: req.ifname, connected: true, newId: ctx.newId, ...(await overlayAttach(ctx, state, net, before)) });
      const networks = replaceNetwork(state, a.network);
      const steps: Step[] = [
        // the resolver listens on 127.0.0.11 in the namespace; the runtime may not have brought lo up (an undo leaves it as it was)
        { op: 'link.set', name: 'lo', netns: req.netns, up: true },
        ...a.steps,
        ...planDefaultRoute(before, a.container, networks),
      ];
      if (isDnsNetwork(net)) steps.push(dnsReadyStep(a.container));
      const others = state.containers.filter((c) => c.id !== before.id);
      return {
        steps,
        next: { ...state, networks, containers: [...others, a.container] },
        result: { ctr: a.container, net: a.network, networks },
        after: ctx.dns.ensure,
      };
    }),
  );
    const ep = ctr.endpoints.find((e) => e.ifname === req.ifname)!;
  const host = !ctx.dryRun && ep.hostIfname ? await ctx.kernel.getLink(ep.hostIfname) : undefined;
  return resultFor(ctr, net, networks, req, host?.mac);
}

/** The runtime's container as recorded: the one of its id, or a new one named as asked. */
function recordFor(ctx: Context, state: State, req: CniAttachRequest): ContainerRecord {
  const known = externalRecord(state, req.containerId);
  if (known) {
    if (known.netns !== req.netns) throw new CniError(CNI_CODE.pont, `container ${req.containerId} is attached in ${known.external!.netnsPath}, not ${req.netnsPath}`);
    return known;
  }
  const clash = state.containers.find((c) => c.name === req.name);
  if (clash) {
    throw new CniError(CNI_CODE.pont, `the container name "${req.name}" is already in use by pont container ${clash.id.slice(0, 12)}`, 'the name comes from CNI_ARGS K8S_POD_NAME (else the container id): rename one of them');
  }
  const owner = state.containers.find((c) => c.netns === req.netns);
  if (owner) throw new CniError(CNI_CODE.pont, `${req.netnsPath} is the namespace of pont container ${owner.name}: use pont network connect for it`);
  const now = ctx.now();
  return blankContainer({
    id: ctx.newId(),
    name: req.name,
    created: now,
    netns: req.netns,
    networkMode: req.network,
    image: CNI_IMAGE,
    startedAt: now,
    running: true,
    external: { containerId: req.containerId, netnsPath: req.netnsPath },
  });
}

/** What the attachment made (a dry run makes nothing: the host end's MAC is then unknown). */
function resultFor(ctr: ContainerRecord, net: NetworkRecord, networks: NetworkRecord[], req: CniAttachRequest, hostMac?: string): CniResult {
  const ep = ctr.endpoints.find((e) => e.ifname === req.ifname)!;
  const interfaces: CniResult['interfaces'] = [];
  if (net.bridge) interfaces.push({ name: net.bridge, mac: bridgeMac(net.id) });
  if (ep.hostIfname) interfaces.push({ name: ep.hostIfname, ...(hostMac ? { mac: hostMac } : {}) });
  interfaces.push({ name: ep.ifname, mac: ep.macAddress, sandbox: req.netnsPath });
  const routes = ep.gateway && gatewayEndpoint(ctr, networks)?.endpointId === ep.endpointId ? [{ dst: '0.0.0.0/0', gw: ep.gateway }] : [];
  return {
    interfaces,
    ips: [{ address: `${ep.ipAddress}/${ep.prefixLen}`, ...(ep.gateway ? { gateway: ep.gateway } : {}), interface: interfaces.length - 1 }],
    routes,
    // as pont's own containers on a user-defined network: the embedded resolver
    dns: isDnsNetwork(net) ? { nameservers: [DNS_SERVER] } : {},
  };
}
