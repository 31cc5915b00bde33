// Attaching a container to a bridge network: the raw-table guard for the address (and the
// container's ports), a veth pair created with its peer already in the container's namespace
// (named ethN, with the MAC derived from the IP), the address inside, the host end enslaved to
// the bridge, both ends up. The rules come first: they are in before anything answers at the
// address, and their batch lands while the kernel makes the still-down pair (engine/steps.ts).
// Detaching takes the rules out first, then undoes the rest: its teardown runs while they go.
import type { PortsPart } from '../../core/firewall/parts.js';
import type { ContainerRecord, EndpointRecord, NetworkRecord } from '../../core/model.js';
import { inverse, type Step } from '../../core/steps.js';
import { bridgeSettings } from './options.js';
import { hostEndIpv4Only } from '../host-end.js';

export function planBridgeAttach(net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord): Step[] {
  return [rulesStep(net, ctr, ep), ...linkSteps(net, ctr, ep)];
}

const rulesStep = (net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord): Step => ({
  op: 'fw.add',
  parts: [{ kind: 'endpoint', bridge: net.bridge!, ip: ep.ipAddress }, portsPart(net, ctr, ep)],
});

function linkSteps(net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord): Step[] {
  const host = ep.hostIfname!;
  const { mtu } = bridgeSettings(net);
  return [
    // the host end's MAC is the kernel's choice; a deletion observes it, and its undo gives it back
    { op: 'veth.add', name: host, peer: ep.ifname, peerNetns: ctr.netns, peerMac: ep.macAddress, ...(mtu ? { mtu } : {}) },
    hostEndIpv4Only(host),
    { op: 'addr.add', dev: ep.ifname, cidr: `${ep.ipAddress}/${ep.prefixLen}`, netns: ctr.netns },
    { op: 'link.master', name: host, master: net.bridge! },
    { op: 'link.hairpin', name: host, on: true },
    { op: 'link.set', name: host, up: true },
    { op: 'link.set', name: ep.ifname, netns: ctr.netns, up: true },
  ];
}

const portsPart = (net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord): PortsPart => ({
  kind: 'ports',
  bridge: net.bridge!,
  containerIp: ep.ipAddress,
  ports: ctr.ports.filter((p) => p.networkId === net.id),
});

/** Publishes the container's ports on this network (its port rules), nothing else. */
export function planBridgePublish(net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord): Step[] {
  const part = portsPart(net, ctr, ep);
  return part.ports.length ? [{ op: 'fw.add', parts: [part] }] : [];
}

export function planBridgeUnpublish(net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord): Step[] {
  return inverse(planBridgePublish(net, ctr, ep));
}

export function planBridgeDetach(net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord): Step[] {
  return [...inverse([rulesStep(net, ctr, ep)]), ...inverse(linkSteps(net, ctr, ep))];
}
