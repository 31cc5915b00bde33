// The host, none, macvlan and ipvlan drivers, with a simulated LAN: namespace `lan` holds the
// peer of the host's parent link `lan0` on a bridge with the router (192.168.50.1), and
// namespace `pc` is another machine of that LAN (192.168.50.20).
import { sandboxTest } from '../helpers/root-test.js';
import { kernelHas } from '../helpers/kernel-support.js';
import { askWhoAmI, pingOnce, pings, startWhoAmI } from '../helpers/world.js';
import { addLan } from '../helpers/lan.js';

sandboxTest('macvlan: containers get LAN addresses and MACs, reach the router and a LAN machine by ping and TCP, and each other in bridge mode', async (t, sb) => {
  await addLan(sb);
  await startWhoAmI(sb, 'pc', 7000);
  await sb.ok('pont network create -d macvlan --subnet 192.168.50.0/24 --gateway 192.168.50.1 --ip-range 192.168.50.128/25 -o parent=lan0 mv1');
  await sb.ok('pont run -d --name m1 --network mv1 alpine sleep 300 && pont run -d --name m2 --network mv1 alpine sleep 300');
  const link = JSON.parse(await sb.ok('ip -n m1 -j -d addr show eth0'))[0];
  t.is(link.linkinfo.info_kind, 'macvlan');
  t.is(link.linkinfo.info_data.mode, 'bridge');
  t.is(link.address, '02:42:c0:a8:32:80');
  t.is(link.addr_info.find((a: { family: string }) => a.family === 'inet').local, '192.168.50.128');
  t.regex(await sb.ok('ip -n m1 route'), /^default via 192\.168\.50\.1 dev eth0/m);
  t.true(await pings(sb, 'm1', '192.168.50.1'), 'router');
  t.true(await pings(sb, 'm1', '192.168.50.20'), 'LAN machine');
  t.is(await askWhoAmI(sb, 'm1', '192.168.50.20', 7000), '192.168.50.128', 'TCP, no NAT on macvlan');
  t.true(await pings(sb, 'm1', '192.168.50.129'), 'sibling in bridge mode');
  t.deepEqual(JSON.parse(await sb.ok('pont network inspect -f "{{json .Options}}" mv1')), { parent: 'lan0' });
  // the host cannot reach its own macvlan containers (the kernel's rule), unless with the shim
  t.false((await sb.sh('ping -c 1 -W 1 192.168.50.128')).exitCode === 0);
  await sb.ok('pont rm -f m1 m2 && pont network rm mv1');
  t.false((await sb.ok('ip netns list')).includes('m1'));
});

sandboxTest("macvlan on a host whose own NIC is named eth0: the container's eth0 is made straight in its namespace, no clash", async (t, sb) => {
  await addLan(sb);
  // the host's eth0 (most cloud VMs have one): the CNI plugins make sub-interfaces under a
  // temporary name for kernels that check the name where the request comes from: this test
  // says whether the kernel it runs on is one
  await sb.ok('ip link add eth0 type veth peer name eth0-peer');
  await sb.ok('pont network create -d macvlan --subnet 192.168.50.0/24 --gateway 192.168.50.1 --ip-range 192.168.50.128/25 -o parent=lan0 mv1');
  await sb.ok('pont run -d --name m1 --network mv1 alpine sleep 300');
  t.is(JSON.parse(await sb.ok('ip -n m1 -j -d link show eth0'))[0].linkinfo.info_kind, 'macvlan');
  t.true(await pings(sb, 'm1', '192.168.50.1'), 'router');
  t.regex(await sb.ok('ip -o link show eth0'), /eth0@eth0-peer/, "the host's eth0 is untouched");
  await sb.ok('pont rm -f m1');
  t.regex(await sb.ok('ip -o link show eth0'), /eth0@eth0-peer/);
});

sandboxTest('macvlan --internal with a parent: on the LAN segment (same-subnet hosts reachable) but no default route, as Docker', async (t, sb) => {
  await addLan(sb);
  await startWhoAmI(sb, 'pc', 7000);
  // a LAN address outside the subnet, reachable only through the router
  await sb.ok('ip -n lan addr add 10.99.0.1/24 dev br0');
  await sb.ok('pont network create -d macvlan --internal --subnet 192.168.50.0/24 --gateway 192.168.50.1 --ip-range 192.168.50.128/25 -o parent=lan0 mvi');
  await sb.ok('pont run -d --name m1 --network mvi alpine sleep 300');
  t.notRegex(await sb.ok('ip -n m1 route'), /^default/m);
  t.true(await pings(sb, 'm1', '192.168.50.20'), 'a LAN machine of the subnet: Docker keeps the container on the parent segment');
  t.is(await askWhoAmI(sb, 'm1', '192.168.50.20', 7000), '192.168.50.128');
  const out = await sb.sh('ip netns exec m1 ping -c 1 -W 1 10.99.0.1');
  t.not(out.exitCode, 0, 'beyond the subnet there is no route');
  t.regex(out.stderr + out.stdout, /unreachable/i);
  // Docker still shows the gateway in the IPAM config, and none on the endpoint
  t.is((await sb.ok('pont network inspect -f "{{.Internal}} {{range .IPAM.Config}}{{.Gateway}}{{end}}" mvi')).trim(), 'true 192.168.50.1');
  t.is((await sb.ok('pont inspect -f "{{.NetworkSettings.Networks.mvi.Gateway}}|{{.NetworkSettings.Gateway}}" m1')).trim(), '|');
  await sb.ok('pont rm -f m1 && pont network rm mvi');
});

sandboxTest('macvlan private mode: siblings cannot talk; host_shim lets the host reach its containers', async (t, sb) => {
  await addLan(sb);
  await sb.ok('pont network create -d macvlan --subnet 192.168.50.0/24 --gateway 192.168.50.1 -o parent=lan0 -o macvlan_mode=private mvp');
  await sb.ok('pont run -d --name p1 --network mvp alpine sleep 300 && pont run -d --name p2 --network mvp alpine sleep 300');
  t.false(await pings(sb, 'p1', '192.168.50.3'));
  t.true(await pings(sb, 'p1', '192.168.50.1'));
  await sb.ok('pont rm -f p1 p2 && pont network rm mvp');
  const before = await sb.snapshot({ store: false });
  await sb.ok('pont network create -d macvlan --subnet 192.168.50.0/24 --gateway 192.168.50.1 --ip-range 192.168.50.128/25 -o parent=lan0 -o pont.host_shim=true shim');
  await sb.ok('pont run -d --name s1 --network shim alpine sleep 300');
  t.true((await sb.sh(pingOnce('192.168.50.129'))).exitCode === 0, 'host reaches the container through the shim');
  await sb.ok('pont rm -f s1 && pont network rm shim');
  t.is(await sb.snapshot({ store: false }), before);
});

sandboxTest('macvlan errors use the reference engine\'s texts, and nothing is left', async (t, sb) => {
  await addLan(sb);
  const id = (await sb.ok('pont network create -d macvlan --subnet 192.168.50.0/24 -o parent=lan0 mv1')).trim();
  const before = await sb.snapshot();
  const cases: [string, string][] = [
    ['network create -d macvlan --subnet 192.168.60.0/24 -o parent=lan0 mv2', `Error response from daemon: network dm-${id.slice(0, 12)} is already using parent interface lan0`],
    ['network create -d macvlan -o parent=nosuch mv3', 'Error response from daemon: invalid subinterface vlan name nosuch, example formatting is eth0.10'],
    ['network create -d macvlan -o parent=wire9.5 mv3', 'Error response from daemon: -o parent interface was not found on the host: wire9'],
    ['network create -d macvlan -o parent=lan0 -o macvlan_mode=foo mv6', "Error response from daemon: requested macvlan mode 'foo' is not valid, 'bridge' mode is the macvlan driver default"],
  ];
  if (!kernelHas.dummy) cases.push(['network create -d macvlan mv4', 'Error response from daemon: operation not supported']);
  if (!kernelHas.vlan) cases.push(['network create -d macvlan -o parent=lan0.50 mv5', 'Error response from daemon: failed to create lan0.50 vlan link: operation not supported']);
  if (!kernelHas.ipvlan) cases.push(['network create -d ipvlan -o parent=lan0 iv1', 'Error response from daemon: ipvlan is not supported by this kernel']);
  for (const [args, line] of cases) {
    const r = await sb.pont(args);
    t.is(r.exitCode, 1, args);
    t.is(r.stderr.split('\n')[0], line, args);
  }
  t.is(await sb.snapshot(), before);
});

sandboxTest(
  'a VLAN parent lan0.50 is created with the network, carries 802.1q-tagged frames, and goes with it',
  async (t, sb) => {
    await addLan(sb);
    // the LAN side only answers on VLAN 50: a reply proves the frames were tagged
    await sb.ok('ip -n lan link add link br0 name br0.50 type vlan id 50 && ip -n lan addr add 10.50.0.1/24 dev br0.50 && ip -n lan link set br0.50 up');
    await sb.ok('pont network create -d macvlan --subnet 10.50.0.0/24 --gateway 10.50.0.1 -o parent=lan0.50 v50');
    t.is(JSON.parse(await sb.ok('ip -j -d link show lan0.50'))[0].linkinfo.info_data.id, 50);
    await sb.ok('pont run -d --name v1 --network v50 alpine sleep 300');
    t.true(await pings(sb, 'v1', '10.50.0.1'));
    await sb.ok('pont rm -f v1 && pont network rm v50');
    t.false((await sb.ok('ip -br link')).includes('lan0.50'));
  },
  { skip: kernelHas.vlan ? false : "this kernel has no 802.1q (vlan) link type; the VM suite (scripts/vm-test.sh) runs it on Debian's stock kernel" },
);

sandboxTest(
  'ipvlan l2: containers share the parent and reach the LAN',
  async (t, sb) => {
    await addLan(sb);
    await sb.ok('pont network create -d ipvlan --subnet 192.168.50.0/24 --gateway 192.168.50.1 -o parent=lan0 iv');
    await sb.ok('pont run -d --name i1 --network iv alpine sleep 300');
    t.is(JSON.parse(await sb.ok('ip -n i1 -j -d link show eth0'))[0].linkinfo.info_kind, 'ipvlan');
    t.true(await pings(sb, 'i1', '192.168.50.20'));
  },
  { skip: kernelHas.ipvlan ? false : "this kernel has no ipvlan link type; the VM suite (scripts/vm-test.sh) runs it on Debian's stock kernel" },
);

sandboxTest('seed: --network host sees the host\'s interfaces; --network none has only lo', async (t, sb) => {
  await addLan(sb);
  // The two listings are taken moments apart: wait for IPv6 duplicate address detection to end
  // first, or one of them may show the link-local address as "tentative" and the other not.
  // (The link-local address appears, tentative, only once lan0 is operationally up.)
  await sb.ok(
    `[ -d /proc/sys/net/ipv6 ] || exit 0
     for i in $(seq 100); do
       ip link show lan0 | grep -q 'state UP' && ip -6 addr show dev lan0 scope link | grep -q inet6 &&
         [ -z "$(ip -6 addr show dev lan0 tentative)" ] && exit 0
       sleep 0.1
     done; exit 1`,
  );
  // docker run -it --rm --network host --name net alpine ip add show wlp3s0
  const inside = await sb.ok('pont run -it --rm --network host --name net alpine ip add show lan0');
  const host = await sb.ok('ip add show lan0');
  t.is(inside, host);
  t.regex(inside, /lan0@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP>/);
  t.is(await sb.ok('pont ps -aq'), '');
  await sb.ok('pont run -d --name nn --network none alpine sleep 300');
  t.deepEqual(JSON.parse(await sb.ok('ip -n nn -j link')).map((l: { ifname: string }) => l.ifname), ['lo']);
  t.is(await sb.ok('pont exec nn ip -o -4 addr | awk \'{print $2, $4}\''), 'lo 127.0.0.1/8\n');
  const r = await sb.pont('network create --driver host mon-host');
  t.is(r.stderr, 'Error response from daemon: only one instance of "host" network is allowed\n');
  const inspect = JSON.parse(await sb.ok('pont inspect nn'))[0];
  t.deepEqual(Object.keys(inspect.NetworkSettings.Networks), ['none']);
});

sandboxTest('seed: httpd on the host network answers on localhost:80 without mapping; `container stop` removes the --rm container', async (t, sb) => {
  // docker run --rm -d --network host --name my_httpd httpd
  await sb.ok('pont run --rm -d --network host --name my_httpd httpd');
  await sb.ok('for i in $(seq 100); do curl -s --max-time 1 http://localhost:80/ >/dev/null && exit 0; sleep 0.05; done; exit 1');
  t.regex(await sb.ok('curl -s --max-time 3 http://localhost:80/'), /It works!/);
  t.false((await sb.ok('iptables-save -t nat')).includes('DNAT'), 'no mapping: the server listens on the host itself');
  // docker container stop my_httpd
  t.is(await sb.ok('pont container stop my_httpd'), 'my_httpd\n');
  t.is(await sb.ok('pont container ls -aq'), '', '--rm: gone once stopped');
  t.not((await sb.sh('curl -s --max-time 1 http://localhost:80/')).exitCode, 0);
  const r = await sb.pont('container inspect my_httpd');
  t.is(r.stderr, 'Error: No such container: my_httpd\n');
  t.is(r.exitCode, 1);
});
