// Overlay planning: the cluster's networks in the local store, the choices made cluster-wide, the
// keys a network and an endpoint hold, and the driver's plan with its explanation. Pure.
import test from 'ava';
import { emptyBook } from '../../src/core/ipam.js';
import { cidrFromString } from '../../src/core/ipv4.js';
import { emptyState, type ContainerRecord, type NetworkRecord } from '../../src/core/model.js';
import { explain, inverse } from '../../src/core/steps.js';
import { networkEntry } from '../../src/cluster/keys.js';
import { overlayDriver, vxlanName } from '../../src/drivers/overlay.js';
import { chooseOverlaySubnet, chooseVni, networkKvs, syncOverlayNetworks } from '../../src/engine/overlay.js';

const overlay = (id: string, name: string, subnet = '10.0.0.0/24'): NetworkRecord => ({
  id: id.repeat(64).slice(0, 64), name, driver: 'overlay', created: '2026-11-30T00:00:00Z', internal: false, attachable: true, labels: {}, options: {},
  ipam: [{ subnet, gateway: subnet.replace(/0\/24$/, '1') }], predefined: false, vni: 4096, bridge: `pont-${id.repeat(10).slice(0, 10)}`, book: emptyBook(),
});

const ctr = (netId: string): ContainerRecord => ({
  id: 'c'.repeat(64), name: 'web', created: '', netns: 'web', networkMode: 'ov', image: 'alpine', hostname: 'cccccccccccc', cmd: [], tty: false, interactive: false,
  autoRemove: false, pid: 0, monitorPid: 0, startedAt: '', finishedAt: '', exitCode: 0, running: true, nextIfIndex: 1, dns: [], dnsSearch: [], dnsOptions: [], extraHosts: [],
  exposed: [], portBindings: [], publishAll: false, ports: [],
  endpoints: [{ networkId: netId, endpointId: 'e'.repeat(64), ifname: 'eth0', hostIfname: 'vethcccccc0', ipAddress: '10.0.0.2', prefixLen: 24, gateway: '', macAddress: '02:42:0a:00:00:02', aliases: ['cccccccccccc'] }],
});

test('the cluster\'s networks are copied in; one gone from the cluster is dropped unless a container here is on it', (t) => {
  const a = overlay('a', 'ova');
  const b = overlay('b', 'ovb', '10.0.1.0/24');
  const c = overlay('c', 'ovc', '10.0.2.0/24');
  const state = { ...emptyState(), networks: [b, c], containers: [ctr(c.id)] };
  const next = syncOverlayNetworks(state, [networkEntry(a)]);
  t.deepEqual(next.networks.map((n) => n.name), ['ovc', 'ova']);
  t.is(syncOverlayNetworks(next, [networkEntry(a)]), next, 'nothing changed: the same state object');
});

test('VNIs from 4096, the lowest free; subnets from 10.0.0.0/8 in /24s, apart from every used one', (t) => {
  t.is(chooseVni(new Set()), 4096);
  t.is(chooseVni(new Set([4096, 4097, 4099])), 4098);
  t.is(chooseOverlaySubnet([]), '10.0.0.0/24');
  t.is(chooseOverlaySubnet([cidrFromString('10.0.0.0/24'), cidrFromString('10.0.1.0/25')]), '10.0.2.0/24');
});

test('a network holds its name, VNI, subnet and record; an endpoint its address and itself, itself under the host lease', (t) => {
  const net = overlay('a', 'ova');
  t.deepEqual(networkKvs(net).map((kv) => kv.key), ['/pont/v1/names/ova', '/pont/v1/vni/4096', '/pont/v1/subnets/10.0.0.0/24', `/pont/v1/networks/${net.id}`]);
  const here = { alone: true, local: '10.99.0.11', underlayMtu: 1500, host: 'h'.repeat(64) };
  const c = ctr(net.id);
  const steps = overlayDriver.planAttach(net, c, c.endpoints[0], here);
  const lines = steps.flatMap((s) => explain(s, 'iptables'));
  t.true(lines.includes(`ip link add ${net.bridge} mtu 1450 type bridge mcast_snooping 0`), lines.join('\n'));
  t.true(lines.includes(`ip link add ${vxlanName(net.id)} mtu 1450 type vxlan id 4096 local 10.99.0.11 dstport 4789 nolearning proxy`), lines.join('\n'));
  // the address outlives a lapse of the host's lease (no other host is given it meanwhile); the endpoint does not
  t.true(lines.some((l) => l.startsWith(`etcdctl put /pont/v1/ipam/${net.id}/10.0.0.2 `)), lines.join('\n'));
  t.true(lines.some((l) => l.startsWith(`etcdctl put --lease="$HOST_LEASE" /pont/v1/endpoints/${net.id}/`)), lines.join('\n'));
  const create = steps.find((s) => s.op === 'cluster.create');
  t.deepEqual(create?.op === 'cluster.create' ? create.kvs.map((kv) => Boolean(kv.lease)) : [], [false, true]);
  // not alone: no devices; the detach is the exact inverse (devices kept)
  const second = overlayDriver.planAttach(net, c, c.endpoints[0], { ...here, alone: false });
  t.false(second.some((s) => s.op === 'vxlan.add' || s.op === 'bridge.add'));
  t.deepEqual(overlayDriver.planDetach(net, c, c.endpoints[0], here), inverse(steps));
  t.true(inverse(steps).some((s) => s.op === 'cluster.delete'));
});

test('without a cluster, an overlay attach is refused in one line', (t) => {
  const net = overlay('a', 'ova');
  const c = ctr(net.id);
  t.throws(() => overlayDriver.planAttach(net, c, c.endpoints[0]), { message: /overlay networks need a cluster store: set "cluster-store" and "cluster-advertise"/ });
});
