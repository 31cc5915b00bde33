// The cni driver: a network whose attachments are made by CNI plugins (Debian's reference ones
// in /usr/lib/cni, or anyone's), from a network configuration list read at create. pont makes the
// container's namespace and runs the list's ADD in it, as a CNI runtime does (src/cni: libcni's
// rules, result cache in /var/lib/cni/results); the plugins choose the address (their IPAM), the
// interface and the routes, and `-p` reaches them as runtimeConfig.portMappings (the portmap
// plugin). pont's own IPAM, firewall and bridges stay out of it: its resolver serves the names.
import { daemonError } from '../core/errors.js';
import type { IpamConfig } from '../core/ipam.js';
import type { ContainerRecord, EndpointRecord, NetworkRecord } from '../core/model.js';
import { inverse, type CniAttach, type Step } from '../core/steps.js';
import type { NetworkDriver } from './driver.js';

/** What `network inspect` shows as IPAM.Config: the subnets the list's IPAM names (host-local's ranges or subnet). */
export function ipamFromList(plugins: readonly Record<string, unknown>[]): IpamConfig[] {
  const out: IpamConfig[] = [];
  for (const p of plugins) {
    const ipam = p.ipam as { subnet?: string; gateway?: string; ranges?: { subnet?: string; gateway?: string }[][] } | undefined;
    if (!ipam) continue;
    const ranges = ipam.ranges?.flat() ?? (ipam.subnet ? [{ subnet: ipam.subnet, gateway: ipam.gateway }] : []);
    for (const r of ranges) if (typeof r.subnet === 'string') out.push({ subnet: r.subnet, gateway: typeof r.gateway === 'string' ? r.gateway : '', ...(r.gateway ? {} : { implicitGateway: true }) });
  }
  return out;
}

function attachment(net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord): CniAttach {
  const ports = ctr.ports.filter((p) => p.networkId === net.id);
  const a: CniAttach = {
    network: net.id,
    list: net.cni!.text,
    source: net.cni!.source,
    containerId: ctr.id,
    netns: ctr.netns,
    ifname: ep.ifname,
    ...(ports.length
      ? { capabilityArgs: { portMappings: ports.map((p) => ({ hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.proto, ...(p.hostIp && p.hostIp !== '0.0.0.0' ? { hostIP: p.hostIp } : {}) })) } }
      : {}),
  };
  return a;
}

// a --dry-run fills each step's shell lines (engine/cni-results.ts): they read the plugins' paths
function planAttach(net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord): Step[] {
  if (!net.cni) throw daemonError(`network ${net.name} has no CNI configuration list`);
  return [{ op: 'cni.add', ...attachment(net, ctr, ep) }];
}

export const cniNetworkDriver: NetworkDriver = {
  name: 'cni',
  // the plugins' IPAM, not pont's; ports as portMappings for the portmap plugin
  capabilities: { ipam: false, ports: true, dns: true, singleton: false },
  async validate(net) {
    const ref = net.options.config;
    if (!ref) throw daemonError('a cni network needs -o config=PATH|NAME: a CNI network configuration list (.conflist or .conf), by path or by its "name" in /etc/cni/net.d', 'usage');
    const { loadConfList } = await import('../cni/runtime/config.js');
    const list = loadConfList(ref);
    return { ...net, cni: { source: list.source, text: list.text }, ipam: ipamFromList(list.plugins) };
  },
  // the plugins make everything at ADD and remove it at DEL: nothing per network
  planCreate: () => [],
  planDelete: () => [],
  planAttach,
  planDetach: (net, ctr, ep) => inverse(planAttach(net, ctr, ep)),
};
