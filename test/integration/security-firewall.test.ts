// Issue 10, firewall: each test performs an attack on a sandbox host and shows it fails, and
// shows the legitimate use beside it still works. The "LAN" is the namespace `internet` of
// world.ts (a machine on a link of the host: 198.51.100.2, the host being 198.51.100.1).
// Every test runs once per firewall backend (iptables, nftables), the same attacks and the same
// legitimate uses; what differs is only how a test reads a counter or breaks a rule.
import { FORWARDING_WARNING, foreignDropWarning, NFT_FORWARDING_WARNING } from '../../src/engine/forwarding.js';
import { bridgeName } from '../../src/core/names.js';
import { breakInputGuard, inputDrops, loopbackDrops, removeLoopbackDrop } from '../helpers/firewall.js';
import { sandboxTestEachBackend } from '../helpers/root-test.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { addInternet, askWhoAmI, httpGet, pings, startUdpEcho, startWhoAmI, udpAsk, untilListening, UPLINK } from '../helpers/world.js';
import { bindResolvConf } from '../helpers/resolv-conf.js';

const IT_WORKS = '<html><body><h1>It works!</h1></body></html>\n';

/**
 * What an attacker who is root on a machine (or in a container) does to send packets for
 * 127.0.0.1 to a neighbour: a policy rule ahead of the local table sends them via `gw` out of
 * `dev`, and route_localnet lets the replies (from 127.0.0.1) in.
 */
async function routeLoopbackVia(sb: Sandbox, ns: string, gw: string, dev: string): Promise<void> {
  await sb.ok(
    [
      `ip -n ${ns} route add 127.0.0.1/32 via ${gw} dev ${dev} table 100`,
      `ip -n ${ns} rule add pref 10 to 127.0.0.1 lookup 100`,
      `ip -n ${ns} rule del pref 0`,
      `ip -n ${ns} rule add pref 100 lookup local`,
      `ip netns exec ${ns} sysctl -qw net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.${dev}.route_localnet=1`,
    ].join(' && '),
  );
  // the kernel really routes 127.0.0.1 out of the namespace now
  const route = await sb.ok(`ip -n ${ns} route get 127.0.0.1`);
  if (!route.includes(`via ${gw} dev ${dev}`)) throw new Error(`127.0.0.1 is not routed out of ${ns}: ${route}`);
}

const RESOLV = '/run/fw-test/resolv.conf';
const rawText = (s: string) => (s === '' ? '(no answer)' : s.trim());

sandboxTestEachBackend('a port published on 127.0.0.1 does not answer a LAN machine that routes 127.0.0.1 through the host; the host still reaches it', async (t, sb) => {
  await addInternet(sb);
  await sb.ok('pont run -d --name lo1 -p 127.0.0.1:8080:80 nginx');
  await sb.ok('for i in $(seq 1 100); do curl -s --max-time 1 http://127.0.0.1:8080/ >/dev/null && exit 0; sleep 0.05; done; exit 1');
  t.is(await httpGet(sb, '', 'http://127.0.0.1:8080/'), IT_WORKS, 'the host itself, on 127.0.0.1');

  await routeLoopbackVia(sb, 'internet', UPLINK.host, 'wan0');
  const dropsBefore = await loopbackDrops(sb);
  t.is(rawText(await httpGet(sb, 'internet', 'http://127.0.0.1:8080/')), '(no answer)', 'the LAN machine gets no answer');
  t.true((await loopbackDrops(sb)) > dropsBefore, 'its packets did reach the host, and the raw table dropped them');
  t.is(await httpGet(sb, '', 'http://127.0.0.1:8080/'), IT_WORKS, 'the host still reaches it');

  // control: the attack is real, it is that one rule that stops it
  await removeLoopbackDrop(sb);
  t.is(await httpGet(sb, 'internet', 'http://127.0.0.1:8080/'), IT_WORKS, 'without the rule the LAN machine reaches the loopback-only port');
});

sandboxTestEachBackend('a container cannot reach a host service bound to 127.0.0.1 through its gateway; published ports and the embedded DNS still work', async (t, sb) => {
  await addInternet(sb);
  // a host service meant for the host alone
  await sb.ok(`setsid node -e "require('net').createServer(s=>{s.on('error',()=>{});s.end('secret\\n')}).listen(7777,'127.0.0.1')" >/dev/null 2>&1 &
    for i in $(seq 1 100); do ss -ltn | grep -q '127.0.0.1:7777 ' && exit 0; sleep 0.05; done; exit 1`);
  t.is((await sb.ok('curl -s --max-time 2 telnet://127.0.0.1:7777 </dev/null')).trim(), 'secret', 'the host reaches its own service');

  // the embedded resolver's upstream is the LAN machine, where nothing answers: no query leaves the sandbox
  await sb.ok(`mkdir -p /run/fw-test && echo 'nameserver ${UPLINK.remote}' > ${RESOLV}`);
  await sb.ok(bindResolvConf(RESOLV));
  await sb.ok('pont network create web');
  await sb.ok('pont run -d --name w1 --network web -p 8000:80 nginx');
  await sb.ok('pont run -d --name snoop --network web alpine sleep 300');
  const gw = (await sb.ok(`pont network inspect -f '{{range .IPAM.Config}}{{.Gateway}}{{end}}' web`)).trim();
  const br = `pont-${(await sb.ok(`pont network inspect -f '{{.Id}}' web`)).slice(0, 10)}`;
  t.is((await sb.ok(`sysctl -n net.ipv4.conf.${br}.route_localnet`)).trim(), '1', 'pont bridges keep route_localnet (published ports on 127.0.0.1 need it)');

  await routeLoopbackVia(sb, 'snoop', gw, 'eth0');
  const dropsBefore = await loopbackDrops(sb);
  const r = await sb.sh('ip netns exec snoop curl -s --max-time 2 telnet://127.0.0.1:7777 </dev/null');
  t.not(r.stdout.trim(), 'secret', 'the container gets nothing from the host-only service');
  t.not(r.exitCode, 0);
  t.true((await loopbackDrops(sb)) > dropsBefore, 'its packets reached the host and were dropped in raw');

  // the legitimate uses
  await sb.ok('for i in $(seq 1 100); do curl -s --max-time 1 http://127.0.0.1:8000/ >/dev/null && exit 0; sleep 0.05; done; exit 1');
  t.is(await httpGet(sb, 'internet', `http://${UPLINK.host}:8000/`), IT_WORKS, 'published port from outside');
  t.is(await httpGet(sb, '', `http://${UPLINK.host}:8000/`), IT_WORKS, 'from the host address');
  t.is(await httpGet(sb, '', 'http://127.0.0.1:8000/'), IT_WORKS, 'from 127.0.0.1 on the host');
  t.is(await httpGet(sb, 'w1', `http://${UPLINK.host}:8000/`), IT_WORKS, 'hairpin');
  t.is((await sb.ok('ip netns exec w1 dig +short +time=2 +tries=2 @127.0.0.11 snoop')).trim(), '172.18.0.3', 'the embedded DNS on 127.0.0.11 answers');

  // control: the attack is real, it is the raw rule that stops it
  await removeLoopbackDrop(sb);
  t.is((await sb.sh('ip netns exec snoop curl -s --max-time 2 telnet://127.0.0.1:7777 </dev/null')).stdout.trim(), 'secret', 'without the rule the container reads it');
});

/** Everything a command could change: kernel objects, rules, store, sysctls, pont's directories. */
async function observe(sb: Sandbox): Promise<string> {
  const extra = await sb.ok(
    'sysctl net.ipv4.ip_forward net.ipv4.conf.all.route_localnet; for d in /var/lib/pont /run/pont /etc/netns /run/netns; do echo "$d:"; find $d -mindepth 1 -printf "%p %s\\n" | sort; done',
  );
  return `${await sb.snapshot()}\n${extra}`;
}

const DRY_RUNS = [
  'network create --dry-run n9',
  'network create --dry-run --internal --subnet 10.9.0.0/24 n10',
  'network prune -f --dry-run',
  'run --dry-run -d --name d1 -p 8081:80 nginx',
  'container run --dry-run -d --network host alpine',
];

sandboxTestEachBackend('on a fresh host, read-only commands and --dry-run change nothing, and show the predefined networks as they will be', async (t, sb) => {
  const before = await observe(sb);
  t.regex(before, /net\.ipv4\.ip_forward = 0/);
  const ls = await sb.pont('network ls --format "{{.Name}} {{.Driver}}"');
  t.is(ls.stdout, 'bridge bridge\nhost host\nnone null\n');
  const shownId = (await sb.ok(`pont network inspect -f '{{.Id}}' bridge`)).trim();
  t.regex(shownId, /^[0-9a-f]{64}$/);
  t.is((await sb.ok(`pont network inspect -f '{{range .IPAM.Config}}{{.Subnet}}{{end}}' bridge`)).trim(), '172.17.0.0/16');
  for (const cmd of ['network ls -q', 'network inspect bridge host none', 'ps', 'ps -a', 'container ls -a', 'inspect bridge', 'network inspect nosuch', 'inspect nosuch', 'port nosuch', 'logs nosuch', 'exec nosuch true']) {
    await sb.pont(cmd);
    t.is(await observe(sb), before, `pont ${cmd}`);
  }
  for (const cmd of [...DRY_RUNS, 'network rm --dry-run bridge', 'network connect --dry-run bridge nosuch', 'network disconnect --dry-run bridge nosuch', 'rm --dry-run nosuch', 'container rm --dry-run -f nosuch']) {
    const r = await sb.pont(cmd);
    t.is(await observe(sb), before, `pont ${cmd}`);
    if (cmd === 'network create --dry-run n9') {
      // what the first change will do, default bridge and forwarding included, is shown
      t.true(r.stdout.split('\n').includes('ip link add pont0 address 02:42:' + shownId.slice(0, 8).match(/../g)!.join(':') + ' type bridge'), r.stdout);
      t.true(r.stdout.split('\n').includes('sysctl -w net.ipv4.ip_forward=1'));
    }
  }
  // the first change records the predefined networks with the ids the read-only commands showed
  await sb.ok('pont network create n1');
  t.is((await sb.ok(`pont network inspect -f '{{.Id}}' bridge`)).trim(), shownId);
  t.regex(await sb.ok('ip -o link'), /pont0/);
});

sandboxTestEachBackend('with networks and a running container, read-only commands and --dry-run change nothing', async (t, sb) => {
  await sb.ok('pont network create n1 && pont network create n2');
  await sb.ok('pont run -d --name c1 --network n1 -p 8080:80 nginx');
  // the container's server writes its page after `run -d` returns: observe once it listens
  await untilListening(sb, 'c1', 80);
  const before = await observe(sb);
  const reads = ['network ls', 'network inspect n1 n2 bridge', 'ps', 'ps -a', 'inspect c1', 'container inspect c1', 'port c1', 'port c1 80', 'logs c1', 'exec c1 true', 'exec c1 ip -4 addr'];
  const dryRuns = [...DRY_RUNS, 'network rm --dry-run n2', 'network connect --dry-run n2 c1', 'network disconnect --dry-run n1 c1', 'rm --dry-run -f c1', 'container rm --dry-run -f c1'];
  for (const cmd of [...reads, ...dryRuns]) {
    const r = await sb.pont(cmd);
    t.is(r.exitCode, 0, `pont ${cmd}: ${r.stderr}`);
    t.is(await observe(sb), before, `pont ${cmd}`);
  }
});

sandboxTestEachBackend('turning forwarding on with the FORWARD policy ACCEPT warns once, and leaves the policy alone', async (t, sb) => {
  const first = await sb.pont('network create a1');
  t.is(first.exitCode, 0);
  t.is(first.stderr, `${sb.firewall === 'iptables' ? FORWARDING_WARNING : NFT_FORWARDING_WARNING}\n`);
  t.is((await sb.ok('sysctl -n net.ipv4.ip_forward')).trim(), '1');
  const second = await sb.pont('network create a2');
  t.is(second.stderr, '', 'forwarding was on already: no warning');
  t.is((await sb.ok('iptables -S FORWARD')).split('\n')[0], '-P FORWARD ACCEPT', 'pont never changes a built-in policy');
});

// iptables: pont's rules live in FORWARD itself, ahead of its policy. nftables: pont's accept ends
// its own chain only, and iptables' FORWARD (another table) still drops what it does not accept:
// pont names that chain and the rule that lets its bridges through (D-nft-foreign-drop).
sandboxTestEachBackend('with the FORWARD policy DROP pont\'s networks keep working (nftables: once FORWARD lets its bridges through, as pont says): NAT out, published ports, hairpin, across networks', async (t, sb) => {
  await sb.ok('iptables -P FORWARD DROP');
  await addInternet(sb);
  await startWhoAmI(sb, 'internet', 7000);
  const create = await sb.pont('network create web');
  t.is(create.exitCode, 0);
  if (sb.firewall === 'iptables') t.is(create.stderr, '', 'no warning: the host does not route between its interfaces');
  else t.is(create.stderr, `${foreignDropWarning([{ table: 'ip filter', chain: 'FORWARD' }])}\n`, 'the chain that drops what pont accepts is named');
  await sb.ok('pont run -d --name w1 --network web -p 8000:80 -p 9000:9000/udp nginx');
  await sb.ok('pont run -d --name w2 --network web alpine sleep 300');
  await sb.ok('pont run -d --name other alpine sleep 300');
  await untilListening(sb, 'w1', 80);
  await startUdpEcho(sb, 'w1', 9000);
  if (sb.firewall === 'nftables') {
    t.regex(await askWhoAmI(sb, 'w2', UPLINK.remote, 7000), /^failed/, 'cut off, as pont said');
    t.is(await httpGet(sb, 'internet', `http://${UPLINK.host}:8000/`), '', 'its published port too');
    // what the warning says to run, run as it says it
    await sb.ok(/(iptables -I FORWARD -i pont\+ -j ACCEPT && iptables -I FORWARD -o pont\+ -j ACCEPT)/.exec(create.stderr)![1]);
  }

  t.is(await askWhoAmI(sb, 'w2', UPLINK.remote, 7000), UPLINK.host, 'a container reaches the LAN, masqueraded');
  t.is(await askWhoAmI(sb, 'other', UPLINK.remote, 7000), UPLINK.host, 'so does one on the default bridge');
  t.is(await httpGet(sb, 'internet', `http://${UPLINK.host}:8000/`), IT_WORKS, 'published port from the LAN');
  t.is(await udpAsk(sb, 'internet', UPLINK.host, 9000, 'u1'), 'u1', 'published UDP port from the LAN');
  t.is(await httpGet(sb, '', 'http://127.0.0.1:8000/'), IT_WORKS, 'from 127.0.0.1 on the host');
  t.is(await httpGet(sb, 'w1', `http://${UPLINK.host}:8000/`), IT_WORKS, 'hairpin');
  t.is(await httpGet(sb, 'other', `http://${UPLINK.host}:8000/`), IT_WORKS, 'from a container of another network');
  t.true(await pings(sb, 'w2', '172.18.0.2'), 'containers of one network talk to each other');
  t.is((await sb.ok('iptables -S FORWARD')).split('\n')[0], '-P FORWARD DROP');
  // pont's own isolation still holds: accepting its bridges in FORWARD opened nothing between them
  t.false(await pings(sb, 'other', '172.18.0.2'), 'a container of another network is still kept out');
});

/** Packets a namespace's INPUT chain counted for each counting rule (no target), by its match. */
async function counted(sb: Sandbox, ns: string): Promise<number> {
  const out = await sb.ok(`ip netns exec ${ns} iptables -S INPUT -v`);
  return out
    .split('\n')
    .filter((l) => l.startsWith('-A INPUT'))
    .reduce((sum, l) => sum + Number(/-c (\d+) /.exec(l)?.[1] ?? 0), 0);
}

sandboxTestEachBackend('an --internal network has no way out: not through published ports of other networks (TCP, UDP), not to the LAN (TCP, UDP, ICMP)', async (t, sb) => {
  await addInternet(sb);
  await sb.ok('pont network create --internal closed && pont network create open && pont network create third');
  await sb.ok('pont run -d --name a1 --network closed alpine sleep 300 && pont run -d --name a2 --network closed alpine sleep 300');
  await sb.ok('pont run -d --name pub --network open -p 8000:8000 -p 9000:9000/udp alpine sleep 300');
  await sb.ok('pont run -d --name c3 --network third alpine sleep 300');
  const gw = (await sb.ok(`pont network inspect -f '{{range .IPAM.Config}}{{.Gateway}}{{end}}' closed`)).trim();
  t.regex(await sb.ok('ip -n a1 route'), new RegExp(`^default via ${gw.replace(/\./g, '\\.')} dev eth0`, 'm'), 'a1 has a route out: only the firewall stops it');
  await startWhoAmI(sb, 'pub', 8000);
  await startUdpEcho(sb, 'pub', 9000);
  await startWhoAmI(sb, 'internet', 7000);
  await startUdpEcho(sb, 'internet', 7001);
  await startWhoAmI(sb, 'a2', 7002);
  // counting rules at the receivers: any packet that gets there is seen, answered or not
  await sb.ok('ip netns exec pub iptables -A INPUT -p tcp --dport 8000 && ip netns exec pub iptables -A INPUT -p udp --dport 9000');
  await sb.ok('ip netns exec internet iptables -A INPUT -s 172.16.0.0/12 && ip netns exec internet iptables -A INPUT -p tcp --dport 7000 && ip netns exec internet iptables -A INPUT -p udp --dport 7001 && ip netns exec internet iptables -A INPUT -p icmp');

  for (const host of [gw, UPLINK.host]) {
    t.regex(await askWhoAmI(sb, 'a1', host, 8000), /^failed/, `TCP to ${host}:8000 (published by pub)`);
    t.is(await udpAsk(sb, 'a1', host, 9000, 'leak'), '', `UDP to ${host}:9000 (published by pub)`);
  }
  t.is(await counted(sb, 'pub'), 0, 'not one packet from a1 reached pub');
  t.regex(await askWhoAmI(sb, 'a1', UPLINK.remote, 7000), /^failed/, 'TCP to the LAN');
  t.is(await udpAsk(sb, 'a1', UPLINK.remote, 7001, 'leak'), '', 'UDP to the LAN');
  t.false(await pings(sb, 'a1', UPLINK.remote), 'ICMP to the LAN');
  t.is(await counted(sb, 'internet'), 0, 'not one packet from a1 reached the LAN');

  // inside the internal network all is well
  t.true(await pings(sb, 'a1', '172.18.0.3'));
  t.is(await askWhoAmI(sb, 'a1', '172.18.0.3', 7002), '172.18.0.2');
  // and pub's published ports answer the LAN and a container of another normal network
  t.is(await askWhoAmI(sb, 'internet', UPLINK.host, 8000), UPLINK.remote);
  t.is(await udpAsk(sb, 'internet', UPLINK.host, 9000, 'ok'), 'ok');
  t.not(await askWhoAmI(sb, 'c3', UPLINK.host, 8000), '');
  t.notRegex(await askWhoAmI(sb, 'c3', UPLINK.host, 8000), /^failed/);
  t.is(await udpAsk(sb, 'c3', UPLINK.host, 9000, 'ok3'), 'ok3');
  t.true((await counted(sb, 'pub')) > 0, 'the counting rules do count');
});

sandboxTestEachBackend('an --internal network cannot reach a host service on 0.0.0.0 through any host address; a normal network still does, and inside all works', async (t, sb) => {
  await addInternet(sb);
  await sb.ok('pont network create --internal closed && pont network create open');
  await sb.ok('pont run -d --name a1 --network closed alpine sleep 300 && pont run -d --name a2 --network closed alpine sleep 300');
  await sb.ok('pont run -d --name o1 --network open alpine sleep 300');
  const gwOf = async (n: string) => (await sb.ok(`pont network inspect -f '{{range .IPAM.Config}}{{.Gateway}}{{end}}' ${n}`)).trim();
  const [closedGw, openGw] = [await gwOf('closed'), await gwOf('open')];
  const bridge = bridgeName((await sb.ok('pont network inspect -f "{{.Id}}" closed')).trim());
  // a host proxy or DNS forwarder: TCP and UDP servers on all the host's addresses
  const tcp = `require('net').createServer(s=>{s.on('error',()=>{});s.end(s.remoteAddress.replace('::ffff:','')+'\\n')}).listen(7100,'0.0.0.0')`;
  const udp = `const s=require('dgram').createSocket('udp4');s.on('message',(m,r)=>s.send(m,r.port,r.address));s.bind(7101,'0.0.0.0')`;
  await sb.ok(`setsid node -e "${tcp}" >/dev/null 2>&1 & setsid node -e "${udp}" >/dev/null 2>&1 &`);
  await sb.ok(`for i in $(seq 1 100); do ss -ltn | grep -q ':7100 ' && ss -lun | grep -q ':7101 ' && exit 0; sleep 0.05; done; exit 1`);

  const before = await inputDrops(sb, bridge);
  for (const host of [closedGw, openGw, UPLINK.host]) {
    t.regex(await askWhoAmI(sb, 'a1', host, 7100), /^failed/, `TCP to the host at ${host}`);
    t.is(await udpAsk(sb, 'a1', host, 7101, 'leak'), '', `UDP to the host at ${host}`);
  }
  t.false(await pings(sb, 'a1', openGw), "ICMP to another network's gateway");
  t.true((await inputDrops(sb, bridge)) > before, "pont's input drop is what stopped them");

  // Docker's behaviour for a normal network stays: the host's services answer it
  const o1 = (await sb.ok(`pont inspect -f '{{.NetworkSettings.Networks.open.IPAddress}}' o1`)).trim();
  t.is(await askWhoAmI(sb, 'o1', openGw, 7100), o1);
  t.is(await askWhoAmI(sb, 'o1', UPLINK.host, 7100), o1);
  t.is(await udpAsk(sb, 'o1', openGw, 7101, 'ok'), 'ok');
  // the internal network's own gateway answers pings (as Docker's), its containers reach each
  // other and resolve each other's names (the embedded DNS answers inside their namespaces)
  t.true(await pings(sb, 'a1', closedGw));
  t.true(await pings(sb, 'a1', '172.18.0.3'));
  t.is((await sb.sh('pont exec a1 getent hosts a2')).stdout.trim().split(/\s+/)[0], '172.18.0.3');
  await startWhoAmI(sb, 'a2', 7102);
  t.is(await askWhoAmI(sb, 'a1', '172.18.0.3', 7102), '172.18.0.2');

  // the store implies the input guard: check sees it exactly as iptables-save (or nft list)
  // shows it, and a flush of it (or a lost jump) is named and repaired
  const clean = await sb.pont('system check');
  t.is(clean.exitCode, 0, clean.stdout + clean.stderr);
  const expected = await breakInputGuard(sb, bridge);
  t.regex(await askWhoAmI(sb, 'a1', closedGw, 7100), /^172\.18\.0\.2$/, 'without the input guard the host service is a way out');
  const damaged = await sb.pont('system check');
  t.is(damaged.exitCode, 1);
  for (const line of expected) t.regex(damaged.stdout, line);
  await sb.ok('pont system reload');
  t.is((await sb.pont('system check')).exitCode, 0);
  t.regex(await askWhoAmI(sb, 'a1', closedGw, 7100), /^failed/, 'closed again after reload');
});
