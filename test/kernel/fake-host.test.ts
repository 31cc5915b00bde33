// The in-memory host (test/helpers/fake-host.ts) behaves as the Linux parts pont uses do, and
// fails as NetlinkKernel does: these tests pin each rule it models. No root; every test has its
// own host, so they run in parallel.
import test, { type ExecutionContext } from 'ava';
import { KernelError } from '../../src/core/errors.js';
import { baseLayout, bridgeNetworkRules } from '../../src/core/firewall/iptables/layout.js';
import type { FirewallPart } from '../../src/core/firewall/parts.js';
import { portRules } from '../../src/core/firewall/iptables/ports.js';
import { diffFirewall, isCleanDiff, replay } from '../../src/core/firewall/iptables/reconcile.js';
import { chainPolicy, emptyBatch, mergeBatches, presentPart, renderApply, renderUndo } from '../../src/core/firewall/iptables/rules.js';
import { inverse, type Step } from '../../src/core/steps.js';
import { runSteps, undoSteps } from '../../src/engine/steps.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { applyStep, tolerateGone } from '../../src/kernel/ops.js';
import { errnoOf, FakeFiles, FakeKernel, fakeHost, fakeStepHost } from '../helpers/fake-host.js';

/** The call fails as the kernel would: `errno` is what the error carries, `message` what it says. */
async function refused(t: ExecutionContext, p: Promise<unknown> | (() => unknown), errno: string | undefined, message?: RegExp): Promise<Error> {
  let e: Error;
  try {
    await (typeof p === 'function' ? p() : p);
    t.fail(`expected ${errno}`);
    return new Error('no error');
  } catch (err) {
    e = err as Error;
  }
  t.is(errnoOf(e), errno, e.message);
  if (message) t.regex(e.message, message);
  return e;
}

const names = async (k: Kernel, ns?: string) => (await k.listLinks(ns)).map((l) => l.name);
const routes = async (k: Kernel, ns?: string) => (await k.listRoutes(ns)).map((r) => `${r.dst}${r.gateway ? ` via ${r.gateway}` : ''} dev ${r.dev}`);

const host = (k: Kernel) => fakeStepHost({ kernel: k, files: new FakeFiles() });
/** Applies a plan; returns the inverses the runner observed, in the order that undoes it. */
async function applyAll(k: Kernel, steps: Step[]): Promise<Step[]> {
  const recorded: Step[][] = [];
  await runSteps(host(k), steps, { record: (_i, inv) => recorded.push(inv) });
  return recorded.reverse().flat();
}
/** The teardown of a plan: its plan-time inverse, applied. */
const teardown = (k: Kernel, steps: Step[]) => applyAll(k, inverse(steps));
const firewallStep = (...parts: FirewallPart[]): Step => ({ op: 'fw.add', parts });

/** A bridge network as the bridge driver plans it, and a container attached to it. */
function bridgePlan(i: number) {
  const br = `br-${String(i).padStart(4, '0')}`;
  const subnet = `10.${i >> 8}.${i & 255}.0/24`;
  const gw = `10.${i >> 8}.${i & 255}.1`;
  const ip = `10.${i >> 8}.${i & 255}.2`;
  const ns = `c${i}`;
  const host = `veth${i}`;
  const network: Step[] = [
    { op: 'bridge.add', name: br, mac: '02:42:00:00:00:01' },
    { op: 'addr.add', dev: br, cidr: `${gw}/24` },
    { op: 'link.set', name: br, up: true },
    { op: 'sysctl', key: 'net.ipv4.ip_forward', value: '1' },
    { op: 'sysctl', key: `net.ipv4.conf.${br}.route_localnet`, value: '1' },
    firewallStep({ kind: 'network', bridge: br, subnet, gateway: gw, internal: false, masquerade: true, icc: true }),
  ];
  const container: Step[] = [
    { op: 'netns.add', name: ns },
    { op: 'link.set', name: 'lo', netns: ns, up: true },
    { op: 'sysctl', key: 'net.ipv6.conf.all.disable_ipv6', value: '1', netns: ns },
    { op: 'veth.add', name: host, peer: 'eth0', peerNetns: ns, peerMac: '02:42:0a:00:00:02' },
    { op: 'link.master', name: host, master: br },
    { op: 'link.hairpin', name: host, on: true },
    { op: 'link.set', name: host, up: true },
    { op: 'addr.add', dev: 'eth0', cidr: `${ip}/24`, netns: ns },
    { op: 'link.set', name: 'eth0', netns: ns, up: true },
    { op: 'route.default', netns: ns, to: { dst: 'default', gateway: gw, dev: 'eth0' } },
    firewallStep({ kind: 'endpoint', bridge: br, ip }, { kind: 'ports', bridge: br, containerIp: ip, ports: [{ networkId: 'n', proto: 'tcp', hostIp: '', hostPort: 8000 + i, containerPort: 80 }] }),
  ];
  return { br, ns, host, gw, ip, network, container };
}

// ---- namespaces ----

test('a new namespace has lo, down and without addresses; a second one of the name is EEXIST; delete is quiet when gone', async (t) => {
  const k = new FakeKernel();
  t.false(k.netnsExists('c1'));
  await k.addNetns('c1');
  t.true(k.netnsExists('c1'));
  t.deepEqual(await k.listLinks('c1'), [{ name: 'lo', index: 1, up: false, mac: '00:00:00:00:00:00', mtu: 65536, kind: undefined }]);
  t.deepEqual(await k.listAddresses('c1'), []);
  const e = await refused(t, k.addNetns('c1'), 'EEXIST', /open '\/run\/netns\/c1'/);
  t.false(e instanceof KernelError, 'netns.ts makes the file itself: an fs error');
  await k.deleteNetns('c1');
  t.false(k.netnsExists('c1'));
  await k.deleteNetns('c1');
  await refused(t, k.listLinks('c1'), 'ENOENT', /kernel refused: ip link show: ENOENT: no such file or directory, open '\/run\/netns\/c1'/);
});

test('deleting a namespace takes its links, and the host ends of veths whose peer lived there', async (t) => {
  const k = new FakeKernel();
  await k.addNetns('c1');
  await k.addVeth('v1', { name: 'eth0', ns: 'c1' });
  await k.addVeth('v2', { name: 'eth1', ns: 'c1' });
  t.deepEqual(await names(k), ['lo', 'v1', 'v2']);
  await k.deleteNetns('c1');
  t.deepEqual(await names(k), ['lo']);
});

// ---- links ----

test('links: unique increasing indexes per namespace, kinds, given or deterministic MACs, MTU 1500 by default', async (t) => {
  const k = new FakeKernel();
  await k.addBridge('br0', { mtu: 9000, mac: '02:42:AC:11:00:01' });
  await k.addDummy('d0');
  await k.addNetns('c1');
  await k.addVeth('v1', { name: 'eth0', ns: 'c1', mac: '02:42:ac:11:00:02', mtu: 1400 });
  const host = await k.listLinks();
  t.deepEqual(host.map((l) => [l.name, l.index, l.kind, l.up]), [['lo', 1, undefined, true], ['br0', 2, 'bridge', false], ['d0', 3, 'dummy', false], ['v1', 4, 'veth', false]]);
  t.is(host[1].mac, '02:42:ac:11:00:01', 'lower case, as netlink shows it');
  t.regex(host[2].mac!, /^02:fa:ce:/);
  t.deepEqual((await k.listLinks('c1')).map((l) => [l.name, l.index, l.mac]), [['lo', 1, '00:00:00:00:00:00'], ['eth0', 2, '02:42:ac:11:00:02']]);
  const snap = k.snapshot();
  t.is(snap.host.links.br0.mtu, 9000);
  t.is(snap.host.links.d0.mtu, 1500);
  t.is(snap.host.links.v1.mtu, 1400, 'the veth MTU is on both ends');
  t.deepEqual(snap.host.links.v1.peer, { ns: 'c1', name: 'eth0' });
  t.deepEqual(snap.netns.c1.links.eth0, { kind: 'veth', mac: '02:42:ac:11:00:02', mtu: 1400, up: false, peer: { ns: '', name: 'v1' } });
  // the same calls on another fake give the same MACs
  const k2 = new FakeKernel();
  await k2.addBridge('br0', { mtu: 9000, mac: '02:42:AC:11:00:01' });
  await k2.addDummy('d0');
  t.is((await k2.listLinks())[2].mac, host[2].mac);
});

test('link names are unique per namespace (EEXIST), unknown links are ENODEV, lo and NICs cannot be deleted', async (t) => {
  const k = new FakeKernel({ uplink: { cidr: '192.168.1.10/24', gateway: '192.168.1.1' } });
  await k.addNetns('c1');
  await k.addBridge('br0', {});
  await refused(t, k.addBridge('br0', {}), 'EEXIST', /^kernel refused: ip link add br0 type bridge: EEXIST$/);
  await refused(t, k.addDummy('br0'), 'EEXIST');
  await k.addVeth('v1', { name: 'eth0', ns: 'c1' });
  await refused(t, k.addVeth('v2', { name: 'eth0', ns: 'c1' }), 'EEXIST');
  t.deepEqual(await names(k), ['lo', 'eth0', 'br0', 'v1'], 'a failed pair leaves no half behind');
  await refused(t, k.deleteLink('nope'), 'ENODEV', /ip link del nope: ENODEV/);
  await refused(t, k.deleteLink('lo'), 'EOPNOTSUPP');
  await refused(t, k.deleteLink('eth0'), 'EOPNOTSUPP');
  await refused(t, k.setLinkUp('nope', true), 'ENODEV', /ip link show nope: ENODEV/);
  await refused(t, k.addBridge('a-name-too-long-x', {}), 'EINVAL');
  await refused(t, k.addBridge('br1', { mac: '01:00:5e:00:00:01' }), 'EADDRNOTAVAIL');
  // the veth's peer namespace is opened by rtnl.ts itself: a missing one is an fs error
  const e = await refused(t, k.addVeth('v3', { name: 'eth0', ns: 'nope' }), 'ENOENT', /^ENOENT: no such file or directory, open '\/run\/netns\/nope'$/);
  t.false(e instanceof KernelError);
});

test('deleting either end of a veth deletes both', async (t) => {
  const k = new FakeKernel();
  await k.addNetns('c1');
  await k.addVeth('v1', { name: 'eth0', ns: 'c1' });
  await k.deleteLink('eth0', 'c1');
  t.deepEqual(await names(k), ['lo']);
  await k.addVeth('v1', { name: 'eth0', ns: 'c1' });
  await k.deleteLink('v1');
  t.deepEqual(await names(k, 'c1'), ['lo']);
});

test('a master must be a bridge; ports show its index; deleting the bridge frees them; the bridge takes its ports\' smallest MTU', async (t) => {
  const k = new FakeKernel();
  await k.addNetns('c1');
  await k.addBridge('br0', {});
  await k.addDummy('d0');
  await k.addVeth('v1', { name: 'eth0', ns: 'c1', mtu: 1400 });
  await k.setMaster('v1', 'br0');
  const br = (await k.listLinks()).find((l) => l.name === 'br0')!;
  t.is((await k.listLinks()).find((l) => l.name === 'v1')!.master, br.index);
  t.is(k.snapshot().host.links.br0.mtu, 1400);
  await refused(t, k.setMaster('v1', 'd0'), 'EOPNOTSUPP', /ip link set v1 master d0: EOPNOTSUPP/);
  await refused(t, k.setMaster('v1', 'nope'), 'ENODEV', /ip link show nope/);
  await refused(t, k.setMaster('br0', 'br0'), 'ELOOP');
  await k.setMaster('v1', null);
  t.is((await k.listLinks()).find((l) => l.name === 'v1')!.master, undefined);
  t.is(k.snapshot().host.links.br0.mtu, 1500);
  await k.setMaster('v1', null); // nomaster twice is fine
  await k.setMaster('v1', 'br0');
  await k.deleteLink('br0');
  t.is((await k.listLinks()).find((l) => l.name === 'v1')!.master, undefined);
});

test('hairpin is a bridge port flag: EOPNOTSUPP on a link that is no port, gone with the port', async (t) => {
  const k = new FakeKernel();
  await k.addNetns('c1');
  await k.addBridge('br0', {});
  await k.addVeth('v1', { name: 'eth0', ns: 'c1' });
  await refused(t, k.setHairpin('v1', true), 'EOPNOTSUPP', /ip link set v1 type bridge_slave hairpin on: EOPNOTSUPP/);
  await refused(t, k.setHairpin('nope', true), 'ENODEV');
  await k.setMaster('v1', 'br0');
  await k.setHairpin('v1', true);
  t.true(k.snapshot().host.links.v1.hairpin);
  await k.setMaster('v1', null);
  t.is(k.snapshot().host.links.v1.hairpin, undefined);
  // turning hairpin off (a teardown) tolerates both
  await applyStep(host(k), { op: 'link.hairpin', name: 'v1', on: false });
  await applyStep(host(k), { op: 'link.hairpin', name: 'nope', on: false });
});

test('macvlan, ipvlan and vlan links hang off their parent and go with it', async (t) => {
  const k = new FakeKernel({ uplink: { name: 'lan0', cidr: '192.168.1.10/24', mac: '52:54:00:12:34:56' } });
  await k.addNetns('c1');
  await k.addNetns('c2');
  await k.addMacvlan('eth0', { parent: 'lan0', mode: 'bridge', ns: 'c1', mac: '02:42:c0:a8:01:02' });
  await k.addVlan('lan0.50', 'lan0', 50);
  await k.addIpvlan('eth0', { parent: 'lan0.50', mode: 'l2', ns: 'c2' });
  const snap = k.snapshot();
  t.deepEqual(snap.netns.c1.links.eth0, { kind: 'macvlan', mac: '02:42:c0:a8:01:02', mtu: 1500, up: false, parent: 'lan0', mode: 'bridge' });
  t.deepEqual(snap.host.links['lan0.50'], { kind: 'vlan', mac: '52:54:00:12:34:56', mtu: 1500, up: false, parent: 'lan0', vlanId: 50 });
  t.is(snap.netns.c2.links.eth0.mac, '52:54:00:12:34:56', 'an ipvlan shares its parent\'s MAC');
  await refused(t, k.addVlan('v50', 'lan0', 50), 'EEXIST', /type vlan id 50: EEXIST/);
  await refused(t, k.addMacvlan('m1', { parent: 'nope', mode: 'bridge', ns: 'c1' }), 'ENODEV', /ip link show nope/);
  // the request goes to the host's socket, which looks the name up in the host first: a host
  // link of that name refuses it (why CNI's macvlan plugin creates under a temporary name)
  await refused(t, k.addMacvlan('lan0', { parent: 'lan0', mode: 'bridge', ns: 'c2' }), 'EEXIST');
  const withEth0 = new FakeKernel({ uplink: { name: 'eth0', cidr: '192.168.1.10/24' } });
  await withEth0.addNetns('c1');
  await refused(t, withEth0.addMacvlan('eth0', { parent: 'eth0', mode: 'bridge', ns: 'c1' }), 'EEXIST');
  // one rx_handler per device
  await refused(t, k.addIpvlan('ip1', { parent: 'lan0', mode: 'l2', ns: 'c2' }), 'EBUSY');
  await k.addBridge('br0', {});
  await k.addDummy('d0');
  await k.setMaster('d0', 'br0');
  await refused(t, k.addMacvlan('m1', { parent: 'd0', mode: 'bridge', ns: '' }), 'EBUSY');
  await refused(t, k.setMaster('lan0', 'br0'), 'EBUSY');
  // a vlan comes up only over an up parent, and goes down with it
  await k.addDummy('d1');
  await k.addVlan('d1.7', 'd1', 7);
  await refused(t, k.setLinkUp('d1.7', true), 'ENETDOWN');
  await k.setLinkUp('d1', true);
  await k.setLinkUp('d1.7', true);
  await k.setLinkUp('d1', false);
  t.false(k.snapshot().host.links['d1.7'].up);
  await k.deleteLink('lan0.50');
  t.deepEqual(await names(k, 'c2'), ['lo']);
  await k.deleteLink('d1');
  t.false((await names(k)).includes('d1.7'));
});

test('vxlan: one device per VNI and port, FDB remotes appended for the all-zero MAC and replaced for others, neighbours gone when the device goes down', async (t) => {
  const k = new FakeKernel();
  const zero = '00:00:00:00:00:00';
  await k.addVxlan('vx0', { vni: 42, local: '10.99.0.1', port: 4789 });
  await refused(t, k.addVxlan('vx1', { vni: 42, local: '10.99.0.1', port: 4789 }), 'EEXIST', /^kernel refused: ip link add vx1 type vxlan id 42 local 10.99.0.1 dstport 4789: EEXIST$/);
  await k.addVxlan('vx1', { vni: 42, local: '10.99.0.1', port: 4790 });
  await refused(t, k.addVxlan('vx2', { vni: 2 ** 24, local: '10.99.0.1', port: 4789 }), 'ERANGE');
  t.like((await k.getLink('vx0'))!, { kind: 'vxlan', mtu: 1500, up: false });
  await k.fdbAdd('vx0', zero, '10.99.0.2');
  await k.fdbAdd('vx0', zero, '10.99.0.3');
  await k.fdbAdd('vx0', zero, '10.99.0.3');
  await k.fdbAdd('vx0', '02:00:00:00:00:05', '10.99.0.2');
  await k.fdbAdd('vx0', '02:00:00:00:00:05', '10.99.0.3');
  t.deepEqual(k.snapshot().host.links.vx0.fdb, [`${zero} 10.99.0.2`, `${zero} 10.99.0.3`, '02:00:00:00:00:05 10.99.0.3']);
  // as vxlan_fdb_delete: ENOENT without an entry for the MAC; a MAC without that remote is left as it is
  await k.fdbDel('vx0', zero, '10.99.0.9');
  await refused(t, k.fdbDel('vx0', '02:00:00:00:00:06', '10.99.0.2'), 'ENOENT', /^kernel refused: bridge fdb del 02:00:00:00:00:06 dev vx0 dst 10.99.0.2 self: ENOENT$/);
  await k.fdbDel('vx0', zero, '10.99.0.2');
  t.deepEqual(await k.listFdb('vx0'), [{ mac: zero, dst: '10.99.0.3' }, { mac: '02:00:00:00:00:05', dst: '10.99.0.3' }]);
  await k.addBridge('br0', { mcastSnooping: false });
  t.is(k.snapshot().host.links.br0.mcastSnooping, false);
  await refused(t, k.fdbAdd('br0', zero, '10.99.0.2'), 'EOPNOTSUPP');
  await refused(t, k.fdbAdd('nope', zero, '10.99.0.2'), 'ENODEV', /ip link show nope/);
  await k.neighAdd('vx0', '10.0.9.2', '02:00:00:00:00:05');
  await refused(t, k.neighDel('vx0', '10.0.9.9'), 'ENOENT', /^kernel refused: ip neigh del 10.0.9.9 dev vx0: ENOENT$/);
  await k.setLinkUp('vx0', true);
  t.deepEqual(await k.listNeigh('vx0'), [{ ip: '10.0.9.2', mac: '02:00:00:00:00:05', permanent: true }]);
  await k.setLinkUp('vx0', false);
  t.deepEqual(await k.listNeigh('vx0'), [], 'arp_ifdown flushes permanent entries too');
  t.is((await k.listFdb('vx0')).length, 2, 'permanent FDB entries stay');
});

test('probeLinkKind is true for every kind unless the kernel lacks it; then creating one is EOPNOTSUPP', async (t) => {
  const k = new FakeKernel();
  for (const kind of ['vlan', 'dummy', 'ipvlan', 'macvlan'] as const) t.true(await k.probeLinkKind(kind));
  const bare = new FakeKernel({ missingKinds: ['ipvlan', 'dummy'] });
  t.false(await bare.probeLinkKind('ipvlan'));
  t.true(await bare.probeLinkKind('vlan'));
  await refused(t, bare.addDummy('d0'), 'EOPNOTSUPP', /ip link add d0 type dummy/);
  await bare.addNetns('c1');
  await bare.addNic('lan0');
  await refused(t, bare.addIpvlan('eth0', { parent: 'lan0', mode: 'l2', ns: 'c1' }), 'EOPNOTSUPP');
});

// ---- addresses and routes ----

test('addresses: EEXIST twice, EADDRNOTAVAIL when missing, gone with their link; lo gets 127.0.0.1/8 when it comes up', async (t) => {
  const k = new FakeKernel();
  await k.addNetns('c1');
  await k.addBridge('br0', {});
  await k.addAddress('br0', '10.1.0.1/24');
  await refused(t, k.addAddress('br0', '10.1.0.1/24'), 'EEXIST', /ip addr add 10.1.0.1\/24 brd \+ dev br0: EEXIST/);
  await k.addAddress('br0', '10.1.0.1/16'); // another prefix is another address
  await refused(t, k.deleteAddress('br0', '10.1.0.9/24'), 'EADDRNOTAVAIL', /ip addr del 10.1.0.9\/24 dev br0: EADDRNOTAVAIL/);
  await refused(t, k.addAddress('nope', '10.1.0.1/24'), 'ENODEV');
  await k.deleteAddress('br0', '10.1.0.1/16');
  t.deepEqual(await k.listAddresses(), [{ dev: 'lo', cidr: '127.0.0.1/8' }, { dev: 'br0', cidr: '10.1.0.1/24' }]);
  await k.deleteLink('br0');
  t.deepEqual(await k.listAddresses(), [{ dev: 'lo', cidr: '127.0.0.1/8' }]);
  await k.setLinkUp('lo', true, 'c1');
  t.deepEqual(await k.listAddresses('c1'), [{ dev: 'lo', cidr: '127.0.0.1/8' }]);
  t.deepEqual(await k.listRoutes('c1'), [], 'lo\'s routes are in the local table');
});

test('a connected route exists while its link is up with an address in the subnet', async (t) => {
  const k = new FakeKernel();
  await k.addBridge('br0', {});
  await k.addAddress('br0', '10.1.0.1/24');
  t.deepEqual(await routes(k), [], 'down: no route');
  await k.setLinkUp('br0', true);
  t.deepEqual(await k.listRoutes(), [{ dst: '10.1.0.0/24', dev: 'br0' }]);
  await k.addAddress('br0', '10.1.0.7/24');
  await k.addAddress('br0', '10.9.9.9/32');
  t.deepEqual(await routes(k), ['10.1.0.0/24 dev br0'], 'one route a subnet; none for a /32');
  await k.deleteAddress('br0', '10.1.0.1/24');
  t.deepEqual(await routes(k), ['10.1.0.0/24 dev br0'], 'another address still covers the subnet');
  await k.deleteAddress('br0', '10.1.0.7/24');
  t.deepEqual(await routes(k), []);
  await k.addAddress('br0', '10.1.0.1/24');
  await k.setLinkUp('br0', false);
  t.deepEqual(await routes(k), []);
  await k.setLinkUp('br0', true);
  t.deepEqual(await routes(k), ['10.1.0.0/24 dev br0'], 'back when the link comes up');
  await k.deleteLink('br0');
  t.deepEqual(await routes(k), []);
});

test('static routes: need an up device and a reachable gateway, EEXIST twice, ESRCH when missing, gone when their device goes down', async (t) => {
  const k = new FakeKernel();
  await k.addNetns('c1');
  await k.addVeth('v1', { name: 'eth0', ns: 'c1' });
  await k.addAddress('eth0', '10.1.0.2/24', 'c1');
  const dflt = { dst: 'default', gateway: '10.1.0.1', dev: 'eth0' };
  await refused(t, k.addRoute(dflt, 'c1'), 'ENETUNREACH', /ip route add default via 10.1.0.1 dev eth0: ENETUNREACH/);
  await refused(t, k.addRoute({ dst: '10.5.0.0/16', dev: 'eth0' }, 'c1'), 'ENETDOWN');
  await k.setLinkUp('eth0', true, 'c1');
  await refused(t, k.addRoute({ dst: 'default', gateway: '10.2.0.1', dev: 'eth0' }, 'c1'), 'ENETUNREACH');
  await refused(t, k.addRoute({ dst: 'default', gateway: '10.1.0.2', dev: 'eth0' }, 'c1'), 'EINVAL', undefined);
  await refused(t, k.addRoute({ dst: '10.5.0.1/16', dev: 'eth0' }, 'c1'), 'EINVAL');
  await refused(t, k.addRoute({ dst: '10.5.0.0/16', dev: 'nope' }, 'c1'), 'ENODEV', /ip link show nope/);
  await k.addRoute(dflt, 'c1');
  await refused(t, k.addRoute(dflt, 'c1'), 'EEXIST');
  await refused(t, k.addRoute({ dst: '10.1.0.0/24', dev: 'eth0' }, 'c1'), 'EEXIST', undefined);
  await k.addRoute({ dst: '10.5.0.0/16', gateway: '10.1.0.1' }, 'c1');
  t.deepEqual(await routes(k, 'c1'), ['default via 10.1.0.1 dev eth0', '10.1.0.0/24 dev eth0', '10.5.0.0/16 via 10.1.0.1 dev eth0']);
  await k.deleteRoute({ dst: '10.5.0.0/16', gateway: '10.1.0.1' }, 'c1');
  await refused(t, k.deleteRoute({ dst: '10.5.0.0/16', gateway: '10.1.0.1' }, 'c1'), 'ESRCH', /ip route del 10.5.0.0\/16 via 10.1.0.1: ESRCH/);
  await refused(t, k.deleteRoute({ dst: 'default', gateway: '10.1.0.9', dev: 'eth0' }, 'c1'), 'ESRCH');
  await refused(t, k.deleteRoute({ dst: '10.1.0.0/24', dev: 'eth0' }, 'c1'), 'ESRCH', undefined);
  t.deepEqual(await routes(k, 'c1'), ['default via 10.1.0.1 dev eth0', '10.1.0.0/24 dev eth0'], 'pont asks with proto boot: a connected route stays');
  await k.setLinkUp('eth0', false, 'c1');
  await k.setLinkUp('eth0', true, 'c1');
  t.deepEqual(await routes(k, 'c1'), ['10.1.0.0/24 dev eth0'], 'the default route went with the link; the connected one came back');
  await k.addRoute(dflt, 'c1');
  await k.deleteAddress('eth0', '10.1.0.2/24', 'c1');
  t.deepEqual(await routes(k, 'c1'), [], 'the last address gone takes every route through the device');
  // tolerateGone: deleting what is gone is success for pont's undo
  await tolerateGone(k.deleteRoute(dflt, 'c1'));
  await tolerateGone(k.deleteRoute(dflt, 'gone-ns'));
});

// ---- sysctls ----

test('sysctls: defaults per namespace, per-device keys only while the device is there, ip_forward reaching every device', async (t) => {
  const k = new FakeKernel({ sysctls: { 'net.ipv6.conf.all.disable_ipv6': '1' } });
  t.is(k.readSysctl('net.ipv4.ip_forward'), '0');
  t.is(k.readSysctl('net.bridge.bridge-nf-call-iptables'), '1');
  t.is(k.readSysctl('net.ipv6.conf.default.disable_ipv6'), '1', 'all.disable_ipv6 reaches default');
  await refused(t, () => k.readSysctl('net.ipv4.conf.br0.route_localnet'), 'ENOENT', /^ENOENT: no such file or directory, open '\/proc\/sys\/net\/ipv4\/conf\/br0\/route_localnet'$/);
  await refused(t, () => k.writeSysctl('net.ipv4.conf.br0.route_localnet', '1'), 'ENOENT');
  await k.addBridge('br0', {});
  t.is(k.readSysctl('net.ipv4.conf.br0.route_localnet'), '0');
  k.writeSysctl('net.ipv4.conf.br0.route_localnet', '1');
  t.is(k.readSysctl('net.ipv4.conf.br0.route_localnet'), '1');
  await refused(t, () => k.writeSysctl('net.ipv4.conf.br0.route_localnet', 'yes'), 'EINVAL');
  k.writeSysctl('net.ipv4.ip_forward', '1');
  t.is(k.readSysctl('net.ipv4.conf.all.forwarding'), '1', 'ip_forward is conf.all.forwarding');
  t.is(k.readSysctl('net.ipv4.conf.br0.forwarding'), '1');
  t.is(k.readSysctl('net.ipv4.conf.default.forwarding'), '1');
  await k.deleteLink('br0');
  await refused(t, () => k.readSysctl('net.ipv4.conf.br0.route_localnet'), 'ENOENT');
  // a namespace copies the host's IPv4 all/default and starts IPv6 afresh
  await k.addNetns('c1');
  t.is(k.readSysctl('net.ipv4.ip_forward', 'c1'), '1');
  t.is(k.readSysctl('net.ipv6.conf.all.disable_ipv6', 'c1'), '0');
  k.writeSysctl('net.ipv6.conf.all.disable_ipv6', '1', 'c1');
  t.is(k.readSysctl('net.ipv6.conf.lo.disable_ipv6', 'c1'), '1');
  k.writeSysctl('net.ipv4.ip_forward', '0', 'c1');
  t.is(k.readSysctl('net.ipv4.ip_forward'), '1', 'namespaces are apart');
  await refused(t, () => k.readSysctl('net.ipv4.ip_forward', 'nope'), 'ENOENT', /open '\/run\/netns\/nope'/);
  const noBrNf = new FakeKernel({ brNetfilter: false });
  await refused(t, () => noBrNf.readSysctl('net.bridge.bridge-nf-call-iptables'), 'ENOENT');
});

// ---- firewall ----

const FILTER_ONLY = { tables: ['filter' as const] };

test('iptables-save shows the tables with their built-in chains and policies', async (t) => {
  const k = new FakeKernel({ firewall: '*filter\n:FORWARD DROP [0:0]\nCOMMIT\n' });
  const saved = await k.saveFirewall();
  t.is(chainPolicy(saved, 'filter', 'FORWARD'), 'DROP');
  t.is(chainPolicy(saved, 'nat', 'POSTROUTING'), 'ACCEPT');
  t.regex(saved, /\*raw\n:PREROUTING ACCEPT \[0:0\]\n:OUTPUT ACCEPT \[0:0\]\nCOMMIT\n/);
  t.is(await new FakeKernel(FILTER_ONLY).saveFirewall(), '# Generated by iptables-save v1.8.9 (fake)\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n# Completed\n');
});

test('iptables-restore --noflush: -N, -A, -I at a position, -D, -F, -X and chain declarations', async (t) => {
  const k = new FakeKernel(FILTER_ONLY);
  await k.restoreFirewall('*filter\n-N P-FWD\n-A P-FWD -j RETURN\n-I P-FWD -o br0 -j ACCEPT\n-I P-FWD 2 -m comment --comment "two words" -j DROP\n-I FORWARD -j P-FWD\nCOMMIT\n');
  t.deepEqual(k.firewall.rules('filter', 'P-FWD'), ['-o br0 -j ACCEPT', '-m comment --comment "two words" -j DROP', '-j RETURN']);
  t.regex(await k.saveFirewall(), /:OUTPUT ACCEPT \[0:0\]\n:P-FWD - \[0:0\]\n-A FORWARD -j P-FWD\n-A P-FWD -o br0 -j ACCEPT\n-A P-FWD -m comment --comment "two words" -j DROP\n/);
  await k.restoreFirewall('*filter\n-D P-FWD -m comment --comment "two words" -j DROP\n-D P-FWD 1\nCOMMIT\n');
  t.deepEqual(k.firewall.rules('filter', 'P-FWD'), ['-j RETURN']);
  // a declaration of an existing user chain flushes it; of a new one creates it
  await k.restoreFirewall('*filter\n:P-FWD - [0:0]\n:P-NEW - [0:0]\nCOMMIT\n');
  t.deepEqual(k.firewall.rules('filter', 'P-FWD'), []);
  t.deepEqual(k.firewall.rules('filter', 'P-NEW'), []);
  await k.restoreFirewall('*filter\n-A P-NEW -j ACCEPT\n-F P-NEW\n-X P-NEW\n-D FORWARD -j P-FWD\n-X P-FWD\nCOMMIT\n');
  t.deepEqual(k.snapshot().firewall, new FakeKernel(FILTER_ONLY).snapshot().firewall);
});

test('iptables-restore applies all or nothing: a failing line leaves every table as it was', async (t) => {
  const k = new FakeKernel();
  await k.restoreFirewall('*filter\n-N P\n-A P -j RETURN\nCOMMIT\n');
  const before = k.snapshot();
  const bad: [string, RegExp][] = [
    ['*nat\n-N Q\nCOMMIT\n*filter\n-N P\nCOMMIT\n', /line 5 failed: Chain already exists/],
    ['*filter\n-X MISSING\nCOMMIT\n', /Chain 'MISSING' does not exist/],
    ['*filter\n-X P\nCOMMIT\n', /not empty/],
    ['*filter\n-N Q\n-A Q -j P\n-F P\n-X P\nCOMMIT\n', /line 5 failed: Too many links/],
    ['*filter\n-D P -j ACCEPT\nCOMMIT\n', /Bad rule \(does a matching rule exist in that chain\?\)/],
    ['*filter\n-A P -j NOWHERE\nCOMMIT\n', /Couldn't load target `NOWHERE'/],
    ['*filter\n-A P -j MASQUERADE\nCOMMIT\n', /only valid in nat table/],
    ['*filter\n-I P 3 -j DROP\nCOMMIT\n', /Index of insertion too big/],
    ['*filter\n-N Q\n-A Q -j P\n-A P -j Q\nCOMMIT\n', /line 5 failed: .*loop/],
    ['*filter\n-A P -j DROP\n', /line 3 failed: COMMIT expected/],
    ['*bogus\nCOMMIT\n', /Table does not exist/],
    ['-A P -j DROP\n', /no table/],
    ['*filter\n:FORWARD MAYBE [0:0]\nCOMMIT\n', /Bad policy name/],
  ];
  for (const [doc, message] of bad) {
    const e = await refused(t, k.restoreFirewall(doc), undefined, message);
    t.true(e instanceof KernelError && e.command === 'iptables-restore -w 5 --noflush', doc);
    t.deepEqual(k.snapshot(), before, doc);
  }
});

test('a batch rendered by renderApply and read back by iptables-save is present whole, and renderUndo removes it', async (t) => {
  const k = new FakeKernel();
  const initial = k.snapshot();
  const batch = mergeBatches(
    baseLayout(),
    bridgeNetworkRules({ bridge: 'br-1', subnet: '172.18.0.0/16', gateway: '172.18.0.1', internal: false, masquerade: true, icc: false }),
    bridgeNetworkRules({ bridge: 'br-2', subnet: '172.19.0.0/16', gateway: '172.19.0.1', internal: true, masquerade: false, icc: true }),
    portRules({ bridge: 'br-1', containerIp: '172.18.0.2', ports: [{ networkId: 'n', proto: 'tcp', hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80 }, { networkId: 'n', proto: 'udp', hostIp: '', hostPort: 53, containerPort: 53 }] }),
  );
  await k.restoreFirewall(renderApply(batch));
  const saved = await k.saveFirewall();
  t.deepEqual(presentPart(batch, saved), batch);
  t.true(isCleanDiff(diffFirewall(replay([batch]), saved)), JSON.stringify(diffFirewall(replay([batch]), saved)));
  // inserts at a position land where reconcile's replay says
  t.deepEqual(k.firewall.rules('filter', 'PONT-ISOLATION-STAGE-2'), ['-m conntrack --ctstate DNAT -j RETURN', '-o br-1 -j DROP', '-j RETURN']);
  await k.restoreFirewall(renderUndo(batch));
  t.deepEqual(presentPart(batch, await k.saveFirewall()), emptyBatch());
  t.deepEqual(k.snapshot(), initial);
});

test('fw.del after a flush: the whole inverse fails, then only what is left is deleted', async (t) => {
  const k = new FakeKernel();
  const base = firewallStep({ kind: 'base' });
  const rules = firewallStep({ kind: 'network', bridge: 'br-1', subnet: '172.18.0.0/16', gateway: '172.18.0.1', internal: false, masquerade: true, icc: true });
  await applyAll(k, [base]);
  const withBase = k.snapshot();
  await applyAll(k, [rules]);
  await k.restoreFirewall('*filter\n-F PONT-FORWARD\n-A PONT-FORWARD -j PONT-USER\n-A PONT-FORWARD -j PONT-ISOLATION-STAGE-1\nCOMMIT\n');
  k.calls.length = 0;
  await teardown(k, [rules]);
  t.deepEqual(k.snapshot(), withBase);
  t.deepEqual(k.calls.map((c) => [c.method, Boolean(c.error)]), [['restoreFirewall', true], ['restoreFirewall', false]]);
});

// ---- recording, faults, snapshots ----

test('every changing call is recorded with its arguments (and its error when it failed); reads are not', async (t) => {
  const k = new FakeKernel();
  await k.addNetns('c1');
  await k.addBridge('br0', { mtu: 1400 });
  await k.listLinks();
  k.readSysctl('net.ipv4.ip_forward');
  k.writeSysctl('net.ipv4.ip_forward', '1');
  await k.addAddress('br0', '10.0.0.1/24').catch(() => {});
  await k.addAddress('br0', '10.0.0.1/24').catch(() => {});
  await k.setLinkUp('lo', true, 'c1');
  t.deepEqual(k.calls, [
    { method: 'addNetns', args: ['c1'] },
    { method: 'addBridge', args: ['br0', { mtu: 1400 }] },
    { method: 'writeSysctl', args: ['net.ipv4.ip_forward', '1'] },
    { method: 'addAddress', args: ['br0', '10.0.0.1/24'] },
    { method: 'addAddress', args: ['br0', '10.0.0.1/24'], error: 'kernel refused: ip addr add 10.0.0.1/24 brd + dev br0: EEXIST' },
    { method: 'setLinkUp', args: ['lo', true, 'c1'] },
  ]);
  t.deepEqual(k.callsOf('addAddress'), [['br0', '10.0.0.1/24'], ['br0', '10.0.0.1/24']]);
});

test('failNext fails the next call of a method, as the real one would fail, and changes nothing', async (t) => {
  const k = new FakeKernel();
  const before = k.snapshot();
  k.failNext('addBridge', 'ENOMEM').failNext('addBridge');
  const e = await refused(t, k.addBridge('br0', {}), 'ENOMEM', /^kernel refused: ip link add br0 type bridge: ENOMEM$/);
  t.true(e instanceof KernelError);
  await refused(t, k.addBridge('br0', {}), 'EIO');
  t.deepEqual(k.snapshot(), before);
  await k.addBridge('br0', {});
  k.failNext('writeSysctl', 'EACCES');
  await refused(t, () => k.writeSysctl('net.ipv4.ip_forward', '1'), 'EACCES', /^EACCES: permission denied, open '\/proc\/sys\/net\/ipv4\/ip_forward'$/);
  k.failNext('restoreFirewall', new Error('xtables lock held'));
  await t.throwsAsync(k.restoreFirewall('*filter\nCOMMIT\n'), { message: 'xtables lock held' });
  k.failNext('listLinks');
  await refused(t, k.listLinks(), 'EIO');
  t.is((await k.listLinks()).length, 2);
});

test('failWhen fails every call its predicate picks until removed', async (t) => {
  const k = new FakeKernel();
  await k.addNetns('c1');
  const stop = k.failWhen(({ method, args }) => method === 'setLinkUp' && args[2] === 'c1' && 'EBUSY');
  await refused(t, k.setLinkUp('lo', true, 'c1'), 'EBUSY');
  await k.setLinkUp('lo', false);
  stop();
  await k.setLinkUp('lo', true, 'c1');
  t.true(k.snapshot().netns.c1.links.lo.up);
});

test('a plan applied then undone leaves the host as it was; the same plan on two fakes gives the same state', async (t) => {
  const h = fakeHost({ uplink: { cidr: '192.168.1.10/24', gateway: '192.168.1.1' } });
  const k = h.kernel;
  await applyAll(k, [firewallStep({ kind: 'base' })]);
  const before = h.snapshot();
  const p = bridgePlan(1);
  const undo = await applyAll(k, [...p.network, ...p.container]);
  const snap = k.snapshot();
  t.deepEqual(snap.netns.c1.routes, ['10.0.1.0/24 dev eth0 proto kernel', 'default via 10.0.1.1 dev eth0']);
  t.deepEqual(snap.host.links[p.host], { kind: 'veth', mac: snap.host.links[p.host].mac, mtu: 1500, up: true, master: p.br, hairpin: true, peer: { ns: 'c1', name: 'eth0' } });
  t.is(snap.host.sysctls[`net.ipv4.conf.${p.br}.route_localnet`], '1');
  t.is(snap.netns.c1.sysctls['net.ipv6.conf.eth0.disable_ipv6'], '1');
  const twin = fakeHost({ uplink: { cidr: '192.168.1.10/24', gateway: '192.168.1.1' } });
  await applyAll(twin.kernel, [firewallStep({ kind: 'base' }), ...bridgePlan(1).network, ...bridgePlan(1).container]);
  t.deepEqual(twin.snapshot(), h.snapshot());
  await undoSteps(host(k), undo);
  t.deepEqual(h.snapshot(), before);
});

test('a detach undone (the pair re-created) gives the veth its MAC back, as the runner observed it', async (t) => {
  const k = new FakeKernel();
  await applyAll(k, [firewallStep({ kind: 'base' })]);
  const p = bridgePlan(2);
  await applyAll(k, [...p.network, ...p.container]);
  const attached = k.snapshot();
  const veth = p.container.slice(3, 10);
  const undo = await teardown(k, veth); // detach
  t.false(p.host in k.snapshot().host.links);
  await undoSteps(host(k), undo); // the detach's undo, from what was observed
  t.deepEqual(k.snapshot(), attached);
});

test('fast enough for many plans: 300 networks with a container each, applied and undone from the observed inverses', async (t) => {
  const k = new FakeKernel();
  await applyAll(k, [firewallStep({ kind: 'base' })]);
  const before = k.snapshot();
  const plans = Array.from({ length: 300 }, (_, i) => bridgePlan(i + 10));
  const started = Date.now();
  const undo: Step[][] = [];
  for (const p of plans) undo.push(await applyAll(k, [...p.network, ...p.container]));
  t.is(Object.keys(k.snapshot().netns).length, 300);
  for (const u of undo.reverse()) await undoSteps(host(k), u);
  t.deepEqual(k.snapshot(), before);
  t.log(`${Date.now() - started} ms`);
});

// ---- files ----

test('files: an in-memory tree with realFiles\' answers', (t) => {
  const f = new FakeFiles({ '/etc/hosts': '127.0.0.1 localhost\n' });
  t.is(f.read('/etc/hosts'), '127.0.0.1 localhost\n');
  t.is(f.read('/etc/nope'), null);
  t.is(f.read('/etc/hosts/x'), null, 'ENOTDIR reads as nothing');
  t.throws(() => f.read('/etc'), { code: 'EISDIR' });
  f.write('/etc/netns/c1/resolv.conf', 'nameserver 1.1.1.1\n');
  t.true(f.exists('/etc/netns/c1'));
  f.makeDir('/etc/netns/c1/sub');
  t.deepEqual(f.listFiles('/etc/netns/c1'), ['resolv.conf']);
  t.deepEqual(f.listFiles('/nope'), []);
  t.is(f.removeDir('/etc/netns/c1'), 'kept');
  f.remove('/etc/netns/c1/resolv.conf');
  f.remove('/etc/netns/c1/resolv.conf');
  t.is(f.removeDir('/etc/netns/c1/sub'), 'removed');
  t.is(f.removeDir('/etc/netns/c1'), 'removed');
  t.is(f.removeDir('/etc/netns/c1'), 'gone');
  t.throws(() => f.removeDir('/etc/hosts'), { code: 'ENOTDIR' });
  t.throws(() => f.makeDir('/etc/hosts'), { code: 'EEXIST' });
  t.throws(() => f.write('/etc/hosts/x', ''), { code: 'ENOTDIR' });
  f.write('/run/pont/a/b', '1');
  f.removeTree('/run/pont');
  f.removeTree('/run/pont');
  t.deepEqual(f.snapshot(), { dirs: ['/', '/etc', '/etc/netns', '/run'], files: { '/etc/hosts': '127.0.0.1 localhost\n' } });
  t.deepEqual(f.calls.map((c) => c.method).slice(0, 3), ['write', 'makeDir', 'removeDir']);
});
