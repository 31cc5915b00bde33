// The overlay's kernel pieces on the real kernel, built by hand from Steps through the op table
// (test/helpers/step-runner.js): two "hosts" are namespaces hostA and hostB of the sandbox, joined
// by a veth underlay (10.99.0.1/24 – 10.99.0.2/24). On each, the runner (started inside the
// host's namespace) makes a bridge that floods multicast, a VXLAN device on it (VNI 4097, UDP
// 4789), a container namespace with a veth on the bridge, and the entries for the other host's
// container: its MAC in the FDB, its IP in the neighbour table, and the all-zero FDB entry
// (head-end replication of broadcast and multicast) to the peer.
//
//   cA 10.0.9.2 ─ veth0 ─ ovbr ─ vx ══ uA 10.99.0.1 ─── uB 10.99.0.2 ══ vx ─ ovbr ─ veth0 ─ cB 10.0.9.3
//                 └────────── hostA ──────────┘          └──────────── hostB ──────────┘
import type { Step } from '../../src/core/steps.js';
import { sandboxTest } from '../helpers/root-test.js';
import { ROOT, type Sandbox } from '../helpers/sandbox.js';
import { pings } from '../helpers/world.js';

const RUNNER = `${ROOT}/dist/test/helpers/step-runner.js`;
const ZERO = '00:00:00:00:00:00';
const VNI = 4097;
const PORT = 4789;

interface Side {
  ns: string;
  underlayDev: string;
  underlay: string;
  container: string;
  ip: string;
  mac: string;
}
const A: Side = { ns: 'hostA', underlayDev: 'uA', underlay: '10.99.0.1', container: 'cA', ip: '10.0.9.2', mac: '02:42:0a:00:09:02' };
const B: Side = { ns: 'hostB', underlayDev: 'uB', underlay: '10.99.0.2', container: 'cB', ip: '10.0.9.3', mac: '02:42:0a:00:09:03' };

/** The two hosts and their underlay, made with ip (what the machine would already have). */
async function addUnderlay(sb: Sandbox): Promise<void> {
  await sb.ok(
    [
      'ip netns add hostA',
      'ip netns add hostB',
      'ip link add uA netns hostA type veth peer name uB netns hostB',
      ...[A, B].flatMap((h) => [`ip -n ${h.ns} addr add ${h.underlay}/24 dev ${h.underlayDev}`, `ip -n ${h.ns} link set ${h.underlayDev} up`, `ip -n ${h.ns} link set lo up`]),
    ].join(' && '),
  );
}

/** What the VXLAN device needs to reach `peer`'s container: its MAC's host, its IP's MAC, flooding to the host. */
const peerEntries = (peer: Side): Step[] => [
  { op: 'fdb.add', dev: 'vx', mac: peer.mac, dst: peer.underlay },
  { op: 'fdb.add', dev: 'vx', mac: ZERO, dst: peer.underlay },
  { op: 'neigh.add', dev: 'vx', ip: peer.ip, mac: peer.mac },
];

/** One host's side of the overlay, as the overlay driver would plan it (underlay MTU 1500 − 50). */
const overlayPlan = (self: Side, peer: Side): Step[] => [
  { op: 'netns.add', name: self.container },
  { op: 'bridge.add', name: 'ovbr', mcastSnooping: false },
  { op: 'vxlan.add', name: 'vx', vni: VNI, local: self.underlay, port: PORT, mtu: 1450 },
  { op: 'link.master', name: 'vx', master: 'ovbr' },
  { op: 'link.set', name: 'vx', up: true },
  { op: 'link.set', name: 'ovbr', up: true },
  { op: 'veth.add', name: 'veth0', peer: 'eth0', peerNetns: self.container, peerMac: self.mac, mtu: 1450 },
  { op: 'link.master', name: 'veth0', master: 'ovbr' },
  { op: 'link.set', name: 'veth0', up: true },
  { op: 'link.set', name: 'lo', netns: self.container, up: true },
  { op: 'link.set', name: 'eth0', netns: self.container, up: true },
  { op: 'addr.add', dev: 'eth0', cidr: `${self.ip}/24`, netns: self.container },
  // multicast leaves by eth0 (the container has no default route)
  { op: 'route.add', route: { dst: '224.0.0.0/4', dev: 'eth0' }, netns: self.container },
  // after the device is up: a VXLAN device going down loses its neighbour entries
  ...peerEntries(peer),
];

/** Runs the step runner in namespace `ns` ('' = the sandbox's): `run` returns the inverses to undo it. */
async function steps(sb: Sandbox, ns: string, mode: 'run' | 'undo', plan: Step[]): Promise<Step[]> {
  const r = await sb.sh(`${ns ? `nsenter --net=/run/netns/${ns} ` : ''}node ${RUNNER} ${mode}`, { input: JSON.stringify(plan) });
  if (r.exitCode !== 0) throw new Error(`step-runner ${mode} in ${ns || 'the sandbox'} failed: ${r.stderr}`);
  return mode === 'run' ? (JSON.parse(r.stdout) as Step[]) : [];
}

/** A host's links, addresses and routes as ip shows them, and the sandbox's namespaces. */
const hostState = (sb: Sandbox, ns: string) =>
  sb.ok(`ip -n ${ns} -o link | awk '{print $2}'; ip -n ${ns} -4 -o addr | awk '{print $2, $4}'; ip -n ${ns} route; ip netns list | sort`);

const counter = async (sb: Sandbox, ns: string, dev: string, dir: 'rx' | 'tx') =>
  Number(JSON.parse(await sb.ok(`ip -n ${ns} -j -s link show ${dev}`))[0].stats64[dir].packets);

/** One datagram to 239.1.1.1:5000 from container `from` (TTL 1), and whether `to`, a member of the group, got it. */
async function multicastArrives(sb: Sandbox, from: Side, to: Side): Promise<boolean> {
  const listen = `const s=require('dgram').createSocket({type:'udp4',reuseAddr:true});s.on('message',m=>{require('fs').writeFileSync('/run/mcast.got',String(m));process.exit(0)});s.bind(5000,()=>{s.addMembership('239.1.1.1','${to.ip}');require('fs').writeFileSync('/run/mcast.ready','')});setTimeout(()=>process.exit(1),15000)`;
  await sb.ok(`rm -f /run/mcast.got /run/mcast.ready; ip netns exec ${to.container} setsid node -e "${listen}" >/dev/null 2>&1 &`);
  await sb.ok('for i in $(seq 1 200); do test -e /run/mcast.ready && exit 0; sleep 0.05; done; exit 1');
  const send = `const s=require('dgram').createSocket('udp4');s.bind(()=>{s.setMulticastTTL(1);s.send('hello overlay',5000,'239.1.1.1',()=>s.close())})`;
  for (let i = 0; i < 3; i++) {
    await sb.ok(`ip netns exec ${from.container} node -e "${send}"`);
    const got = await sb.sh('for i in $(seq 1 20); do test -s /run/mcast.got && cat /run/mcast.got && exit 0; sleep 0.05; done; exit 1');
    if (got.exitCode === 0) return got.stdout === 'hello overlay';
  }
  return false;
}

sandboxTest('vxlan overlay across two hosts: ping and multicast between containers through the tunnel; the undo removes it exactly', async (t, sb) => {
  await addUnderlay(sb);
  const before = { A: await hostState(sb, A.ns), B: await hostState(sb, B.ns) };
  const undoA = await steps(sb, A.ns, 'run', overlayPlan(A, B));
  const undoB = await steps(sb, B.ns, 'run', overlayPlan(B, A));

  const vx = JSON.parse(await sb.ok(`ip -n ${A.ns} -d -j link show vx`))[0];
  t.like(vx, { mtu: 1450, master: 'ovbr', linkinfo: { info_kind: 'vxlan', info_data: { id: VNI, local: A.underlay, port: PORT, learning: false, proxy: true } } });
  t.is(JSON.parse(await sb.ok(`ip -n ${A.ns} -d -j link show ovbr`))[0].linkinfo.info_data.mcast_snooping, 0);
  const fdb = await sb.ok(`bridge -n ${A.ns} fdb show dev vx`);
  t.regex(fdb, new RegExp(`^${B.mac} dst ${B.underlay} self permanent$`, 'm'));
  t.regex(fdb, new RegExp(`^${ZERO} dst ${B.underlay} self permanent$`, 'm'));
  t.regex(await sb.ok(`ip -n ${A.ns} neigh show dev vx`), new RegExp(`^${B.ip} lladdr ${B.mac} PERMANENT`, 'm'));

  const sentA = await counter(sb, A.ns, A.underlayDev, 'tx');
  const gotB = await counter(sb, B.ns, 'vx', 'rx');
  t.true(await pings(sb, A.container, B.ip), 'cA → cB');
  t.true(await pings(sb, B.container, A.ip), 'cB → cA');
  t.true((await counter(sb, A.ns, A.underlayDev, 'tx')) > sentA, "through hostA's underlay");
  t.true((await counter(sb, B.ns, 'vx', 'rx')) > gotB, "out of hostB's tunnel end");
  t.true(await multicastArrives(sb, A, B), "a multicast datagram from cA reaches cB: the bridges flood it, the all-zero entry replicates it to the peer");

  // the entries read back through the kernel seam (listFdb, listNeigh): the same again changes nothing
  t.deepEqual(await steps(sb, A.ns, 'run', peerEntries(B)), [], 'entries already there: nothing to undo');

  await steps(sb, B.ns, 'undo', undoB);
  await steps(sb, A.ns, 'undo', undoA);
  t.is(await hostState(sb, A.ns), before.A);
  t.is(await hostState(sb, B.ns), before.B);
  t.false((await sb.ok('ip netns list')).includes(A.container));
});

/** The sandbox's own VXLAN device, up: what the entries of the next test go on. */
async function vxlanHere(sb: Sandbox): Promise<void> {
  await steps(sb, '', 'run', [
    { op: 'vxlan.add', name: 'vx', vni: VNI, local: '10.99.0.1', port: PORT },
    { op: 'link.set', name: 'vx', up: true },
  ]);
}
const fdbHere = async (sb: Sandbox) => (await sb.ok('bridge fdb show dev vx')).trim().split('\n').sort();

sandboxTest('vxlan FDB and neighbour steps on the kernel: appended remotes deleted one by one, replaced values undone, absent ones no error', async (t, sb) => {
  await vxlanHere(sb);
  const flood = (dst: string): Step => ({ op: 'fdb.add', dev: 'vx', mac: ZERO, dst });
  await steps(sb, '', 'run', [flood('10.99.0.2'), flood('10.99.0.3')]);
  t.deepEqual(await fdbHere(sb), [`${ZERO} dst 10.99.0.2 self permanent`, `${ZERO} dst 10.99.0.3 self permanent`]);
  const undoDel = await steps(sb, '', 'run', [{ op: 'fdb.del', dev: 'vx', mac: ZERO, dst: '10.99.0.2' }]);
  t.deepEqual(await fdbHere(sb), [`${ZERO} dst 10.99.0.3 self permanent`], 'the other remote stays');
  t.deepEqual(undoDel, [flood('10.99.0.2')]);
  await steps(sb, '', 'undo', undoDel);
  t.is((await fdbHere(sb)).length, 2);

  // a MAC moved to another host, a neighbour given another MAC: the undo moves them back
  await sb.ok(`bridge fdb replace ${B.mac} dev vx dst 10.99.0.2 self permanent && ip neigh replace ${B.ip} lladdr 02:42:0a:00:09:99 dev vx nud permanent`);
  const undoMove = await steps(sb, '', 'run', [
    { op: 'fdb.add', dev: 'vx', mac: B.mac, dst: '10.99.0.3' },
    { op: 'neigh.add', dev: 'vx', ip: B.ip, mac: B.mac },
  ]);
  t.regex((await fdbHere(sb)).join('\n'), new RegExp(`^${B.mac} dst 10.99.0.3 self permanent$`, 'm'));
  t.regex(await sb.ok('ip neigh show dev vx'), new RegExp(`^${B.ip} lladdr ${B.mac} PERMANENT`, 'm'));
  await steps(sb, '', 'undo', undoMove);
  t.regex((await fdbHere(sb)).join('\n'), new RegExp(`^${B.mac} dst 10.99.0.2 self permanent$`, 'm'));
  t.regex(await sb.ok('ip neigh show dev vx'), new RegExp(`^${B.ip} lladdr 02:42:0a:00:09:99 PERMANENT`, 'm'));

  // deletions of what is not there: no error, nothing to undo
  t.deepEqual(
    await steps(sb, '', 'run', [
      { op: 'fdb.del', dev: 'vx', mac: ZERO, dst: '10.99.0.9' },
      { op: 'fdb.del', dev: 'vx', mac: '02:42:0a:00:09:77', dst: '10.99.0.2' },
      { op: 'neigh.del', dev: 'vx', ip: '10.0.9.77' },
      { op: 'fdb.del', dev: 'gone0', mac: ZERO, dst: '10.99.0.2' },
    ]),
    [],
  );
  // a deletion of a neighbour records it; and a device that goes down loses its neighbours
  t.deepEqual(await steps(sb, '', 'run', [{ op: 'neigh.del', dev: 'vx', ip: B.ip }]), [{ op: 'neigh.add', dev: 'vx', ip: B.ip, mac: '02:42:0a:00:09:99' }]);
  await sb.ok(`ip neigh replace ${B.ip} lladdr ${B.mac} dev vx nud permanent && ip link set vx down && ip link set vx up`);
  t.is((await sb.ok('ip neigh show dev vx')).trim(), '', 'arp_ifdown flushes permanent entries: the overlay writes them after the device is up');
  t.is((await fdbHere(sb)).length, 3, 'FDB entries stay');
});
