// macvlan and ipvlan: each container gets a sub-interface of a parent link of the host, moved
// straight into its namespace as ethN, with an address from the network's subnet and a default
// route via the gateway (none on an internal network, as in Docker). No bridge and no firewall rules: the LAN sees the containers directly.
//
// Known limitation (the kernel's, as with Docker): the host cannot talk to its own macvlan
// containers through the parent. `-o pont.host_shim=true` adds a macvlan link on the host
// ("shim") with an address of the subnet and a /32 route to each container through it.
import { daemonError, PontError } from '../core/errors.js';
import { allocateAddress } from '../core/ipam.js';
import type { ContainerRecord, EndpointRecord, NetworkRecord } from '../core/model.js';
import { inverse, type Step } from '../core/steps.js';
import type { Kernel } from '../kernel/kernel.js';
import type { NetworkDriver } from './driver.js';
import { parseParentName } from '../core/validate/ifname.js';

type Kind = 'macvlan' | 'ipvlan';
const MODES: Record<Kind, { key: string; modes: string[]; default: string }> = {
  macvlan: { key: 'macvlan_mode', modes: ['bridge', 'private', 'vepa', 'passthru'], default: 'bridge' },
  ipvlan: { key: 'ipvlan_mode', modes: ['l2', 'l3', 'l3s'], default: 'l2' },
};
const SHIM = 'pont.host_shim';

const modeOf = (kind: Kind, net: NetworkRecord) => net.options[MODES[kind].key] ?? MODES[kind].default;
/**
 * Docker's name for a network's dummy parent, also used in its "already using" error: `dm-` for
 * macvlan, `di-` for ipvlan (libnetwork's dummyPrefix of each driver), then 12 hex of the id.
 */
const dummyName = (kind: Kind, id: string) => `${kind === 'ipvlan' ? 'di' : 'dm'}-${id.slice(0, 12)}`;

async function validate(kind: Kind, net: NetworkRecord, others: NetworkRecord[], k: Kernel): Promise<NetworkRecord> {
  const mode = modeOf(kind, net);
  if (!MODES[kind].modes.includes(mode)) {
    throw daemonError(`requested ${kind} mode '${mode}' is not valid, '${MODES[kind].default}' mode is the ${kind} driver default`, 'usage');
  }
  if (kind === 'ipvlan' && !(await k.probeLinkKind('ipvlan'))) {
    // Docker accepts the network and fails at the first run; pont says it at once.
    throw daemonError('ipvlan is not supported by this kernel', 'kernel');
  }
  // checked before the kernel is asked anything; an empty parent means none, as in Docker
  const given = net.options.parent ? parseParentName(net.options.parent) : undefined;
  let parent = given?.name;
  const out: NetworkRecord = { ...net };
  if (!parent) {
    parent = dummyName(kind, net.id);
    if (!(await k.probeLinkKind('dummy'))) {
      throw new PontError('Error response from daemon: operation not supported', {
        category: 'kernel',
        hints: [`pont: a ${kind} network without -o parent needs a "dummy" parent link, and this kernel has no dummy link type; give -o parent=IFACE`],
      });
    }
    out.createdParent = { kind: 'dummy' };
    out.internal = true; // Docker: no parent means no way out
  }
  const clash = others.find((o) => o.parent === parent && (o.driver === 'macvlan' || o.driver === 'ipvlan'));
  if (clash) throw daemonError(`network ${dummyName(kind, clash.id)} is already using parent interface ${parent}`);
  if (!out.createdParent) {
    const links = new Set((await k.listLinks()).map((l) => l.name));
    if (!links.has(parent)) {
      const vlan = given?.vlan;
      if (!vlan) throw daemonError(`invalid subinterface vlan name ${parent}, example formatting is eth0.10`, 'usage');
      if (!links.has(vlan.base)) throw daemonError(`-o parent interface was not found on the host: ${vlan.base}`, 'not-found');
      if (!(await k.probeLinkKind('vlan'))) {
        throw new PontError(`Error response from daemon: failed to create ${parent} vlan link: operation not supported`, {
          category: 'kernel',
          hints: ['pont: this kernel has no 802.1q (vlan) link type (modprobe 8021q)'],
        });
      }
      out.createdParent = { kind: 'vlan', base: vlan.base, vlanId: vlan.id };
    }
  }
  out.parent = parent;
  if (net.options[SHIM] === 'true') {
    if (kind !== 'macvlan') throw daemonError(`${SHIM} is only for macvlan networks`, 'usage');
    const { address, book } = allocateAddress({ config: net.ipam[0], book: net.book, networkLabel: net.name });
    out.shim = { ifname: `pshim-${net.id.slice(0, 9)}`, address };
    out.book = book;
  }
  return out;
}

function planCreate(net: NetworkRecord): Step[] {
  const steps: Step[] = [];
  const p = net.createdParent;
  if (p?.kind === 'vlan') steps.push({ op: 'vlan.add', name: net.parent!, parent: p.base!, id: p.vlanId! });
  if (p?.kind === 'dummy') steps.push({ op: 'dummy.add', name: net.parent! });
  if (net.shim) {
    steps.push(
      { op: 'sublink.add', kind: 'macvlan', name: net.shim.ifname, parent: net.parent!, mode: 'bridge', netns: '' },
      { op: 'addr.add', dev: net.shim.ifname, cidr: `${net.shim.address}/32` },
      { op: 'link.set', name: net.shim.ifname, up: true },
    );
  }
  return steps;
}

function planAttach(kind: Kind, net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord): Step[] {
  return [
    { op: 'sublink.add', kind, name: ep.ifname, parent: net.parent!, mode: modeOf(kind, net), netns: ctr.netns, ...(kind === 'macvlan' ? { mac: ep.macAddress } : {}) },
    { op: 'addr.add', dev: ep.ifname, cidr: `${ep.ipAddress}/${ep.prefixLen}`, netns: ctr.netns },
    { op: 'link.set', name: ep.ifname, netns: ctr.netns, up: true },
    ...(net.shim ? [{ op: 'route.add', route: { dst: `${ep.ipAddress}/32`, dev: net.shim.ifname } } as const] : []),
  ];
}

function makeDriver(kind: Kind): NetworkDriver {
  return {
    name: kind,
    capabilities: { ipam: true, ports: false, dns: true, singleton: false },
    validate: (net, others, k) => validate(kind, net, others, k),
    planCreate,
    planDelete: (net) => inverse(planCreate(net)),
    planAttach: (net, ctr, ep) => planAttach(kind, net, ctr, ep),
    planDetach: (net, ctr, ep) => inverse(planAttach(kind, net, ctr, ep)),
  };
}

export const macvlanDriver = makeDriver('macvlan');
export const ipvlanDriver = makeDriver('ipvlan');
