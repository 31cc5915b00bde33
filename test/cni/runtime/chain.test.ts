// The CNI runtime against Debian's real plugins (/usr/lib/cni), each test in its own sandbox.
// The chain runs in a driver process inside the sandbox (test/cni/driver.ts), so the plugins
// see the sandbox's namespaces; the container is `ip netns add c1`. Everything a plugin keeps on
// disk stays in the sandbox's private /run: the result cache (cacheDir), host-local's
// reservations (its "dataDir"), tuning's backups (/run/cni/tuning by default).
import { existsSync } from 'node:fs';
import type { ExecutionContext } from 'ava';
import type { CniResult } from '../../../src/cni/runtime/chain.js';
import { sandboxTest } from '../../helpers/root-test.js';
import { ROOT, type Sandbox } from '../../helpers/sandbox.js';
import type { DriverRequest } from './driver.js';

const DRIVER = `${ROOT}/dist/test/cni/runtime/driver.js`;
const PLUGINS = '/usr/lib/cni';
const OPTS = { path: [PLUGINS], cacheDir: '/run/cni/cache', timeoutMs: 60_000 };
const DATA_DIR = '/run/cni/networks';
const C1 = { containerId: 'c1', netns: '/run/netns/c1', ifname: 'eth0' };
const missing = (plugin: string) => (existsSync(`${PLUGINS}/${plugin}`) ? false : `Debian's containernetworking-plugins here ships no ${plugin} plugin in ${PLUGINS}`);

interface DriverReply<T> {
  result?: T;
  error?: string;
  plugin?: string;
}

async function cni<T = CniResult>(sb: Sandbox, req: Omit<DriverRequest, 'opts'>): Promise<DriverReply<T>> {
  const out = await sb.ok(`${process.execPath} ${DRIVER}`, { input: JSON.stringify({ ...req, opts: OPTS }), timeoutMs: 180_000 });
  return JSON.parse(out) as DriverReply<T>;
}

/** Runs an operation that must succeed; fails the test with the plugin's error otherwise. */
async function cniOk<T = CniResult>(t: ExecutionContext, sb: Sandbox, req: Omit<DriverRequest, 'opts'>): Promise<T> {
  const r = await cni<T>(sb, req);
  if (r.error !== undefined) t.fail(`${req.op} failed: ${r.error}`);
  return r.result as T;
}

/** Writes a configuration list into the sandbox; returns its path. */
async function writeList(sb: Sandbox, list: Record<string, unknown>): Promise<string> {
  const path = `/run/cni/net.d/${list.name}.conflist`;
  await sb.ok(`mkdir -p /run/cni/net.d && cat > ${path}`, { input: JSON.stringify(list, null, 2) });
  return path;
}

const hostLocal = (subnet: string) => ({ type: 'host-local', subnet, dataDir: DATA_DIR, routes: [{ dst: '0.0.0.0/0' }] });
const bridge = (name: string, subnet: string) => ({ type: 'bridge', bridge: name, isGateway: true, ipMasq: true, ipam: hostLocal(subnet) });

/**
 * The host's links, addresses, routes, and iptables rules and user chains: what a DEL must give
 * back. Not the sandbox's snapshot(): a table that the ADD created stays, empty, and a netns that
 * held a veth peer keeps its nsid; neither is something left behind.
 */
const hostState = (sb: Sandbox) =>
  sb.ok(`ip -o link | awk '{print $2}' | sort; ip -4 -o addr | awk '{print $2, $4}' | sort; ip route | sort
    iptables-save | grep -e '^-A' -e '^:' | grep -v -E '^:(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) ' | sed 's/\\[[0-9]*:[0-9]*\\]//' | sort`);
const containerLinks = (sb: Sandbox) => sb.ok(`ip -n c1 -o link | awk '{print $2}' | sed 's/@.*//; s/:$//' | sort`).then((s) => s.trim().split('\n'));
const containerAddr = (sb: Sandbox) => sb.ok(`ip -n c1 -4 -o addr show dev eth0 | awk '{print $4}'`).then((s) => s.trim());
const reservations = (sb: Sandbox, net: string) => sb.ok(`ls ${DATA_DIR}/${net} 2>/dev/null | grep -v -e '^lock$' -e '^last_reserved_ip' || true`).then((s) => s.trim());
const cacheFiles = (sb: Sandbox) => sb.ok('ls /run/cni/cache/results 2>/dev/null || true').then((s) => s.trim());
/** The rules a container leaves: those whose comment names it, or that mention its address (a grep pattern) or its published port. */
const rulesFor = (sb: Sandbox, addressPattern: string, port?: number) =>
  sb.ok(`iptables-save | grep -v '^#' | grep -e 'id: \\"c1\\"' -e '${addressPattern}'${port ? ` -e 'dport ${port}'` : ''} || true`).then((s) => s.trim());
const exactly = (ip: string) => `${ip.replace(/\./g, '\\.')}[/ ]`;

sandboxTest('cni bridge + host-local + portmap: address from host-local, ping, published port from outside; DEL leaves nothing', async (t, sb) => {
  const list = await writeList(sb, {
    cniVersion: '1.0.0',
    name: 'webnet',
    plugins: [bridge('cni-web', '10.77.0.0/24'), { type: 'portmap', snat: true, capabilities: { portMappings: true } }],
  });
  await sb.ok('ip netns add c1');
  // "outside": another host, one veth away, reaching the published port on the host's address
  await sb.ok(`ip netns add outside && ip link add vo type veth peer name eth0 netns outside && ip addr add 192.168.77.1/24 dev vo && ip link set vo up
    ip -n outside addr add 192.168.77.2/24 dev eth0 && ip -n outside link set eth0 up && ip -n outside link set lo up && ip -n outside route add default via 192.168.77.1`);
  const rt = { ...C1, capabilityArgs: { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp', hostIP: '' }] } };

  const result = await cniOk(t, sb, { op: 'ADD', list, rt });
  const address = result.ips?.[0]?.address ?? '';
  t.regex(address, /^10\.77\.0\.\d+\/24$/, 'the address host-local gave');
  t.is(await containerAddr(sb), address, 'and the container has it');
  const ip = address.split('/')[0];
  t.is(await reservations(sb, 'webnet'), ip, 'host-local reserved it in its dataDir');
  t.is(await cacheFiles(sb), 'webnet-c1-eth0');
  await sb.ok(`ping -c1 -W2 ${ip}`);

  await sb.ok(`ip netns exec c1 ip link set lo up; ip netns exec c1 socat TCP-LISTEN:80,reuseaddr,fork SYSTEM:'echo hello-from-c1' >/dev/null 2>&1 &`);
  const fromOutside = await sb.ok(`for i in $(seq 50); do ip netns exec outside socat -T2 - TCP:192.168.77.1:8080,connect-timeout=1 </dev/null 2>/dev/null && break; sleep 0.1; done`);
  t.is(fromOutside.trim(), 'hello-from-c1', 'the published port answers from another namespace');
  t.is((await sb.ok('socat -T2 - TCP:192.168.77.1:8080,connect-timeout=2 </dev/null')).trim(), 'hello-from-c1', 'and from the host, on its own address');
  t.not(await rulesFor(sb, exactly(ip), 8080), '', 'portmap and bridge wrote rules for the container');

  // Debian's portmap 1.1.1 also checks IPv6 rules it never made (containernetworking/plugins#819,
  // fixed in 1.2.0): its CHECK fails on an IPv4-only network; the error reaches us as it said it
  const check = await cni<null>(sb, { op: 'CHECK', list, rt });
  if (check.error !== undefined) t.regex(check.error, /^plugin portmap failed \(check\): could not check ipv6 dnat: chain CNI-DN-\w+ not found in iptables table nat$/);
  await cniOk(t, sb, { op: 'DEL', list, rt });
  t.deepEqual(await containerLinks(sb), ['lo'], 'the container\'s eth0 is gone');
  t.is((await sb.ok('ip -o link show master cni-web')).trim(), '', 'and the veth on the bridge');
  t.is(await rulesFor(sb, exactly(ip), 8080), '', 'no rule mentions the container, its address or its port');
  t.is(await reservations(sb, 'webnet'), '', 'host-local released the address');
  t.is(await cacheFiles(sb), '', 'the cached result is removed');
  t.deepEqual(await cniOk(t, sb, { op: 'DEL', list, rt }), null, 'DEL again succeeds: nothing left to remove');
});

sandboxTest('cni macvlan + static: the container is on the parent\'s LAN; DEL leaves the host as it was', async (t, sb) => {
  await sb.ok(`ip netns add c1 && ip netns add lan && ip link add mv-parent type veth peer name eth0 netns lan && ip link set mv-parent up
    ip -n lan addr add 192.168.50.1/24 dev eth0 && ip -n lan link set eth0 up`);
  const list = await writeList(sb, {
    cniVersion: '1.0.0',
    name: 'lannet',
    plugins: [{ type: 'macvlan', master: 'mv-parent', mode: 'bridge', ipam: { type: 'static', addresses: [{ address: '192.168.50.10/24', gateway: '192.168.50.1' }] } }],
  });
  const before = await hostState(sb);
  const result = await cniOk(t, sb, { op: 'ADD', list, rt: C1 });
  t.is(result.ips?.[0]?.address, '192.168.50.10/24');
  t.is(await containerAddr(sb), '192.168.50.10/24');
  t.regex(await sb.ok('ip -n c1 -d link show eth0'), /macvlan mode bridge/);
  await sb.ok('ip netns exec lan ping -c1 -W2 192.168.50.10');
  await cniOk(t, sb, { op: 'DEL', list, rt: C1 });
  t.deepEqual(await containerLinks(sb), ['lo']);
  t.is(await hostState(sb), before);
});

sandboxTest('cni ptp + host-local: a veth pair the host routes to and pings; DEL leaves the host as it was; versions and GC with 1.0 plugins', async (t, sb) => {
  await sb.ok('ip netns add c1');
  const conf = { cniVersion: '1.0.0', name: 'p2p', plugins: [{ type: 'ptp', ipMasq: true, ipam: hostLocal('10.66.0.0/24') }] };
  const list = await writeList(sb, conf);
  const newer = await writeList(sb, { ...conf, name: 'p2p-next', cniVersion: '1.1.0' });
  const refused = await cni(sb, { op: 'ADD', list: newer, rt: C1 });
  t.is(refused.error, `CNI plugin ptp (${PLUGINS}/ptp) does not support cniVersion 1.1.0 of network "p2p-next" (${newer}): it supports 0.1.0 to 1.0.0`);

  const before = await hostState(sb);
  const result = await cniOk(t, sb, { op: 'ADD', list: 'p2p', confDir: '/run/cni/net.d', rt: C1 });
  const ip = result.ips![0].address.split('/')[0];
  t.is(await containerAddr(sb), result.ips![0].address);
  t.regex(await sb.ok(`ip route get ${ip}`), /dev veth\w+ src 10\.66\.0\.1 /, 'the host reaches it over its end of the pair');
  await sb.ok(`ping -c1 -W2 ${ip}`);
  const gc = await cniOk<{ ran: string[]; skipped: string[]; deleted: string[] }>(t, sb, { op: 'GC', list, rt: C1, valid: [{ containerId: 'c1', ifname: 'eth0' }] });
  t.deepEqual(gc, { ran: [], skipped: ['ptp: supports CNI 0.1.0 to 1.0.0, GC needs 1.1.0'], deleted: [] }, 'Debian\'s plugins predate GC; the valid attachment is kept');
  t.is(await reservations(sb, 'p2p'), ip);

  // the explained ADD, pasted into a shell, attaches another container
  await sb.ok('ip netns add c2');
  const C2 = { ...C1, containerId: 'c2', netns: '/run/netns/c2' };
  const lines = await cniOk<string[]>(t, sb, { op: 'EXPLAIN-ADD', list, rt: C2 });
  t.is(lines[0], `CNI_COMMAND=ADD CNI_CONTAINERID=c2 CNI_NETNS=/run/netns/c2 CNI_IFNAME=eth0 CNI_PATH=${PLUGINS} ${PLUGINS}/ptp <<'EOF'`);
  t.deepEqual(JSON.parse(lines[1]), { ...conf.plugins[0] as object, name: 'p2p', cniVersion: '1.0.0' });
  const pasted = JSON.parse(await sb.ok(lines.join('\n'))) as CniResult;
  t.is(await sb.ok('ip -n c2 -4 -o addr show dev eth0 | awk \'{print $4}\'').then((o) => o.trim()), pasted.ips![0].address);
  // no cache for c2 (the shell ran the plugin, not the runtime): DEL without prevResult still cleans up
  await cniOk(t, sb, { op: 'DEL', list, rt: C2 });
  t.is(await reservations(sb, 'p2p'), ip, 'only c1\'s reservation is left');

  await cniOk(t, sb, { op: 'DEL', list, rt: C1 });
  t.is(await hostState(sb), before, 'links, addresses, routes and rules as before the ADD');
  t.is(await reservations(sb, 'p2p'), '');
});

sandboxTest('cni chain with tuning: sysctl and MTU set in the container after bridge', async (t, sb) => {
  await sb.ok('ip netns add c1');
  const list = await writeList(sb, {
    cniVersion: '1.0.0',
    name: 'tuned',
    plugins: [bridge('cni-tuned', '10.55.0.0/24'), { type: 'tuning', mtu: 1400, sysctl: { 'net.core.somaxconn': '512', 'net.ipv4.conf.eth0.rp_filter': '2' } }],
  });
  const result = await cniOk(t, sb, { op: 'ADD', list, rt: C1 });
  t.is(await sb.ok('ip netns exec c1 sysctl -n net.core.somaxconn net.ipv4.conf.eth0.rp_filter'), '512\n2\n');
  t.regex(await sb.ok('ip -n c1 link show eth0'), /mtu 1400 /);
  t.is(await containerAddr(sb), result.ips![0].address);
  await cniOk(t, sb, { op: 'CHECK', list, rt: C1 });
  await cniOk(t, sb, { op: 'DEL', list, rt: C1 });
  t.deepEqual(await containerLinks(sb), ['lo']);
  t.is(await reservations(sb, 'tuned'), '');
});

sandboxTest('cni chain bridge + tuning + firewall: the firewall plugin\'s rules for the container after ADD, none after DEL', async (t, sb) => {
  await sb.ok('ip netns add c1');
  const list = await writeList(sb, {
    cniVersion: '1.0.0',
    name: 'walled',
    plugins: [bridge('cni-walled', '10.44.0.0/24'), { type: 'tuning', sysctl: { 'net.ipv4.conf.eth0.rp_filter': '2' } }, { type: 'firewall', backend: 'iptables' }],
  });
  const result = await cniOk(t, sb, { op: 'ADD', list, rt: C1 });
  const ip = result.ips![0].address.split('/')[0];
  t.is(await sb.ok('ip netns exec c1 sysctl -n net.ipv4.conf.eth0.rp_filter'), '2\n');
  t.regex(await sb.ok('iptables-save -t filter'), new RegExp(`-A CNI-FORWARD .*-d ${ip.replace(/\./g, '\\.')}/32`), 'firewall admits traffic to the container');
  await cniOk(t, sb, { op: 'CHECK', list, rt: C1 });
  await cniOk(t, sb, { op: 'DEL', list, rt: C1 });
  t.is(await rulesFor(sb, exactly(ip)), '');
  t.deepEqual(await containerLinks(sb), ['lo']);
}, { skip: missing('firewall') || missing('tuning') });

sandboxTest('cni: a plugin failing in the middle leaves no interface, rule, reservation or cache', async (t, sb) => {
  await sb.ok('ip netns add c1');
  const list = await writeList(sb, {
    cniVersion: '1.0.0',
    name: 'broken',
    plugins: [bridge('cni-broken', '10.33.0.0/24'), { type: 'tuning', sysctl: { 'net.ipv4.conf.eth0.no_such_knob': '1' } }, { type: 'portmap', capabilities: { portMappings: true } }],
  });
  const rt = { ...C1, capabilityArgs: { portMappings: [{ hostPort: 9090, containerPort: 80, protocol: 'tcp' }] } };
  const r = await cni(sb, { op: 'ADD', list, rt });
  t.is(r.plugin, 'tuning');
  t.regex(await sb.ok(`cat ${DATA_DIR}/broken/last_reserved_ip.0`), /^10\.33\.0\.\d+$/, 'bridge had run: host-local had reserved an address');
  t.regex(r.error ?? '', /^plugin tuning failed \(add\): .*no_such_knob/);
  t.false((r.error ?? '').includes('\n'));
  t.deepEqual(await containerLinks(sb), ['lo'], 'the bridge plugin\'s DEL removed eth0');
  t.is((await sb.ok('ip -o link show master cni-broken')).trim(), '', 'and its veth');
  t.is(await rulesFor(sb, '10\\.33\\.0\\.', 9090), '', 'no masquerade or port rule');
  t.is(await reservations(sb, 'broken'), '', 'host-local released the address');
  t.is(await cacheFiles(sb), '');
});
