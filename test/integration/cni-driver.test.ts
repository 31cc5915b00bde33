// CNI plugins as a pont network driver (issue 15, part 1): a network built by Debian's bridge +
// host-local + portmap plugins, with pont's containers on it. They reach each other by address and
// by name (pont's resolver), a published port answers from another namespace through portmap, and
// rm leaves no interface, no rule and no IPAM reservation. All in a sandbox with its own
// /etc/cni/net.d and /var/lib/cni.
import { existsSync } from 'node:fs';
import { sandboxTest } from '../helpers/root-test.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { pings } from '../helpers/world.js';
import { ROOT } from '../helpers/sandbox.js';

const PLUGINS = '/usr/lib/cni';
const skip = existsSync(`${PLUGINS}/bridge`) ? false : `needs Debian's CNI plugins in ${PLUGINS} (package containernetworking-plugins)`;

const LIST = {
  cniVersion: '1.0.0',
  name: 'cbr',
  plugins: [
    { type: 'bridge', bridge: 'cni-cbr0', isGateway: true, ipMasq: true, ipam: { type: 'host-local', ranges: [[{ subnet: '10.88.0.0/24', gateway: '10.88.0.1' }]], routes: [{ dst: '0.0.0.0/0' }] } },
    { type: 'portmap', capabilities: { portMappings: true } },
  ],
};

/** The sandbox's own CNI directories (tmpfs), and the list installed by name. */
async function cniHost(sb: Sandbox): Promise<void> {
  await sb.ok('mkdir -p /var/lib/cni /etc/cni/net.d && mount -t tmpfs tmpfs /var/lib/cni && mount -t tmpfs tmpfs /etc/cni/net.d');
  await sb.ok(`cat > /etc/cni/net.d/10-cbr.conflist <<'EOF'\n${JSON.stringify(LIST, null, 2)}\nEOF`);
}

const reservations = (sb: Sandbox) => sb.ok("ls /var/lib/cni/networks/cbr 2>/dev/null | grep -v -e '^lock$' -e '^last_reserved_ip' || true");

sandboxTest('bridge + host-local + portmap: pont containers ping by address and name, a published port answers from outside, rm leaves nothing', async (t, sb) => {
  await cniHost(sb);
  await sb.ok('pont system gc'); // pont's base chains and predefined networks, as any first command lays them
  const before = await sb.snapshot({ store: false });
  await sb.ok('pont network create -d cni -o config=cbr cbr');
  const [doc] = JSON.parse(await sb.ok('pont network inspect cbr'));
  t.is(doc.Driver, 'cni');
  t.deepEqual(doc.IPAM.Config.map((c: { Subnet: string }) => c.Subnet), ['10.88.0.0/24']);
  t.is(doc.Options.config, 'cbr');

  // the dry run names each plugin with the configuration it would get
  const dry = await sb.ok('pont run --dry-run -d --name web --network cbr -p 8080:80 nginx');
  t.regex(dry, /CNI_COMMAND=ADD .*CNI_IFNAME=eth0 .*\/usr\/lib\/cni\/bridge/);
  t.regex(dry, /\/usr\/lib\/cni\/portmap/);
  t.regex(dry, /"portMappings"/);

  await sb.ok('pont run -d --name web --network cbr -p 8080:80 nginx');
  await sb.ok('pont run -d --name cli --network cbr alpine sleep 600');
  const ip = (await sb.ok('pont inspect -f "{{.NetworkSettings.Networks.cbr.IPAddress}}" web')).trim();
  t.regex(ip, /^10\.88\.0\.\d+$/, 'the address comes from host-local');
  t.is((await sb.ok('pont inspect -f "{{.NetworkSettings.Networks.cbr.Gateway}}" web')).trim(), '10.88.0.1');
  t.regex((await sb.ok('pont inspect -f "{{.NetworkSettings.Networks.cbr.MacAddress}}" web')).trim(), /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
  // the plugins' result, as ADD printed it: interfaces (bridge, host veth, eth0 in the namespace), address, routes
  const result = JSON.parse(await sb.ok('pont inspect -f "{{json .NetworkSettings.Networks.cbr.CNIResult}}" web'));
  t.deepEqual(result.interfaces.map((i: { name: string; sandbox?: string }) => i.sandbox ?? i.name).filter((n: string) => !n.startsWith('veth')), ['cni-cbr0', '/run/netns/web']);
  t.deepEqual(result.routes, [{ dst: '0.0.0.0/0' }]);
  t.is(result.ips[0].address, `${ip}/24`);
  t.true(await pings(sb, 'cli', ip), 'by address');
  t.true(await pings(sb, 'cli', 'web'), "by name, through pont's resolver");
  t.true(await pings(sb, 'cli', 'web.cbr'), 'by name.network');
  t.true(existsSync('/') && (await sb.ok('ls /var/lib/cni/results')).includes('cbr-'), "libcni's result cache");

  // the published port, through portmap's DNAT, from another namespace
  await sb.ok('ip netns add outside && ip link add up0 type veth peer name eth0 netns outside && ip addr add 192.0.2.1/24 dev up0 && ip link set up0 up && ip -n outside addr add 192.0.2.2/24 dev eth0 && ip -n outside link set eth0 up && ip -n outside route add default via 192.0.2.1');
  const page = await sb.sh('ip netns exec outside curl -s -m 3 http://192.0.2.1:8080/');
  t.regex(page.stdout, /It works!/, `published port answers from outside: ${page.stderr}`);
  t.regex(await sb.ok('iptables-save -t nat'), /CNI-HOSTPORT-DNAT/);

  // an attachment no record of pont's holds (made behind its back, with libcni's cache): system gc
  // deletes it (the list's DEL), and says the plugins have no GC of their own (spec 1.0)
  await sb.ok('ip netns add stale');
  const req = { op: 'ADD', list: 'cbr', rt: { containerId: 'stale0', netns: '/run/netns/stale', ifname: 'eth0' }, opts: {} };
  await sb.ok(`echo '${JSON.stringify(req)}' | node ${ROOT}/dist/test/cni/runtime/driver.js`);
  t.regex(await sb.ok('ip netns exec stale ip -br addr show eth0'), /10\.88\.0\.\d+/);
  const gc = await sb.pont('system gc');
  t.is(gc.exitCode, 0, gc.stderr);
  t.regex(gc.stderr, /CNI network cbr: deleted the stale attachment stale0\/eth0/);
  t.regex(gc.stderr, /CNI network cbr: no GC for bridge: /);
  t.is((await sb.sh('ip netns exec stale ip link show eth0')).exitCode, 1, "the stale attachment's interface is gone");
  t.regex(await sb.ok('pont exec cli ping -c 1 -W 1 web'), /1 packets transmitted, 1 (packets )?received/, "pont's own attachments are untouched");
  await sb.ok('ip netns del stale');

  await sb.ok('pont rm -f web cli');
  t.is(await reservations(sb), '', "host-local's reservations are released");
  t.is(await sb.ok('ls /var/lib/cni/results'), '', 'the result cache is gone');
  t.false((await sb.ok('iptables-save')).includes('8080'), "portmap's rules are gone");
  // up0 is deleted by name: a namespace's deletion frees its veth peer later, in the kernel's cleanup work
  await sb.ok('pont network rm cbr && ip link del up0 && ip netns del outside');
  await sb.sh('ip link del cni-cbr0');
  const after = await sb.snapshot({ store: false });
  t.is(after.replace(/.*CNI-.*\n/g, ''), before.replace(/.*CNI-.*\n/g, ''), 'no interface or address left (the plugins own their bridge and chains)');
}, { skip });

sandboxTest('a plugin failing in the middle of the chain leaves nothing; its error reaches the user as the plugin said it', async (t, sb) => {
  await cniHost(sb);
  const bad = { cniVersion: '1.0.0', name: 'broken', plugins: [LIST.plugins[0], { type: 'tuning', sysctl: { 'net.ipv4.conf.eth0.no_such_key': '1' } }] };
  await sb.ok(`cat > /etc/cni/net.d/20-broken.conflist <<'EOF'\n${JSON.stringify({ ...bad, plugins: [{ ...LIST.plugins[0], bridge: 'cni-broken0', ipam: { ...LIST.plugins[0].ipam, ranges: [[{ subnet: '10.89.0.0/24' }]] } }, bad.plugins[1]] })}\nEOF`);
  await sb.ok('pont network create -d cni -o config=/etc/cni/net.d/20-broken.conflist broken');
  const before = await sb.snapshot();
  const r = await sb.pont('run -d --name xx --network broken alpine sleep 60');
  t.not(r.exitCode, 0);
  t.regex(r.stderr, /plugin tuning failed \(add\)/i);
  // the bridge plugin keeps its bridge after DEL (as with any runtime): everything else is gone
  const mine = (x: string) => x.split('\n').filter((l) => !l.includes('cni-broken0')).join('\n');
  t.is(mine(await sb.snapshot()), mine(before), 'the host and the store are as before');
  t.is(await sb.ok("ls /var/lib/cni/networks/broken 2>/dev/null | grep -v -e '^lock$' -e '^last_reserved_ip' || true"), '', 'no address stays reserved');
}, { skip });
