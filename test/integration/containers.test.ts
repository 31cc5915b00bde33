// Containers on networks: the seed articles' scenario end to end, NAT, isolation, cleanup. What
// the firewall decides (NAT, isolation, internal, icc, published ports, cleanup) runs once per
// firewall backend.
import { dnatTargets, endpointGuard, masqueradesSubnet } from '../helpers/firewall.js';
import { sandboxTest, sandboxTestEachBackend } from '../helpers/root-test.js';
import { ROOT } from '../helpers/sandbox.js';
import { addInternet, askWhoAmI, httpGet, pingOnce, pings, startWhoAmI, untilListening, UPLINK } from '../helpers/world.js';

sandboxTestEachBackend('seed walk-through: two containers on mon-bridge, NAT out, isolation, disconnect, rm, reconnect to bridge', async (t, sb) => {
  await addInternet(sb);
  await startWhoAmI(sb, 'internet', 7000);
  await sb.ok('pont network create mon-bridge');
  await sb.ok('pont run -dit --name alpine1 --network mon-bridge alpine');
  await sb.ok('pont run -dit --name alpine2 --network mon-bridge alpine');

  const inspect = JSON.parse(await sb.ok('pont network inspect mon-bridge'))[0];
  const byName = Object.fromEntries(Object.values(inspect.Containers as Record<string, { Name: string }>).map((c) => [c.Name, c]));
  t.like(byName.alpine1, { IPv4Address: '172.18.0.2/16', MacAddress: '02:42:ac:12:00:02' });
  t.like(byName.alpine2, { IPv4Address: '172.18.0.3/16', MacAddress: '02:42:ac:12:00:03' });
  // the kernel agrees: eth0 in the named namespace, with that MAC and address
  const eth0 = JSON.parse(await sb.ok('ip -n alpine1 -j addr show eth0'))[0];
  t.is(eth0.address, '02:42:ac:12:00:02');
  t.is(eth0.addr_info.find((a: { family: string }) => a.family === 'inet').local, '172.18.0.2');
  t.regex(await sb.ok('ip -n alpine1 route'), /^default via 172\.18\.0\.1 dev eth0/m);

  t.true((await sb.sh(`pont exec alpine1 ${pingOnce('172.18.0.3')}`)).exitCode === 0);
  t.true((await sb.sh(`pont exec alpine2 ${pingOnce('172.18.0.2')}`)).exitCode === 0);

  // outside: the internet namespace answers, and sees the host's uplink address (MASQUERADE)
  t.true(await pings(sb, 'alpine1', UPLINK.remote));
  t.is(await askWhoAmI(sb, 'alpine1', UPLINK.remote, 7000), UPLINK.host);

  // a container on another bridge cannot reach alpine1
  await sb.ok('pont network create other && pont run -d --name stranger --network other alpine sleep 300');
  t.false(await pings(sb, 'stranger', '172.18.0.2'));

  const seed = (await sb.ok(`pont inspect -f '{{.Name}} - {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' alpine1 alpine2`)).trim();
  t.is(seed, '/alpine1 - 172.18.0.2\n/alpine2 - 172.18.0.3');

  await sb.ok('pont network disconnect mon-bridge alpine1');
  await sb.ok('pont network disconnect mon-bridge alpine2');
  t.deepEqual(JSON.parse(await sb.ok('ip -n alpine1 -j link')).map((l: { ifname: string }) => l.ifname), ['lo']);
  t.is(await sb.ok('pont network rm mon-bridge'), 'mon-bridge\n');

  await sb.ok('pont network connect bridge alpine1');
  await sb.ok('pont network connect bridge alpine2');
  const ips = (await sb.ok(`pont inspect -f '{{.Name}} - {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' $(pont ps -aq --filter name=alpine)`)).trim().split('\n').sort();
  t.deepEqual(ips, ['/alpine1 - 172.17.0.2', '/alpine2 - 172.17.0.3']);
  t.true((await sb.sh(`pont exec alpine1 ${pingOnce('172.17.0.3')}`)).exitCode === 0);
  // connect after a disconnect takes the next index: eth1 (Docker never reuses one while the container runs)
  t.deepEqual(JSON.parse(await sb.ok('ip -n alpine1 -j link')).map((l: { ifname: string }) => l.ifname), ['lo', 'eth1']);
});

sandboxTest("a container's host end has no IPv6: the host's IPv6 tables do not grow with containers, and traffic still passes", async (t, sb) => {
  await sb.ok('pont network create v4net');
  const routes6 = async () => (await sb.ok('ip -6 route show table all')).split('\n').filter(Boolean).length;
  // one container on each bridge first: a bridge keeps its own link-local address (as docker0 does) once a port gives it carrier
  await sb.ok('pont run -d --name a1 --network v4net alpine sleep 300 && pont run -d --name a0 alpine sleep 300');
  const withOne = await routes6();
  await sb.ok('pont run -d --name a2 --network v4net alpine sleep 300 && pont run -d --name a3 --network v4net alpine sleep 300');
  await sb.ok('pont network connect v4net $(pont run -d --name a4 alpine sleep 300)');
  t.is(await routes6(), withOne, 'three more containers, one of them connected to a second network, add no IPv6 route');
  const br = `pont-${(await sb.ok("pont network inspect -f '{{.Id}}' v4net")).trim().slice(0, 10)}`;
  const ends = (JSON.parse(await sb.ok(`ip -j link show master ${br}`)) as { ifname: string }[]).map((l) => l.ifname);
  t.is(ends.length, 4);
  for (const end of ends) {
    t.is((await sb.ok(`cat /proc/sys/net/ipv6/conf/${end}/disable_ipv6`)).trim(), '1', `${end}: IPv6 disabled`);
    t.is((await sb.ok(`ip -6 addr show dev ${end}`)).trim(), '', `${end}: no IPv6 address`);
  }
  t.true((await sb.sh(`pont exec a1 ${pingOnce('172.18.0.5')}`)).exitCode === 0, 'a1 reaches a4 across the bridge');
  // the equivalent command is shown, and a disconnect then rm leave nothing behind
  t.regex(await sb.ok('pont run --dry-run -d --name a5 --network v4net alpine sleep 300'), /^sysctl -w net\.ipv6\.conf\.\S+\.disable_ipv6=1$/m);
  await sb.ok('pont network disconnect v4net a4 && pont rm -f a0 a1 a2 a3 a4');
  t.deepEqual(JSON.parse(await sb.ok(`ip -j link show master ${br}`)), []);
});

sandboxTestEachBackend('killing the process of a --rm container removes everything; rm -f of a running one too', async (t, sb) => {
  await sb.ok('pont network create n1');
  const before = await sb.snapshot();
  await sb.ok('pont run -d --rm --name k1 --network n1 alpine sleep 300');
  const pid = (await sb.ok(`pont inspect -f '{{.State.Pid}}' k1`)).trim();
  t.regex(pid, /^\d+$/);
  t.true((await sb.ok('ip netns list')).includes('k1'));
  await sb.ok(`kill -9 ${pid}`);
  // gone from `ps`, and its container-exited command done: while it runs, its journal is there
  // (and `ps` shows the container as that command will leave it)
  await sb.ok('for i in $(seq 1 100); do pont ps -a -q --filter name=k1 2>/dev/null | grep -q . || [ -e /var/lib/pont/journal.json ] || exit 0; sleep 0.05; done; exit 1');
  t.is(await sb.snapshot(), before);
  t.false((await sb.ok('ls /etc/netns /run/pont/containers')).includes('k1'));

  await sb.ok('pont run -d --name k2 --network n1 alpine sleep 300');
  const r = await sb.pont('rm k2');
  t.is(r.exitCode, 1);
  t.regex(r.stderr, /^Error response from daemon: You cannot remove a running container [0-9a-f]{64}\. Stop the container before attempting removal or force remove$/m);
  t.is(await sb.ok('pont rm -f k2'), 'k2\n');
  t.is(await sb.snapshot(), before);
});

sandboxTest('a foreground run returns the exit code of its command, and --rm cleans up after it', async (t, sb) => {
  await sb.ok('pont network prune -f'); // lays down the predefined networks and base chains (a read-only command creates nothing)
  const before = await sb.snapshot();
  const r = await sb.pont('run --rm --name fg alpine sh -c "ip -4 -o addr show eth0; exit 3"');
  t.is(r.exitCode, 3);
  t.regex(r.stdout, /eth0\s+inet 172\.17\.0\.2\/16/);
  await sb.ok('for i in $(seq 1 100); do [ -z "$(pont ps -aq)" ] && exit 0; sleep 0.05; done; exit 1');
  t.is(await sb.snapshot(), before);
});

sandboxTest('fifty containers started at once get fifty distinct addresses that all answer ping', async (t, sb) => {
  await sb.ok('pont network create big');
  await sb.ok('for i in $(seq 1 50); do pont run -d --name c$i --network big alpine sleep 600 >/dev/null & done; for p in $(jobs -p); do wait $p || exit 1; done', { timeoutMs: 180_000 });
  const ips = (await sb.ok(`pont network inspect -f '{{range .Containers}}{{.IPv4Address}} {{end}}' big`)).trim().split(' ');
  t.is(ips.length, 50);
  t.is(new Set(ips).size, 50);
  const unanswered = await sb.sh(`fails=0; for ip in ${ips.map((i) => i.split('/')[0]).join(' ')}; do { ping -c 1 -W 1 $ip || ping -c 1 -W 2 $ip; } >/dev/null || fails=$((fails+1)); done; echo $fails`, { timeoutMs: 120_000 });
  t.is(unanswered.stdout.trim(), '0');
});

sandboxTestEachBackend('--internal networks have no way out; enable_icc=false blocks container to container', async (t, sb) => {
  await addInternet(sb);
  await sb.ok('pont network create --internal closed && pont run -d --name in1 --network closed alpine sleep 300 && pont run -d --name in2 --network closed alpine sleep 300');
  t.false(await pings(sb, 'in1', UPLINK.remote));
  t.true(await pings(sb, 'in1', '172.18.0.3'));
  t.false(await masqueradesSubnet(sb, '172.18.0.0/16'));

  await sb.ok('pont network create -o com.docker.network.bridge.enable_icc=false noicc && pont run -d --name q1 --network noicc alpine sleep 300 && pont run -d --name q2 --network noicc alpine sleep 300');
  t.false(await pings(sb, 'q1', '172.19.0.3'));
  t.true(await pings(sb, 'q1', UPLINK.remote));
});

sandboxTestEachBackend('a machine on the LAN cannot route straight to a container (raw-table drop), unlike Docker 20.10', async (t, sb) => {
  await addInternet(sb);
  await sb.ok('pont network create n1 && pont run -d --name web --network n1 alpine sleep 300');
  await sb.ok(`ip -n internet route add 172.18.0.0/16 via ${UPLINK.host}`);
  t.false(await pings(sb, 'internet', '172.18.0.2'));
  t.truthy(await endpointGuard(sb, '172.18.0.2'));
  // the gateway is the host's own address: reached from the LAN as its others are (as with Docker)
  t.true(await pings(sb, 'internet', '172.18.0.1'));
  // so is any address of the host's that the subnet overlaps (a LAN joined later, a VPN): the
  // guard drops nothing addressed to the host itself
  await sb.ok('ip addr add 172.18.250.1/32 dev uplink0');
  t.true(await pings(sb, 'internet', '172.18.250.1'));
  // the host itself still reaches it
  t.true((await sb.sh(pingOnce('172.18.0.2'))).exitCode === 0);
});

// With iptables the firewall of a network is whole from its creation (one raw guard per network,
// isolation, NAT): a container without published ports adds no rule, so its run, connect,
// disconnect and rm start no firewall tool at all; with nftables one batch each (the address's
// guard element). One with a port starts its backend's tool (the spy's control). Each tool on
// PATH is a spy that logs its name, then runs the real one.
sandboxTestEachBackend('a container without published ports starts no firewall tool (iptables; one nft batch with nftables): run, connect, disconnect and rm', async (t, sb) => {
  await sb.ok(`pont network create web >/dev/null && pont network create back >/dev/null
    mkdir -p /run/spy && for tool in iptables-restore iptables-save iptables nft; do
      printf '#!/bin/sh\\necho %s >> /run/spy/calls\\nexec /usr/sbin/%s "$@"\\n' $tool $tool > /run/spy/$tool && chmod +x /run/spy/$tool
    done`);
  const spied = { PATH: `/run/spy:${ROOT}/bin:/usr/sbin:/usr/bin:/sbin:/bin` };
  // iptables-legacy moves no nf_tables generation: there every command reads the rules first
  // (engine/system/seal.ts), and that read is all it may start
  const legacy = !(await sb.ok('iptables -V')).includes('nf_tables');
  const calls = async () => (await sb.sh('cat /run/spy/calls 2>/dev/null; rm -f /run/spy/calls')).stdout.split('\n').filter((c) => c && !(legacy && c === 'iptables-save'));
  for (const cmd of ['run -d --name quiet --network web alpine sleep 300', 'network connect back quiet', 'network disconnect back quiet', 'rm -f quiet']) {
    await sb.ok(`pont ${cmd}`, { env: spied });
    // nftables keeps a guard per address (an element of a set, one `nft -f` batch), iptables one per network
    if (sb.firewall === 'nftables') t.deepEqual(await calls(), ['nft'], `${cmd}: one nft batch, nothing else`);
    else t.deepEqual(await calls(), [], `${cmd}: no firewall tool`);
  }
  // the control: a published port is a rule, so the spy sees its tool
  await sb.ok('pont run -d --name pub --network web -p 127.0.0.1:8080:80 alpine sleep 300', { env: spied });
  t.true((await calls()).some((c) => c === (sb.firewall === 'nftables' ? 'nft' : 'iptables-restore')), 'a published port starts the backend\'s tool');
});

sandboxTest('the default route follows Docker\'s rule across connect and disconnect', async (t, sb) => {
  await sb.ok('pont network create n && pont network create m && pont run -d --name i1 --network n alpine sleep 300');
  t.regex(await sb.ok('ip -n i1 route'), /^default via 172\.18\.0\.1 dev eth0/m);
  await sb.ok('pont network connect m i1'); // "m" sorts before "n": the route moves
  t.regex(await sb.ok('ip -n i1 route'), /^default via 172\.19\.0\.1 dev eth1/m);
  await sb.ok('pont network disconnect m i1');
  t.regex(await sb.ok('ip -n i1 route'), /^default via 172\.18\.0\.1 dev eth0/m);
  await sb.ok('pont network connect m i1');
  t.deepEqual(JSON.parse(await sb.ok('ip -n i1 -j link')).map((l: { ifname: string }) => l.ifname).sort(), ['eth0', 'eth2', 'lo']);
  await sb.ok('pont network disconnect n i1');
  t.regex(await sb.ok('ip -n i1 route'), /^default via 172\.19\.0\.1 dev eth2/m);
});

sandboxTestEachBackend('errors use the reference engine\'s texts, and a failed run leaves nothing behind', async (t, sb) => {
  await sb.ok('pont network create n && pont network create m && pont run -d --name c1 --network n alpine sleep 300 && pont run -d --name z1 --network none alpine sleep 300 && pont run -d --name h1 --network host alpine sleep 300');
  const id = (await sb.ok(`pont inspect -f '{{.Id}}' c1`)).trim();
  const before = await sb.snapshot();
  const cases: [string, number, string][] = [
    ['run -d --name c1 alpine sleep 1', 125, `pont: Error response from daemon: Conflict. The container name "/c1" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.\nSee 'pont run --help'.`],
    // errors found while starting have no help line in Docker; those found at create time do
    ['run -d --name c9 --network nosuch alpine sleep 1', 125, 'pont: Error response from daemon: network nosuch not found.'],
    ['run -d --name c --network n alpine', 125, "pont: Error response from daemon: Invalid container name (c), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed.\nSee 'pont run --help'."],
    ['run -d --name c8 --network n --ip 10.9.9.9 alpine', 125, 'pont: Error response from daemon: user specified IP address is supported only when connecting to networks with user configured subnets.'],
    ['run -d --name c8 --ip 172.17.0.9 --network bridge alpine', 125, 'pont: Error response from daemon: user specified IP address is supported on user defined networks only.'],
    ['run -d --name c8 --network n --ip notanip alpine', 125, "pont: Error response from daemon: invalid IPv4 address: notanip.\nSee 'pont run --help'."],
    // a leading zero (inet_aton would read 010 as octal 8): refused as Go's net.ParseIP refuses it
    ['run -d --name c8 --network n --ip 172.18.0.09 alpine', 125, "pont: Error response from daemon: invalid IPv4 address: 172.18.0.09.\nSee 'pont run --help'."],
    ['network connect --ip 172.19.0.09 m c1', 1, 'Error response from daemon: user specified IP address is supported only when connecting to networks with user configured subnets'],
    // the seed's funkwhale line: an image pont does not have, refused before anything is made
    ['run --name funky_conteneur -p 80:80 funkwhale/all-in-one:1.2.9', 125, "pont: Error response from daemon: No such image: funkwhale/all-in-one:1.2.9 (pont has no images: alpine, busybox, debian, ubuntu, nginx, httpd stand for their default command, anything else must be a command of this host).\nSee 'pont run --help'."],
    ['network connect n c1', 1, 'Error response from daemon: endpoint with name c1 already exists in network n'],
    ['network disconnect m c1', 1, `Error response from daemon: container ${id} is not connected to network m`],
    ['network connect n z1', 1, 'Error response from daemon: container cannot be connected to multiple networks with one of the networks in private (none) mode'],
    ['network connect n h1', 1, 'Error response from daemon: container sharing network namespace with another container or host cannot be connected to any other network'],
    ['network connect none c1', 1, 'Error response from daemon: container cannot be connected to multiple networks with one of the networks in private (none) mode'],
    ['network connect host c1', 1, 'Error response from daemon: container cannot be disconnected from host network or connected to host network'],
    ['network connect n nosuchctr', 1, 'Error response from daemon: No such container: nosuchctr'],
    ['network connect nosuchnet c1', 1, 'Error response from daemon: network nosuchnet not found'],
    ['network rm n', 1, 'Error response from daemon: error while removing network: network n id '],
    ['rm c1', 1, `Error response from daemon: You cannot remove a running container ${id}. Stop the container before attempting removal or force remove`],
  ];
  for (const [args, code, text] of cases) {
    const r = await sb.pont(args);
    t.is(r.exitCode, code, args);
    t.true(r.stderr.trim().startsWith(text), `${args}: ${r.stderr}`);
  }
  t.is(await sb.snapshot(), before);
  await sb.ok('pont network create --subnet 10.50.0.0/24 sub');
  const ok = await sb.pont('run -d --name s1 --network sub --ip 10.50.0.50 alpine sleep 300');
  t.is(ok.exitCode, 0);
  const taken = await sb.pont('run -d --name s2 --network sub --ip 10.50.0.50 alpine sleep 300');
  t.is(taken.stderr.trim(), 'pont: Error response from daemon: Address already in use.');
  const outside = await sb.pont('run -d --name s2 --network sub --ip 10.60.0.5 alpine sleep 300');
  t.is(outside.stderr.trim(), "pont: Error response from daemon: Invalid address 10.60.0.5: It does not belong to any of this network's subnets.");
  // without --network, --ip is ignored, as Docker ignores it
  t.is((await sb.pont('run -d --name s3 --ip 172.17.0.77 alpine sleep 300')).exitCode, 0);
  t.false((await sb.ok('ip netns list')).includes('s2'));
});

sandboxTestEachBackend('start and restart: a stopped container comes back with its address, its names and its published ports', async (t, sb) => {
  await addInternet(sb);
  await sb.ok('pont network create n && pont run -d --name web --network n -p 8002:80 nginx && pont run -d --name peer --network n alpine sleep 600');
  const ip = (await sb.ok("pont inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' web")).trim();
  const pid1 = (await sb.ok("pont inspect -f '{{.State.Pid}}' web")).trim();
  await sb.ok('pont stop -t 1 web');
  t.is((await sb.ok("pont inspect -f '{{.State.Status}}' web")).trim(), 'exited');
  t.deepEqual(await dnatTargets(sb), [], 'stopped: nothing published');
  t.false(await pings(sb, 'peer', ip), 'stopped: off its network, as in Docker');
  t.regex(await sb.ok('ip -n web -br link show eth0'), /^eth0@\S+\s+DOWN/);
  // connected to one more network while stopped: nothing comes up before start
  await sb.ok('pont network create m');
  await sb.ok('pont network connect m web');
  t.regex(await sb.ok('ip -n web -br link show eth1'), /^eth1@\S+\s+DOWN/);

  t.is(await sb.ok('pont start web'), 'web\n');
  t.is((await sb.ok("pont inspect -f '{{.State.Status}} {{.NetworkSettings.Networks.n.IPAddress}}' web")).trim(), `running ${ip}`);
  t.not((await sb.ok("pont inspect -f '{{.State.Pid}}' web")).trim(), pid1);
  t.true(await pings(sb, 'peer', ip), 'reachable at the same address');
  t.regex(await sb.ok('ip -n web route show default'), /^default via 172\.1[89]\.0\.1 dev eth[01]/m, 'the default route is back');
  t.regex(await sb.ok('ip -n web -br link show eth1'), /^eth1@\S+\s+UP/);
  t.is((await sb.sh('pont exec peer getent hosts web')).stdout.trim().split(/\s+/)[0], ip, 'its name resolves again');
  await untilListening(sb, 'web', 80);
  t.regex(await httpGet(sb, 'internet', `http://${UPLINK.host}:8002/`), /It works!/, 'its port is published again');
  t.is(await sb.ok('pont port web'), '80/tcp -> 0.0.0.0:8002\n');
  t.is(await sb.ok('pont start web'), 'web\n', 'starting a running container changes nothing');

  const pid2 = (await sb.ok("pont inspect -f '{{.State.Pid}}' web")).trim();
  t.is(await sb.ok('pont container restart -t 1 web'), 'web\n');
  t.not((await sb.ok("pont inspect -f '{{.State.Pid}}' web")).trim(), pid2);
  t.true(await pings(sb, 'peer', ip));
  t.deepEqual(await dnatTargets(sb), [`tcp 8002 -> ${ip}:80`], 'one DNAT, not two');

  const missing = await sb.pont('start nope web');
  t.is(missing.exitCode, 1);
  t.is(missing.stdout, 'web\n');
  t.is(missing.stderr, 'Error response from daemon: No such container: nope\nError: failed to start containers: nope\n');
});
