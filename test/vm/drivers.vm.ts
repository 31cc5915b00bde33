// The drivers' tests that need Debian's stock kernel (ipvlan, 802.1q, dummy links), run inside the
// VM by scripts/vm-test.sh; each test plays in its own sandbox with a simulated LAN (test/helpers/lan.ts), and
// checks real traffic: pings and TCP between containers, the LAN's machines and its router.
import test, { type ExecutionContext } from 'ava';
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { kernelHas } from '../helpers/kernel-support.js';
import { sandboxTest } from '../helpers/root-test.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { askWhoAmI, pings, startWhoAmI } from '../helpers/world.js';
import { addLan, addLanVlan, hostState, linkDetails, PC, ROUTER } from '../helpers/lan.js';

test.serial("the VM runs Debian's stock kernel, which has the ipvlan, 802.1q (vlan) and dummy link types", (t) => {
  t.log(`kernel ${release()}`);
  t.regex(release(), /^\d+\.\d+\.\d+-\d+-amd64$/);
  t.regex(readFileSync('/proc/version', 'utf8'), /\(Debian /);
  t.deepEqual(kernelHas, { vlan: true, ipvlan: true, dummy: true });
});

// The ipvlan driver in its three modes, with real traffic to a LAN (test/helpers/lan.ts). l2 containers are
// on the LAN's subnet and answer ARP with the parent's MAC; l3 and l3s containers have a subnet
// of their own that the host routes, l3s through the host's netfilter and l3 past it.
sandboxTest("ipvlan l2: containers take LAN addresses on the parent's MAC and reach the router, a LAN machine (ping and TCP) and each other", async (t, sb) => {
  await addLan(sb);
  await startWhoAmI(sb, 'pc', 7000);
  const before = await hostState(sb);
  await sb.ok('pont network create -d ipvlan --subnet 192.168.50.0/24 --gateway 192.168.50.1 --ip-range 192.168.50.128/25 -o parent=lan0 ivl2');
  await sb.ok('pont run -d --name i1 --network ivl2 alpine sleep 300 && pont run -d --name i2 --network ivl2 alpine sleep 300');
  const eth0 = await linkDetails(sb, 'eth0', 'i1');
  const lanMac = (await linkDetails(sb, 'lan0')).address;
  t.is(eth0.linkinfo.info_kind, 'ipvlan');
  t.is(eth0.linkinfo.info_data?.mode, 'l2');
  t.is(eth0.address, lanMac, "an ipvlan link has its parent's MAC");
  t.regex(await sb.ok('ip -n i1 route'), /^default via 192\.168\.50\.1 dev eth0/m);
  t.true(await pings(sb, 'i1', ROUTER), 'router');
  t.true(await pings(sb, 'i1', PC), 'LAN machine');
  t.is(await askWhoAmI(sb, 'i1', PC, 7000), '192.168.50.128', 'TCP to the LAN, no NAT');
  t.true(await pings(sb, 'pc', '192.168.50.129'), 'the LAN reaches a container');
  t.true(await pings(sb, 'i1', '192.168.50.129'), 'sibling');
  t.regex(await sb.ok('ip -n pc neigh show 192.168.50.128'), new RegExp(`lladdr ${lanMac}`), "the LAN sees the container at the parent's MAC");
  await sb.ok('pont rm -f i1 i2 && pont network rm ivl2');
  t.is(await hostState(sb), before);
});

/** Packets the sandbox host's netfilter saw on their way in to 10.60.0.0/24 (mangle PREROUTING). */
async function seenByHost(sb: Sandbox): Promise<number> {
  const rule = (await sb.ok('iptables -t mangle -L PREROUTING -v -x -n')).split('\n').find((l) => l.includes('VMCOUNT'));
  return Number(rule!.trim().split(/\s+/)[0]);
}

async function l3(t: ExecutionContext, sb: Sandbox, mode: 'l3' | 'l3s'): Promise<void> {
  await addLan(sb);
  // The host routes for its l3 containers: it needs an address on the LAN, and the LAN a route
  // back to the containers' subnet through it.
  await sb.ok('ip addr add 192.168.50.2/24 dev lan0 && ip -n pc route add 10.60.0.0/24 via 192.168.50.2');
  await sb.ok('iptables -t mangle -N VMCOUNT && iptables -t mangle -A PREROUTING -d 10.60.0.0/24 -j VMCOUNT');
  await startWhoAmI(sb, 'pc', 7000);
  const before = await hostState(sb);
  await sb.ok(`pont network create -d ipvlan --subnet 10.60.0.0/24 -o parent=lan0 -o ipvlan_mode=${mode} iv${mode}`);
  await sb.ok(`pont run -d --name r1 --network iv${mode} alpine sleep 300 && pont run -d --name r2 --network iv${mode} alpine sleep 300`);
  const eth0 = await linkDetails(sb, 'eth0', 'r1');
  t.is(eth0.linkinfo.info_kind, 'ipvlan');
  t.is(eth0.linkinfo.info_data?.mode, mode);
  t.true(eth0.flags.includes('NOARP'), 'l3 modes do not ARP');
  t.log(`r1's routes: ${(await sb.ok('ip -n r1 route')).trim().replace(/\n/g, '; ')}`);
  t.true(await pings(sb, 'r1', PC), 'LAN machine, routed by the host');
  t.is(await askWhoAmI(sb, 'r1', PC, 7000), '10.60.0.2', 'TCP to the LAN, routed without NAT');
  t.true(await pings(sb, 'pc', '10.60.0.2'), 'the LAN reaches a container through its route');
  t.true(await pings(sb, 'r1', '10.60.0.3'), 'sibling');
  const seen = await seenByHost(sb);
  if (mode === 'l3s') t.true(seen > 0, "l3s: the host's netfilter sees the containers' traffic");
  else t.is(seen, 0, "l3: the containers' traffic goes past the host's netfilter");
  await sb.ok(`pont rm -f r1 r2 && pont network rm iv${mode}`);
  t.is(await hostState(sb), before);
}

sandboxTest('ipvlan l3: containers on their own subnet are routed by the host, past its netfilter, to the LAN (ping and TCP) and to each other', (t, sb) => l3(t, sb, 'l3'));
sandboxTest("ipvlan l3s: the same through the host's netfilter", (t, sb) => l3(t, sb, 'l3s'));

// 802.1q parents: `-o parent=lan0.50` makes pont create the VLAN link lan0.50 with the network
// and remove it with the network, as Docker does; a VLAN link that was already there is used and
// left in place. The LAN's router answers only on its VLAN links: an answer proves the tag.
sandboxTest('802.1q: macvlan on lan0.50 and ipvlan on lan0.60 get VLAN links from pont, reach the LAN tagged (ping and TCP), and the links go with the networks; an existing lan0.70 stays', async (t, sb) => {
  await addLan(sb);
  await addLanVlan(sb, 50, '10.50.0.1/24');
  await addLanVlan(sb, 60, '10.60.0.1/24');
  await sb.ok('ip link add link lan0 name lan0.70 type vlan id 70 && ip link set lan0.70 up');
  await startWhoAmI(sb, 'lan', 7000);
  const before = await hostState(sb);
  await sb.ok(
    'pont network create -d macvlan --subnet 10.50.0.0/24 --gateway 10.50.0.1 -o parent=lan0.50 v50 && ' +
      'pont network create -d ipvlan --subnet 10.60.0.0/24 --gateway 10.60.0.1 -o parent=lan0.60 v60 && ' +
      'pont network create -d macvlan --subnet 10.70.0.0/24 -o parent=lan0.70 v70',
  );
  for (const id of [50, 60]) {
    const vlan = await linkDetails(sb, `lan0.${id}`);
    t.is(vlan.linkinfo.info_kind, 'vlan');
    t.is(vlan.linkinfo.info_data?.id, id);
  }
  await sb.ok('pont run -d --name a50 --network v50 alpine sleep 300 && pont run -d --name a60 --network v60 alpine sleep 300');
  t.is((await linkDetails(sb, 'eth0', 'a50')).linkinfo.info_kind, 'macvlan');
  t.is((await linkDetails(sb, 'eth0', 'a60')).linkinfo.info_kind, 'ipvlan');
  t.true(await pings(sb, 'a50', '10.50.0.1'), 'router on VLAN 50');
  t.is(await askWhoAmI(sb, 'a50', '10.50.0.1', 7000), '10.50.0.2', 'TCP on VLAN 50');
  t.true(await pings(sb, 'a60', '10.60.0.1'), 'router on VLAN 60');
  t.is(await askWhoAmI(sb, 'a60', '10.60.0.1', 7000), '10.60.0.2', 'TCP on VLAN 60');
  await sb.ok('pont rm -f a50 a60 && pont network rm v50 v60 v70');
  const links = await sb.ok('ip -br link');
  t.notRegex(links, /lan0\.(50|60)@/, "pont's VLAN links went with their networks");
  t.regex(links, /^lan0\.70@lan0 /m, 'the VLAN link pont did not create stays');
  t.is(await hostState(sb), before);
});

// macvlan and ipvlan networks without `-o parent`: as Docker does, each gets a dummy link of its
// own as parent (so it is internal: no way out), its containers reach each other, and the dummy
// link goes with the network.
sandboxTest('macvlan and ipvlan without parent: a dummy parent link each, internal networks whose containers reach each other; the links go with the networks', async (t, sb) => {
  const before = await hostState(sb);
  const mv = (await sb.ok('pont network create -d macvlan --subnet 10.80.0.0/24 mvd')).trim();
  const iv = (await sb.ok('pont network create -d ipvlan --subnet 10.81.0.0/24 ivd')).trim();
  const dummies: string[] = JSON.parse(await sb.ok('ip -j link show type dummy')).map((l: { ifname: string }) => l.ifname);
  t.is(dummies.length, 2, dummies.join(' '));
  t.true(dummies.includes(`dm-${mv.slice(0, 12)}`), "macvlan's dummy parent has Docker's name");
  t.true(dummies.includes(`di-${iv.slice(0, 12)}`), "ipvlan's dummy parent has Docker's name");
  t.is(await sb.ok('pont network inspect -f "{{.Internal}}" mvd ivd'), 'true\ntrue\n');
  await sb.ok('pont run -d --name m1 --network mvd alpine sleep 300 && pont run -d --name m2 --network mvd alpine sleep 300');
  await sb.ok('pont run -d --name j1 --network ivd alpine sleep 300 && pont run -d --name j2 --network ivd alpine sleep 300');
  t.is((await linkDetails(sb, 'eth0', 'm1')).linkinfo.info_kind, 'macvlan');
  t.is((await linkDetails(sb, 'eth0', 'j1')).linkinfo.info_kind, 'ipvlan');
  t.true(await pings(sb, 'm1', '10.80.0.3'), 'macvlan siblings');
  t.true(await pings(sb, 'j1', '10.81.0.3'), 'ipvlan siblings');
  await sb.ok('pont rm -f m1 m2 j1 j2 && pont network rm mvd ivd');
  t.is(await hostState(sb), before);
});
