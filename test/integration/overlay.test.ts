// Overlay networks across hosts (issue 14), in a world of pont hosts sharing one etcd
// (test/helpers/cluster-world.ts): containers on different hosts reach each other by address and
// by name over VXLAN, addresses are unique cluster-wide under concurrent runs, a dead host's
// endpoints leave the others within the lease's ttl, and rm leaves nothing.
import test, { type ExecutionContext } from 'ava';
import { ClusterWorld, worldSkipReason, type WorldHost } from '../helpers/cluster-world.js';

const skip = worldSkipReason();

function worldTest(title: string, fn: (t: ExecutionContext) => Promise<void>): void {
  if (skip) test.skip(`${title} [skipped: ${skip}]`, () => {});
  else test.serial(title, fn);
}

async function pont(h: WorldHost, args: string): Promise<string> {
  const r = await h.pont(args, { timeoutMs: 60_000 });
  if (r.exitCode !== 0) throw new Error(`pont ${args} on ${h.name} failed (${r.exitCode}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A ping from container `from` on host h, retried for up to ~3 s while the other host's agent learns of it. */
async function reaches(h: WorldHost, from: string, to: string): Promise<boolean> {
  return (await h.sh(`for i in $(seq 15); do ip netns exec ${from} ping -c1 -W1 ${to} >/dev/null 2>&1 && exit 0; sleep 0.2; done; exit 1`, { timeoutMs: 30_000 })).exitCode === 0;
}

worldTest('two hosts: containers ping each other by address and by name; VXLAN on UDP 4789; MTU 1450; inspect lists both with their host; rm leaves nothing', async (t) => {
  const world = await ClusterWorld.create({ hosts: 2 });
  t.teardown(() => world.destroy());
  const [h1, h2] = world.hosts;
  const id = (await pont(h1, 'network create -d overlay ov')).trim();
  t.regex(id, /^[0-9a-f]{64}$/);
  // the network is the cluster's: h2 sees it at once, with scope global
  t.regex(await pont(h2, 'network ls --filter name=ov --format "{{.Name}} {{.Driver}} {{.Scope}}"'), /^ov overlay global$/m);
  t.is((await h2.pont('network create -d overlay ov')).stderr.trim(), 'Error response from daemon: network with name ov already exists');

  await pont(h1, 'run -d --name c1 --network ov alpine sleep 600');
  await pont(h2, 'run -d --name c2 --network ov --network-alias db alpine sleep 600');
  const ip1 = (await pont(h1, 'inspect -f "{{.NetworkSettings.Networks.ov.IPAddress}}" c1')).trim();
  const ip2 = (await pont(h2, 'inspect -f "{{.NetworkSettings.Networks.ov.IPAddress}}" c2')).trim();
  t.is(ip1, '10.0.0.2');
  t.is(ip2, '10.0.0.3', 'the next address: taken cluster-wide, not per host');

  t.true(await reaches(h1, 'c1', ip2), 'c1 on h1 reaches c2 on h2 by address');
  t.true(await reaches(h2, 'c2', ip1), 'and back');
  t.true(await reaches(h1, 'c1', 'c2'), 'by name');
  t.true(await reaches(h1, 'c1', 'db'), 'by alias');
  t.true(await reaches(h2, 'c2', 'c1.ov'), 'by name.network');

  // the kernel's view: the VXLAN device, its entries for the remote endpoint, MTU 1450
  const vx = `pont-vx${id.slice(0, 8)}`;
  const details = JSON.parse(await h1.ok(`ip -d -j link show ${vx}`))[0];
  t.is(details.linkinfo.info_kind, 'vxlan');
  t.is(details.linkinfo.info_data.id, 4096);
  t.is(details.linkinfo.info_data.port, 4789);
  t.is(details.linkinfo.info_data.local, '10.99.0.11');
  t.false(details.linkinfo.info_data.learning);
  t.is(details.mtu, 1450);
  t.is(JSON.parse(await h1.ok('ip netns exec c1 ip -j link show eth0'))[0].mtu, 1450);
  const fdb = await h1.ok(`bridge fdb show dev ${vx}`);
  t.regex(fdb, /02:42:0a:00:00:03 dst 10\.99\.0\.12 self permanent/);
  t.regex(fdb, /00:00:00:00:00:00 dst 10\.99\.0\.12 self permanent/);
  t.regex(await h1.ok(`ip neigh show dev ${vx}`), /10\.0\.0\.3 lladdr 02:42:0a:00:00:03 PERMANENT/);

  // VXLAN on the underlay: a capture on the router's side of h2's port sees UDP 4789
  const cap = world.underlay.sh('timeout 5 tcpdump -c 2 -ni ul-h2 udp port 4789 and src host 10.99.0.11 2>/dev/null', { timeoutMs: 10_000 });
  await new Promise((r) => setTimeout(r, 500));
  await h1.sh(`ip netns exec c1 ping -c3 -i 0.2 -W1 ${ip2}`);
  t.regex((await cap).stdout, /10\.99\.0\.11\.\d+ > 10\.99\.0\.12\.4789: VXLAN/);
  // and no IPv6 from the overlay's devices (pont's networks are IPv4): nothing but IPv4 inside
  t.is(await h1.ok(`cat /proc/sys/net/ipv6/conf/${vx}/disable_ipv6 /proc/sys/net/ipv6/conf/pont-${id.slice(0, 10)}/disable_ipv6`), '1\n1\n');

  // inspect on either host lists both endpoints, each with its host
  for (const h of [h1, h2]) {
    const [doc] = JSON.parse(await pont(h, 'network inspect ov'));
    const eps = Object.values(doc.Containers as Record<string, { Name: string; IPv4Address: string; Host: string }>).map((e) => `${e.Name} ${e.IPv4Address} ${e.Host}`).sort();
    t.deepEqual(eps, ['c1 10.0.0.2/24 10.99.0.11', 'c2 10.0.0.3/24 10.99.0.12'], `inspect on ${h.name}`);
    t.is(doc.Scope, 'global');
  }

  // rm refused while any host has endpoints; after the last rm, nothing is left
  t.regex((await h1.pont('network rm ov')).stderr, /has active endpoints/);
  await pont(h2, 'rm -f c2');
  t.regex((await h1.pont('network rm ov')).stderr, /has active endpoints/, "h1's own container still holds it");
  await pont(h1, 'rm -f c1');
  t.is((await h1.sh(`ip link show ${vx}`)).exitCode, 1, "the VXLAN device left with the host's last endpoint");
  await pont(h2, 'network rm ov');
  t.is(await world.underlay.ok('etcdctl --endpoints=10.99.0.254:2379 get --prefix /pont/v1/ --keys-only | grep -v "^$" | grep -v /hosts/ || true'), '', 'no key of the network, its addresses or endpoints is left');
});

worldTest('three hosts: 30 concurrent runs get 30 distinct addresses; TCP, UDP and a UDP multicast group cross hosts; a way out through docker_gwbridge; a killed host leaves the others within the ttl', async (t) => {
  // a short ttl, to see a dead host leave quickly; 30 runs on 2 cores may let a lease lapse
  // before a host's agent is up: the command then takes a new one (cluster/client.ts)
  const world = await ClusterWorld.create({ hosts: 3, ttl: 5 });

  t.teardown(() => world.destroy());
  const [h1, h2, h3] = world.hosts;
  await pont(h1, 'network create -d overlay --subnet 10.77.0.0/24 ov');

  // 30 runs at once, 10 per host: the cluster store's transactions give each its own address
  const runs = world.hosts.flatMap((h, i) => Array.from({ length: 10 }, (_, k) => h.pont(`run -d --name c${i + 1}-${k} --network ov alpine sleep 600`, { timeoutMs: 120_000 })));
  const results = await Promise.all(runs);
  t.deepEqual(results.filter((r) => r.exitCode !== 0).map((r) => r.stderr), [], 'every run succeeded');
  const addresses: string[] = [];
  for (const [i, h] of world.hosts.entries()) {
    const out = await pont(h, `inspect -f "{{.NetworkSettings.Networks.ov.IPAddress}}" ${Array.from({ length: 10 }, (_, k) => `c${i + 1}-${k}`).join(' ')}`);
    addresses.push(...out.trim().split('\n'));
  }
  t.is(addresses.length, 30);
  t.is(new Set(addresses).size, 30, `no address given twice: ${[...addresses].sort().join(' ')}`);
  const claims = await world.underlay.ok('etcdctl --endpoints=10.99.0.254:2379 get --prefix /pont/v1/ipam/ --keys-only | grep -c ipam');
  if (claims.trim() !== '30') for (const h of world.hosts) t.log(h.name, await h.sh('grep -v resolver /run/pont/dns.log | tail -30; cat /var/lib/pont/cluster-lease.json'));
  t.is(claims.trim(), '30', 'the store holds exactly 30 addresses');
  // inspect on any host lists all 30, each with its host
  const [doc] = JSON.parse(await pont(h3, 'network inspect ov'));
  const hosts = Object.values(doc.Containers as Record<string, { Host: string }>).map((e) => e.Host);
  t.deepEqual([hosts.filter((x) => x === '10.99.0.11').length, hosts.filter((x) => x === '10.99.0.12').length, hosts.filter((x) => x === '10.99.0.13').length], [10, 10, 10]);

  // TCP and UDP across hosts, by name
  await h2.ok(`ip netns exec c2-0 setsid node -e "require('net').createServer(s=>s.end('tcp-ok\\n')).listen(7000);const u=require('dgram').createSocket('udp4');u.on('message',(m,r)=>u.send('udp-ok '+m,r.port,r.address));u.bind(7001)" </dev/null >/dev/null 2>&1 &`);
  await h2.ok("for i in $(seq 50); do ip netns exec c2-0 ss -ltn | grep -q ':7000 ' && exit 0; sleep 0.1; done; exit 1");
  t.true(await reaches(h1, 'c1-0', 'c2-0'));
  t.is((await h1.ok('ip netns exec c1-0 busybox nc -w 3 c2-0 7000 </dev/null', { timeoutMs: 10_000 })).trim(), 'tcp-ok', 'TCP by name across hosts');
  const udp = await h3.ok(`ip netns exec c3-0 node -e "const u=require('dgram').createSocket('udp4');u.on('message',m=>{console.log(String(m));process.exit(0)});require('dns').lookup('c2-0',(e,a)=>u.send('hi',7001,a));setTimeout(()=>process.exit(1),3000)"`, { timeoutMs: 10_000 });
  t.is(udp.trim(), 'udp-ok hi', 'UDP across hosts, by name');

  // UDP multicast: one datagram to 239.1.2.3 from h1 reaches a member of the group on h2 and one on h3
  // on the overlay's interface: the default route (and so the default multicast interface) is docker_gwbridge's
  const listen = (h: WorldHost, c: string, ip: string) =>
    h.sh(`ip netns exec ${c} timeout 8 node -e "const s=require('dgram').createSocket({type:'udp4',reuseAddr:true});s.on('message',m=>{console.log(String(m));process.exit(0)});s.bind(5000,()=>s.addMembership('239.1.2.3','${ip}'))"`, { timeoutMs: 15_000 });
  const got = [listen(h2, 'c2-1', addresses[11]), listen(h3, 'c3-1', addresses[21])];
  await new Promise((r) => setTimeout(r, 1500));
  await h1.ok(`ip netns exec c1-1 node -e "const s=require('dgram').createSocket('udp4');s.bind(()=>{s.setMulticastTTL(1);s.setMulticastInterface('${addresses[1]}');let n=0;const f=()=>{s.send('mcast-ok',5000,'239.1.2.3',()=>{if(++n<5)setTimeout(f,200);else s.close()})};f()})"`);
  const [r2, r3] = await Promise.all(got);
  t.is(r2.stdout.trim(), 'mcast-ok', `multicast reached h2 (${r2.stderr})`);
  t.is(r3.stdout.trim(), 'mcast-ok', `multicast reached h3 (${r3.stderr})`);

  // a way out: the default route goes through docker_gwbridge, masqueraded by the host
  t.regex(await h1.ok('ip netns exec c1-0 ip route show default'), /^default via 172\.\d+\.0\.1 dev eth1/);
  t.true(await reaches(h1, 'c1-0', '10.99.0.254'), 'an overlay container reaches the underlay router through its host');

  // kill h3: within the ttl (5 s) its endpoints leave h1's FDB, neighbour table and DNS
  const vx = (await h1.ok("ip -o link show type vxlan | awk -F': ' '{print $2}'")).trim().split('@')[0];
  t.regex(await h1.ok(`bridge fdb show dev ${vx}`), /dst 10\.99\.0\.13/);
  t.true(await reaches(h1, 'c1-0', 'c3-0'));
  const killedAt = Date.now();
  await world.kill(2);
  const gone = await h1.sh(`for i in $(seq 100); do bridge fdb show dev ${vx} | grep -q 'dst 10.99.0.13' || exit 0; sleep 0.1; done; exit 1`, { timeoutMs: 30_000 });
  t.is(gone.exitCode, 0, "h3's FDB entries left h1");
  const took = Date.now() - killedAt;
  t.true(took < 5000 + 3000, `within the ttl and a heartbeat (${took} ms)`);
  t.log(`h3's entries left h1 ${took} ms after it died (ttl 5 s)`);
  const h3Ips = addresses.slice(20);
  const neigh = await h1.ok(`ip neigh show dev ${vx}`);
  t.deepEqual(h3Ips.filter((ip) => neigh.includes(`${ip} `)), [], "h3's addresses left h1's neighbour table");
  t.is((await h1.sh('ip netns exec c1-0 nslookup c3-0 127.0.0.11')).exitCode !== 0, true, "c3-0's name no longer resolves");
  t.true(await reaches(h1, 'c1-0', 'c2-0'), 'h1 and h2 keep working');
  const left = await world.underlay.ok('etcdctl --endpoints=10.99.0.254:2379 get --prefix /pont/v1/endpoints/ --print-value-only | grep -c 10.99.0.13 || true');
  t.is(left.trim(), '0', "h3's endpoints left the store with its lease");
});

worldTest("a host whose lease lapses keeps its addresses: no other host is given one, and its agent comes back with a new lease; a dead host's addresses are freed after two ttls", async (t) => {
  // ttl 9: heartbeats every 3 s, a dead host's addresses freed after 18 s
  const world = await ClusterWorld.create({ hosts: 2, ttl: 9 });
  t.teardown(() => world.destroy());
  const [h1, h2] = world.hosts;
  const etcdctl = (args: string) => world.underlay.ok(`etcdctl --endpoints=10.99.0.254:2379 ${args}`);
  const net = (await pont(h1, 'network create -d overlay --subnet 10.78.0.0/24 ov')).trim();
  await pont(h1, 'run -d --name c1 --network ov alpine sleep 600');
  await pont(h2, 'run -d --name c2 --network ov alpine sleep 600');
  t.true(await reaches(h2, 'c2', 'c1'));
  const claim = `/pont/v1/ipam/${net}/10.78.0.2`;
  const h1Id = (await h1.ok('cat /var/lib/pont/host-id')).trim();
  t.is((await etcdctl(`get ${claim} --print-value-only`)).trim().split('/')[0], h1Id, "c1's address is h1's");
  // an address of h1's that no endpoint of its store holds (a --rm container a reboot forgot): its agent frees it
  const stray = `/pont/v1/ipam/${net}/10.78.0.99`;
  await etcdctl(`put ${stray} ${h1Id}/${'e'.repeat(64)}`);
  const tidied = await world.underlay.sh(`for i in $(seq 100); do [ -z "$(etcdctl --endpoints=10.99.0.254:2379 get ${stray} --keys-only)" ] && exit 0; sleep 0.1; done; exit 1`, { timeoutMs: 30_000 });
  t.is(tidied.exitCode, 0, "h1's agent freed its stray address");

  // the lapse: h1's lease ends as if its agent had missed the ttl; its endpoint and host entry go, its address stays
  const lapsed = JSON.parse(await h1.ok('cat /var/lib/pont/cluster-lease.json')).id as string;
  await etcdctl(`lease revoke ${BigInt(lapsed).toString(16)}`);
  t.is((await etcdctl(`get --prefix /pont/v1/endpoints/${net}/ --print-value-only`)).includes('10.99.0.11'), false, "h1's endpoint left with its lease");
  t.regex(await etcdctl(`get ${claim} --print-value-only`), new RegExp(`^${h1Id}/`), "c1's address is still h1's");
  // meanwhile h2 is not given c1's address, by default or when asked
  await pont(h2, 'run -d --name c3 --network ov alpine sleep 600');
  t.is((await pont(h2, 'inspect -f "{{.NetworkSettings.Networks.ov.IPAddress}}" c3')).trim(), '10.78.0.4');
  const asked = await h2.pont('run -d --name c4 --network ov --ip 10.78.0.2 alpine sleep 600', { timeoutMs: 60_000 });
  t.is(asked.exitCode, 125, asked.stderr);
  t.regex(asked.stderr, /Address already in use/);

  // h1's agent takes a new lease within a heartbeat or two and writes its endpoint again under it
  const back = await h1.sh(`for i in $(seq 100); do f=/var/lib/pont/cluster-lease.json; [ -s $f ] && ! grep -q '"id":"${lapsed}"' $f && exit 0; sleep 0.1; done; exit 1`, { timeoutMs: 30_000 });
  t.is(back.exitCode, 0, 'h1 took a new lease');
  const lease = BigInt(JSON.parse(await h1.ok('cat /var/lib/pont/cluster-lease.json')).id).toString(16);
  const keys = await world.underlay.sh(`for i in $(seq 50); do etcdctl --endpoints=10.99.0.254:2379 lease timetolive --keys ${lease} | grep -q /pont/v1/endpoints/${net}/ && exit 0; sleep 0.2; done; exit 1`, { timeoutMs: 30_000 });
  t.is(keys.exitCode, 0, "h1's endpoint is back, under its new lease");
  t.true(await reaches(h2, 'c2', 'c1'), 'c2 reaches c1 again');
  t.regex(await etcdctl(`get ${claim} --print-value-only`), new RegExp(`^${h1Id}/`), "c1's address stayed h1's throughout");

  // h1 dies: its endpoint goes with its lease; its address within two ttls (and h2's agent's pass)
  await world.kill(0);
  const diedAt = Date.now();
  const freed = await world.underlay.sh(`for i in $(seq 700); do [ -z "$(etcdctl --endpoints=10.99.0.254:2379 get ${claim} --keys-only)" ] && exit 0; sleep 0.1; done; exit 1`, { timeoutMs: 120_000 });
  t.is(freed.exitCode, 0, "h1's address was freed");
  const took = Date.now() - diedAt;
  t.true(took >= 18_000, `not before two ttls passed (${took} ms)`);
  t.log(`h1's address freed ${took} ms after it died (ttl 9 s: expiry, then 18 s of grace)`);
  await pont(h2, 'run -d --name c5 --network ov --ip 10.78.0.2 alpine sleep 600');
  t.true(await reaches(h2, 'c5', 'c2'));
});

/** What a host shows of its network and pont's store, and what the cluster store holds but host leases. */
async function snapshot(world: ClusterWorld, h: WorldHost, opts: { cluster?: boolean } = {}): Promise<string> {
  const host = await h.ok(
    "ip -o link | awk '{print $2}' | sort; echo; ip -4 -o addr | awk '{print $2, $4}' | sort; echo; ip netns list | sort; echo; iptables-save | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//'; echo; cat /var/lib/pont/state.json 2>/dev/null | md5sum",
  );
  if (opts.cluster === false) return host;
  // every key and value but the hosts' entries (a host's lease is not the command's to undo)
  const kvs = (await world.underlay.ok('etcdctl --endpoints=10.99.0.254:2379 get --prefix /pont/v1/')).split('\n');
  const keys = kvs.filter((line, i) => !line.startsWith('/pont/v1/hosts/') && !kvs[i - 1]?.startsWith('/pont/v1/hosts/')).join('\n');
  return `${host}\n${keys}`;
}

worldTest('an overlay run failing or crashing at any step leaves the host and the cluster store as before; an unreachable store changes nothing', async (t) => {
  const world = await ClusterWorld.create({ hosts: 2, ttl: 30 });
  t.teardown(() => world.destroy());
  const [h1, h2] = world.hosts;
  await pont(h1, 'network create -d overlay ov');
  await pont(h1, 'run -d --name c1 --network ov alpine sleep 600');
  await pont(h2, 'system gc'); // pont's base chains and predefined networks, as any first command lays them
  const before = await snapshot(world, h2);
  let steps = 0;
  for (let n = 1; n < 80; n++) {
    const r = await h2.pont('run -d --name c2 --network ov alpine sleep 600', { env: { PONT_FAIL_AT_STEP: String(n) }, timeoutMs: 60_000 });
    if (r.exitCode === 0) {
      steps = n - 1;
      break;
    }
    t.regex(r.stderr, new RegExp(`injected failure at step ${n}`), `failure at step ${n}: ${r.stderr}`);
    t.is(await snapshot(world, h2), before, `a failure at step ${n} left h2 and the store as before`);
  }
  t.true(steps > 15, `an overlay run on a host's first endpoint has its devices, its keys and its container: ${steps} steps`);
  t.true(await reaches(h2, 'c2', 'c1'), 'the run without a fault works');
  await pont(h2, 'rm -f c2');
  await pont(h2, 'network rm docker_gwbridge');
  const withoutStore = (x: string) => x.replace(/[0-9a-f]{32} {2}-/, '(store)');
  // the store keeps what the run taught it (the overlay network's copy, the pool cursor)
  t.is(withoutStore(await snapshot(world, h2)), withoutStore(before), 'rm undid the run');
  const afterRm = await snapshot(world, h2);

  for (let n = 1; n <= steps; n += 3) {
    const r = await h2.pont('run -d --name c2 --network ov alpine sleep 600', { env: { PONT_CRASH_AT_STEP: String(n) }, timeoutMs: 60_000 });
    t.not(r.exitCode, 0, `the crash at step ${n} killed the run`);
    // the next mutating command finishes the crashed one: rolled back, keys of the store included
    const gc = await h2.pont('system gc', { timeoutMs: 60_000 });
    t.regex(gc.stderr, /rolled back|interrupted/, `step ${n}: ${gc.stderr}`);
    t.is(await snapshot(world, h2), afterRm, `a crash at step ${n} was rolled back`);
  }

  // the cluster store gone: an overlay command says so in one line and changes nothing; a bridge one goes on
  const hostBefore = await snapshot(world, h2, { cluster: false });
  await world.underlay.ok('pkill -x etcd; for i in $(seq 50); do pgrep -x etcd >/dev/null || exit 0; sleep 0.1; done; exit 1');
  const down = await h2.pont('run -d --name c3 --network ov alpine sleep 600', { timeoutMs: 60_000 });
  t.not(down.exitCode, 0);
  t.regex(down.stderr, /cannot reach the cluster store \(etcd:\/\/10\.99\.0\.254:2379\)/);
  t.is(await snapshot(world, h2, { cluster: false }), hostBefore, 'nothing changed on h2');
  const bridge = await h2.pont('run -d --name c4 alpine sleep 600', { timeoutMs: 60_000 });
  t.is(bridge.exitCode, 0, `a container on the default bridge runs without the cluster store: ${bridge.stderr}`);
  t.regex(bridge.stderr, /cannot reach the cluster store.*overlay networks as this host last saw them/);
});

worldTest('--dry-run of an overlay run prints the VXLAN device, the etcd writes and the FDB and neighbour lines, and changes nothing; prune leaves overlay networks; no cluster store in the config is one clear line', async (t) => {
  const world = await ClusterWorld.create({ hosts: 2 });
  t.teardown(() => world.destroy());
  const [h1, h2] = world.hosts;
  const id = (await pont(h1, 'network create -d overlay ov')).trim();
  await pont(h2, 'system gc');
  const before = await snapshot(world, h2);
  const dry = await pont(h2, 'run --dry-run -d --name c2 --network ov alpine sleep 60');
  t.regex(dry, new RegExp(`ip link add pont-vx${id.slice(0, 8)} mtu 1450 type vxlan id 4096 local 10\\.99\\.0\\.12 dstport 4789 nolearning proxy`));
  t.regex(dry, new RegExp(`ip link set pont-vx${id.slice(0, 8)} master pont-${id.slice(0, 10)}`));
  t.regex(dry, /etcdctl put \/pont\/v1\/ipam\/[0-9a-f]{64}\/10\.0\.0\.2 /);
  t.regex(dry, /etcdctl put --lease="\$HOST_LEASE" \/pont\/v1\/endpoints\/[0-9a-f]{64}\/[0-9a-f]{64} /);
  t.regex(dry, /bridge fdb append 00:00:00:00:00:00 dev pont-vx/);
  t.regex(dry, /ip neigh replace IP lladdr MAC dev pont-vx/);
  t.is(await snapshot(world, h2), before, 'a dry run changes nothing');
  t.is((await pont(h2, 'network prune -f')).includes('ov'), false, 'prune leaves the cluster\'s network');
  t.regex(await pont(h1, 'network ls --format "{{.Name}}"'), /^ov$/m);
  const info = await pont(h1, 'system info');
  t.regex(info, /Cluster Store: etcd:\/\/10\.99\.0\.254:2379/);
  t.regex(info, /Cluster Advertise: 10\.99\.0\.11/);

  // a host without a cluster store: overlay is one clear line, nothing made
  await h2.ok('echo "{}" > /etc/pont/config.json');
  const r = await h2.pont('network create -d overlay other');
  t.is(r.exitCode, 1);
  t.is(r.stderr.trim().split('\n')[0], 'Error response from daemon: overlay networks need a cluster store: set "cluster-store" and "cluster-advertise" in /etc/pont/config.json (see docs/overlay.md)');
});
