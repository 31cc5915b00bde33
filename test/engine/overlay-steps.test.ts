// The overlay's kernel steps (VXLAN device, FDB and neighbour entries, a flooding bridge) on the
// in-memory host: their explanations and plan-time inverses, a failure at any step of a host's
// overlay set-up undone exactly, and the observed inverses of entries that were already there.
import test from 'ava';
import { explain, inverse, type Step } from '../../src/core/steps.js';
import { runSteps, undoSteps } from '../../src/engine/steps.js';
import { observeInverse } from '../../src/kernel/ops.js';
import { FakeFiles, FakeKernel, fakeHost, fakeStepHost } from '../helpers/fake-host.js';

const ZERO = '00:00:00:00:00:00';
const REMOTE_MAC = '02:42:0a:00:09:03';

/** One host's side of an overlay network, as a planner would write it. */
const overlayPlan = (): Step[] => [
  { op: 'bridge.add', name: 'ov-br', mcastSnooping: false },
  { op: 'vxlan.add', name: 'ov-vx', vni: 4097, local: '192.168.1.10', port: 4789, mtu: 1450 },
  { op: 'link.master', name: 'ov-vx', master: 'ov-br' },
  { op: 'link.set', name: 'ov-vx', up: true },
  { op: 'link.set', name: 'ov-br', up: true },
  { op: 'fdb.add', dev: 'ov-vx', mac: ZERO, dst: '192.168.1.11' },
  { op: 'fdb.add', dev: 'ov-vx', mac: ZERO, dst: '192.168.1.12' },
  { op: 'fdb.add', dev: 'ov-vx', mac: REMOTE_MAC, dst: '192.168.1.11' },
  { op: 'neigh.add', dev: 'ov-vx', ip: '10.0.9.3', mac: REMOTE_MAC },
];

const world = () => {
  const h = fakeHost({ uplink: { name: 'eth0', cidr: '192.168.1.10/24', gateway: '192.168.1.1', mtu: 1500 } });
  return { h, k: h.kernel, host: fakeStepHost(h) };
};

test('explain: the ip and bridge lines of the overlay steps', (t) => {
  const lines = (s: Step) => explain(s, 'iptables');
  t.deepEqual(lines({ op: 'vxlan.add', name: 'vx0', vni: 4097, local: '10.99.0.1', port: 4789, mtu: 1450 }), ['ip link add vx0 mtu 1450 type vxlan id 4097 local 10.99.0.1 dstport 4789 nolearning proxy']);
  t.deepEqual(lines({ op: 'vxlan.add', name: 'vx0', vni: 1, local: '10.99.0.1', port: 4789, mac: '02:42:c0:a8:01:0a' }), ['ip link add vx0 address 02:42:c0:a8:01:0a type vxlan id 1 local 10.99.0.1 dstport 4789 nolearning proxy']);
  t.deepEqual(lines({ op: 'bridge.add', name: 'br0', mcastSnooping: false }), ['ip link add br0 type bridge mcast_snooping 0']);
  t.deepEqual(lines({ op: 'fdb.add', dev: 'vx0', mac: ZERO, dst: '10.99.0.2' }), ['bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.99.0.2 self permanent']);
  t.deepEqual(lines({ op: 'fdb.add', dev: 'vx0', mac: REMOTE_MAC, dst: '10.99.0.2' }), [`bridge fdb replace ${REMOTE_MAC} dev vx0 dst 10.99.0.2 self permanent`]);
  t.deepEqual(lines({ op: 'fdb.del', dev: 'vx0', mac: ZERO, dst: '10.99.0.2' }), ['bridge fdb del 00:00:00:00:00:00 dev vx0 dst 10.99.0.2 self']);
  t.deepEqual(lines({ op: 'neigh.add', dev: 'vx0', ip: '10.0.9.3', mac: REMOTE_MAC }), [`ip neigh replace 10.0.9.3 lladdr ${REMOTE_MAC} dev vx0 nud permanent`]);
  t.deepEqual(lines({ op: 'neigh.del', dev: 'vx0', ip: '10.0.9.3' }), ['ip neigh del 10.0.9.3 dev vx0']);
});

test('plan-time inverses: the device is deleted (recreatable), entries deleted, deletions put back', (t) => {
  const vx: Step = { op: 'vxlan.add', name: 'vx0', vni: 4097, local: '10.99.0.1', port: 4789 };
  const fdb = { dev: 'vx0', mac: ZERO, dst: '10.99.0.2' };
  const neigh = { dev: 'vx0', ip: '10.0.9.3', mac: REMOTE_MAC };
  t.deepEqual(inverse([vx, { op: 'fdb.add', ...fdb }, { op: 'neigh.add', ...neigh }]), [
    { op: 'neigh.del', ...neigh },
    { op: 'fdb.del', ...fdb },
    { op: 'link.del', name: 'vx0', recreate: vx },
  ]);
  t.deepEqual(inverse(inverse([{ op: 'fdb.add', ...fdb }, { op: 'neigh.add', ...neigh }])), [{ op: 'fdb.add', ...fdb }, { op: 'neigh.add', ...neigh }]);
  t.deepEqual(inverse([{ op: 'neigh.del', dev: 'vx0', ip: '10.0.9.3' }]), [], 'a deletion that does not say the MAC has no plan-time inverse (the runner observes it)');
});

test('the overlay set-up: a failure at any step leaves the host exactly as before; its teardown too', async (t) => {
  const { h, host } = world();
  const before = JSON.stringify(h.snapshot());
  const plan = overlayPlan();
  for (let n = 1; n <= plan.length; n++) {
    await t.throwsAsync(runSteps(host, plan, { faults: { failAt: n, crashAt: 0, count: 0 } }), { message: new RegExp(`injected failure at step ${n}`) });
    t.is(JSON.stringify(h.snapshot()), before, `failure at step ${n}`);
  }
  await runSteps(host, plan);
  const vx = h.kernel.snapshot().host.links['ov-vx'];
  t.like(vx, { kind: 'vxlan', mtu: 1450, up: true, master: 'ov-br', vxlan: { vni: 4097, local: '192.168.1.10', port: 4789 } });
  t.deepEqual(vx.fdb, [`${ZERO} 192.168.1.11`, `${ZERO} 192.168.1.12`, `${REMOTE_MAC} 192.168.1.11`]);
  t.deepEqual(vx.neigh, [`10.0.9.3 ${REMOTE_MAC} permanent`]);
  t.is(h.kernel.snapshot().host.links['ov-br'].mcastSnooping, false);
  const set = JSON.stringify(h.snapshot());
  const teardown = inverse(plan);
  for (let n = 1; n <= teardown.length; n++) {
    await t.throwsAsync(runSteps(host, teardown, { faults: { failAt: n, crashAt: 0, count: 0 } }));
    t.is(JSON.stringify(h.snapshot()), set, `teardown failing at step ${n}`);
  }
  await runSteps(host, teardown);
  t.is(JSON.stringify(h.snapshot()), before);
});

test('two flooding entries with different remotes coexist; deleting one keeps the other, and its undo appends it again', async (t) => {
  const { k, host } = world();
  await runSteps(host, overlayPlan().slice(0, 2));
  await runSteps(host, [
    { op: 'fdb.add', dev: 'ov-vx', mac: ZERO, dst: '192.168.1.11' },
    { op: 'fdb.add', dev: 'ov-vx', mac: ZERO, dst: '192.168.1.12' },
  ]);
  t.deepEqual(await k.listFdb('ov-vx'), [{ mac: ZERO, dst: '192.168.1.11' }, { mac: ZERO, dst: '192.168.1.12' }]);
  const undo: Step[][] = [];
  await runSteps(host, [{ op: 'fdb.del', dev: 'ov-vx', mac: ZERO, dst: '192.168.1.11' }], { record: (_i, inv) => undo.push(inv) });
  t.deepEqual(await k.listFdb('ov-vx'), [{ mac: ZERO, dst: '192.168.1.12' }]);
  t.deepEqual(undo, [[{ op: 'fdb.add', dev: 'ov-vx', mac: ZERO, dst: '192.168.1.11' }]]);
  await undoSteps(host, undo.flat());
  t.deepEqual((await k.listFdb('ov-vx')).map((e) => e.dst).sort(), ['192.168.1.11', '192.168.1.12']);
});

test('an entry already there with the same value: its undo is nothing, and it stays after a rollback', async (t) => {
  const { h, k, host } = world();
  await runSteps(host, overlayPlan().slice(0, 4));
  await k.fdbAdd('ov-vx', ZERO, '192.168.1.11');
  await k.fdbAdd('ov-vx', REMOTE_MAC, '192.168.1.11');
  await k.neighAdd('ov-vx', '10.0.9.3', REMOTE_MAC);
  const before = JSON.stringify(h.snapshot());
  const same: Step[] = [
    { op: 'fdb.add', dev: 'ov-vx', mac: ZERO, dst: '192.168.1.11' },
    { op: 'fdb.add', dev: 'ov-vx', mac: REMOTE_MAC.toUpperCase(), dst: '192.168.1.11' },
    { op: 'neigh.add', dev: 'ov-vx', ip: '10.0.9.3', mac: REMOTE_MAC },
  ];
  for (const s of same) t.deepEqual(await observeInverse(host, s), [], s.op);
  await t.throwsAsync(runSteps(host, same, { faults: { failAt: 3, crashAt: 0, count: 0 } }));
  t.is(JSON.stringify(h.snapshot()), before, 'nothing that was there before is deleted');
});

test('a replace of another value is undone to the old one: a MAC moved to another host, a neighbour given another MAC', async (t) => {
  const { h, k, host } = world();
  await runSteps(host, overlayPlan().slice(0, 4));
  await k.fdbAdd('ov-vx', REMOTE_MAC, '192.168.1.11');
  await k.neighAdd('ov-vx', '10.0.9.3', '02:42:0a:00:09:99');
  const before = JSON.stringify(h.snapshot());
  const moved: Step = { op: 'fdb.add', dev: 'ov-vx', mac: REMOTE_MAC, dst: '192.168.1.12' };
  const remapped: Step = { op: 'neigh.add', dev: 'ov-vx', ip: '10.0.9.3', mac: REMOTE_MAC };
  t.deepEqual(await observeInverse(host, moved), [{ ...moved, dst: '192.168.1.11' }]);
  t.deepEqual(await observeInverse(host, remapped), [{ ...remapped, mac: '02:42:0a:00:09:99' }]);
  const undo: Step[][] = [];
  await runSteps(host, [moved, remapped], { record: (_i, inv) => undo.push(inv) });
  t.deepEqual(await k.listFdb('ov-vx'), [{ mac: REMOTE_MAC, dst: '192.168.1.12' }], 'one entry for the MAC, moved');
  t.deepEqual(await k.listNeigh('ov-vx'), [{ ip: '10.0.9.3', mac: REMOTE_MAC, permanent: true }]);
  await undoSteps(host, undo.reverse().flat());
  t.is(JSON.stringify(h.snapshot()), before);
});

test('a neighbour ARP learnt is replaced by a permanent one, whose undo deletes it (ARP learns it again)', async (t) => {
  const { k, host } = world();
  await runSteps(host, overlayPlan().slice(0, 4));
  k.learnNeighbour('ov-vx', '10.0.9.3', REMOTE_MAC);
  const s: Step = { op: 'neigh.add', dev: 'ov-vx', ip: '10.0.9.3', mac: REMOTE_MAC };
  t.deepEqual(await observeInverse(host, s), [{ ...s, op: 'neigh.del' }]);
  await runSteps(host, [s]);
  t.deepEqual(await k.listNeigh('ov-vx'), [{ ip: '10.0.9.3', mac: REMOTE_MAC, permanent: true }]);
  t.deepEqual(await observeInverse(host, { op: 'neigh.del', dev: 'ov-vx', ip: '10.0.9.3' }), [s], 'a permanent one deleted is put back');
});

test('deleting an absent entry, or one of a device that is gone, is no error and its undo is nothing', async (t) => {
  const { h, host } = world();
  await runSteps(host, overlayPlan().slice(0, 2));
  const before = JSON.stringify(h.snapshot());
  const absent: Step[] = [
    { op: 'fdb.del', dev: 'ov-vx', mac: ZERO, dst: '192.168.1.11' },
    { op: 'fdb.del', dev: 'ov-vx', mac: REMOTE_MAC, dst: '192.168.1.11' },
    { op: 'neigh.del', dev: 'ov-vx', ip: '10.0.9.3', mac: REMOTE_MAC },
    { op: 'fdb.del', dev: 'gone0', mac: ZERO, dst: '192.168.1.11' },
    { op: 'neigh.del', dev: 'gone0', ip: '10.0.9.3' },
  ];
  const undo: Step[][] = [];
  await runSteps(host, absent, { record: (_i, inv) => undo.push(inv) });
  t.deepEqual(undo, [[], [], [], [], []]);
  t.is(JSON.stringify(h.snapshot()), before);
});

test('a VXLAN device deleted and recreated by an undo comes back with its MAC, VNI, address, port and MTU', async (t) => {
  const k = new FakeKernel();
  const host = fakeStepHost({ kernel: k, files: new FakeFiles() });
  const vx: Step = { op: 'vxlan.add', name: 'vx0', vni: 7, local: '10.99.0.1', port: 4789, mtu: 1450 };
  await runSteps(host, [vx]);
  const mac = k.snapshot().host.links.vx0.mac;
  const undo: Step[][] = [];
  await runSteps(host, [{ op: 'link.del', name: 'vx0', recreate: vx }], { record: (_i, inv) => undo.push(inv) });
  t.false('vx0' in k.snapshot().host.links);
  t.deepEqual(undo, [[{ ...vx, mac }]]);
  await undoSteps(host, undo.flat());
  t.like(k.snapshot().host.links.vx0, { kind: 'vxlan', mac, mtu: 1450, vxlan: { vni: 7, local: '10.99.0.1', port: 4789 } });
});

test('a bridge deleted with its settings comes back from an undo with its MAC, address, up state and per-link sysctl; one without them, bare', async (t) => {
  const k = new FakeKernel();
  const host = fakeStepHost({ kernel: k, files: new FakeFiles() });
  const br: Step = { op: 'bridge.add', name: 'br9' };
  const setup: Step[] = [br, { op: 'addr.add', dev: 'br9', cidr: '10.9.0.1/24' }, { op: 'link.set', name: 'br9', up: true }, { op: 'sysctl', key: 'net.ipv4.conf.br9.route_localnet', value: '1' }];
  await runSteps(host, setup);
  const before = JSON.stringify(k.snapshot());
  const mac = k.snapshot().host.links.br9.mac;
  const del: Step = { op: 'link.del', name: 'br9', recreate: br, settings: { sysctls: ['net.ipv4.conf.br9.route_localnet'] } };
  t.deepEqual(explain(del, 'iptables'), ['ip link del br9']);
  const undo: Step[][] = [];
  await runSteps(host, [del], { record: (_i, inv) => undo.push(inv) });
  t.false('br9' in k.snapshot().host.links);
  t.deepEqual(undo, [[{ ...br, mac }, { op: 'addr.add', dev: 'br9', cidr: '10.9.0.1/24' }, { op: 'link.set', name: 'br9', up: true }, { op: 'sysctl', key: 'net.ipv4.conf.br9.route_localnet', value: '1' }]]);
  await undoSteps(host, undo.flat());
  t.is(JSON.stringify(k.snapshot()), before);
  // without `settings`, the undo makes the link alone (a veth's end: its peer's side says the rest)
  const bare: Step[][] = [];
  await runSteps(host, [{ op: 'link.del', name: 'br9', recreate: br }], { record: (_i, inv) => bare.push(inv) });
  t.deepEqual(bare, [[{ ...br, mac }]]);
});
