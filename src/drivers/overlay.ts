// The overlay driver: one layer-2 network across hosts. On each host that has endpoints on it, a
// bridge (pont-<id>) and a VXLAN device (pont-vx<id>, UDP 4789, learning off, ARP answered
// locally from its neighbour table) enslaved to it; containers join the bridge by veth, with the
// MTU of the underlay less VXLAN's 50 bytes. Both devices sit in the host's namespace, where
// `ip`, `bridge fdb` and `tcpdump` show them as they are (Docker hides them in a namespace of its
// own); the bridge has no address, so the host is not on the overlay and its firewall sees no
// overlay traffic unless br_netfilter is loaded (then pont's bridge rules let it through).
// Devices are made with a host's first endpoint and removed with its last, as Docker does.
// The network itself, its addresses and its endpoints live in the cluster store: the engine
// plans those keys; here only the endpoint's own: its address (kept when its host's lease lapses,
// so that no other host is given it while this one comes back; see cluster/reaper.ts) and the
// endpoint itself, bound to the host's lease.
import { daemonError } from '../core/errors.js';
import type { ContainerRecord, EndpointRecord, NetworkRecord } from '../core/model.js';
import { inverse, type ClusterKv, type Step } from '../core/steps.js';
import { encode, endpointKey, ipamKey, type EndpointEntry } from '../cluster/keys.js';
import type { Here, NetworkDriver } from './driver.js';
import { hostEndIpv4Only } from './host-end.js';

export const VXLAN_PORT = 4789;
/** Outer IPv4 (20) + UDP (8) + VXLAN (8) + inner Ethernet (14). */
export const VXLAN_OVERHEAD = 50;

export const vxlanName = (networkId: string) => `pont-vx${networkId.slice(0, 8)}`;

export const overlayMtu = (here: Here) => here.underlayMtu - VXLAN_OVERHEAD;

/** The endpoint as the other hosts read it. */
export function endpointEntry(net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord, here: Here): EndpointEntry {
  return {
    network: net.id,
    endpointId: ep.endpointId,
    containerId: ctr.id,
    name: ctr.name.replace(/^\//, ''),
    aliases: ep.aliases,
    ipAddress: ep.ipAddress,
    prefixLen: ep.prefixLen,
    macAddress: ep.macAddress,
    host: here.host,
    hostAddress: here.local,
  };
}

/** The keys an endpoint holds in the store: its address, taken, and itself. */
export function endpointKvs(net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord, here: Here): ClusterKv[] {
  return [
    { key: ipamKey(net.id, ep.ipAddress), value: `${here.host}/${ep.endpointId}` },
    { key: endpointKey(net.id, ep.endpointId), value: encode(endpointEntry(net, ctr, ep, here)), lease: true },
  ];
}

function planDevices(net: NetworkRecord, here: Here): Step[] {
  const mtu = overlayMtu(here);
  const vx = vxlanName(net.id);
  return [
    { op: 'bridge.add', name: net.bridge!, mtu, mcastSnooping: false },
    { op: 'vxlan.add', name: vx, vni: net.vni!, local: here.local, port: VXLAN_PORT, mtu },
    { op: 'link.master', name: vx, master: net.bridge! },
    // pont's networks are IPv4: no IPv6 on the overlay's devices, whose link-local chatter (MLD
    // reports, router solicitations) the head-end replication would carry to every peer host
    { op: 'sysctl', key: `net.ipv6.conf.${net.bridge}.disable_ipv6`, value: '1' },
    { op: 'sysctl', key: `net.ipv6.conf.${vx}.disable_ipv6`, value: '1' },
    { op: 'link.set', name: vx, up: true },
    { op: 'link.set', name: net.bridge!, up: true },
  ];
}

function mustHere(here: Here | undefined): Here {
  if (!here) throw daemonError('overlay networks need a cluster store: set "cluster-store" and "cluster-advertise" in /etc/pont/config.json', 'usage');
  return here;
}

function planAttach(net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord, given?: Here): Step[] {
  const here = mustHere(given);
  const host = ep.hostIfname!;
  return [
    ...(here.alone ? planDevices(net, here) : []),
    // the address and the endpoint, in one transaction: another host that took the address first wins
    { op: 'cluster.create', kvs: endpointKvs(net, ctr, ep, here) },
    { op: 'veth.add', name: host, peer: ep.ifname, peerNetns: ctr.netns, peerMac: ep.macAddress, mtu: overlayMtu(here) },
    hostEndIpv4Only(host),
    { op: 'link.master', name: host, master: net.bridge! },
    { op: 'link.set', name: host, up: true },
    { op: 'addr.add', dev: ep.ifname, cidr: `${ep.ipAddress}/${ep.prefixLen}`, netns: ctr.netns },
    { op: 'link.set', name: ep.ifname, netns: ctr.netns, up: true },
    { op: 'overlay.sync', network: net.id, vxlan: vxlanName(net.id) },
  ];
}

export const overlayDriver: NetworkDriver = {
  name: 'overlay',
  // no published ports through an overlay: Docker publishes them on docker_gwbridge (see docs/differences.md)
  capabilities: { ipam: true, ports: false, dns: true, singleton: false },
  async validate(net, others) {
    const dev = net.bridge ?? `pont-${net.id.slice(0, 10)}`;
    if (others.some((o) => o.bridge === dev)) throw daemonError(`cannot create network ${net.id} (${dev}): a network already has this bridge name`);
    return { ...net, bridge: dev };
  },
  // the network is keys in the cluster store (planned by the engine); devices come with endpoints
  planCreate: () => [],
  planDelete: () => [],
  planAttach,
  planDetach: (net, ctr, ep, here) => inverse(planAttach(net, ctr, ep, here)),
};
