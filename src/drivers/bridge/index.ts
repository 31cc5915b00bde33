// The bridge driver: a Linux bridge per network with the gateway address on it, forwarding on,
// and pont's firewall rules for the subnet (masquerade, isolation, icc).
import { daemonError } from '../../core/errors.js';
import { cidrFromString, formatCidr } from '../../core/ipv4.js';
import type { FirewallPart } from '../../core/firewall/parts.js';
import type { NetworkRecord } from '../../core/model.js';
import { bridgeMac, bridgeName } from '../../core/names.js';
import { inverse, type Step } from '../../core/steps.js';
import type { NetworkDriver } from '../driver.js';
import { bridgeSettings, OPT } from './options.js';
import { parseBridgeName } from '../../core/validate/ifname.js';
import { planBridgeAttach, planBridgeDetach, planBridgePublish, planBridgeUnpublish } from './endpoint.js';

function firewallOf(net: NetworkRecord): FirewallPart {
  const s = bridgeSettings(net);
  return {
    kind: 'network',
    bridge: net.bridge!,
    subnet: formatCidr(cidrFromString(net.ipam[0].subnet)),
    gateway: net.ipam[0].gateway,
    internal: net.internal,
    masquerade: s.masquerade,
    icc: s.icc,
  };
}

export const bridgeDriver: NetworkDriver = {
  name: 'bridge',
  capabilities: { ipam: true, ports: true, dns: true, singleton: false },

  async validate(net, others, k, pending) {
    bridgeSettings(net); // option syntax
    // an empty name means the default one, as in Docker
    const dev = net.options[OPT.name] ? parseBridgeName(net.options[OPT.name]) : net.bridge ?? bridgeName(net.id);
    const clash = others.find((o) => o.bridge === dev);
    if (clash) {
      // libnetwork's ForbiddenErrorf: 403 through the API
      throw daemonError(`cannot create network ${net.id} (${dev}): conflicts with network ${clash.id} (${dev}): networks have same bridge name`, 'forbidden');
    }
    // Docker adopts a bridge it did not make (and leaves it at rm); pont only uses its own, so
    // that a network's rm never deletes a link someone else made (docs/differences.md)
    if (!pending?.has(dev) && (await k.getLink(dev))) {
      throw daemonError(`cannot create network ${net.id} (${dev}): a link named ${dev} already exists on this host, and pont only uses bridges it makes: choose another com.docker.network.bridge.name`, 'forbidden');
    }
    return { ...net, bridge: dev };
  },

  planCreate(net) {
    const s = bridgeSettings(net);
    // the length as a number: Docker keeps a subnet as typed, `/016` too
    const cidr = `${net.ipam[0].gateway}/${cidrFromString(net.ipam[0].subnet).prefix}`;
    return [
      // like Docker, the MTU option goes on the containers' veths; the idle bridge keeps 1500
      { op: 'bridge.add', name: net.bridge!, mac: bridgeMac(net.id) },
      { op: 'addr.add', dev: net.bridge!, cidr },
      { op: 'link.set', name: net.bridge!, up: true },
      { op: 'sysctl', key: 'net.ipv4.ip_forward', value: '1' },
      // lets the host reach published ports on 127.0.0.1 (the DNATed packet leaves on the bridge)
      { op: 'sysctl', key: `net.ipv4.conf.${net.bridge}.route_localnet`, value: '1' },
      // enable_icc=false is enforced in FORWARD, which bridged frames only see through br_netfilter
      ...(s.icc ? [] : [{ op: 'sysctl', key: 'net.bridge.bridge-nf-call-iptables', value: '1' } as const]),
      { op: 'fw.add', parts: [firewallOf(net)] },
    ];
  },

  planDelete(net) {
    // The inverse of create, so a failed rm puts back the bridge as it was (MAC, address, up,
    // route_localnet, rules), but what was set on the bridge goes with it in one `ip link del`,
    // as Docker deletes it: an address removed and a link set down first cost a network rm
    // ~25 ms of netlink (2-core machine) for nothing the deletion does not do.
    // Forwarding stays on (Docker never turns it off either).
    const br = net.bridge!;
    const onBridge = (s: Step) =>
      (s.op === 'addr.add' && s.dev === br) || (s.op === 'link.set' && s.name === br) || (s.op === 'sysctl' && s.key.startsWith(`net.ipv4.conf.${br}.`));
    const create = bridgeDriver.planCreate(net);
    const sysctls = create.flatMap((s) => (s.op === 'sysctl' && onBridge(s) ? [s.key] : []));
    return inverse(create.filter((s) => !onBridge(s))).map((s) => (s.op === 'link.del' && s.name === br ? { ...s, settings: { sysctls } } : s));
  },

  planAttach: planBridgeAttach,
  planDetach: planBridgeDetach,
  planPublish: planBridgePublish,
  planUnpublish: planBridgeUnpublish,
};
