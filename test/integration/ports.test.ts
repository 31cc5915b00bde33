// Published ports with kernel DNAT only: from outside, from the host on its address and on
// 127.0.0.1, and from the container itself (hairpin); UDP; -P; conflicts; cleanup. Each test runs
// once per firewall backend: iptables DNAT rules, or nftables map elements.
import { FORWARDING_WARNING, NFT_FORWARDING_WARNING } from '../../src/engine/forwarding.js';
import { dnatTargets, firewallState } from '../helpers/firewall.js';
import { sandboxTestEachBackend } from '../helpers/root-test.js';
import { addInternet, askWhoAmI, httpGet, startUdpEcho, startWhoAmI, udpAsk, UPLINK } from '../helpers/world.js';

const IT_WORKS = '<html><body><h1>It works!</h1></body></html>\n';

async function waitHttp(sb: Parameters<typeof httpGet>[0], ns: string, url: string) {
  await sb.ok(`for i in $(seq 1 100); do ${ns ? `ip netns exec ${ns} ` : ''}curl -s --max-time 1 ${url} >/dev/null && exit 0; sleep 0.05; done; exit 1`);
}

sandboxTestEachBackend('-p 8000:80 answers from outside, from the host address, from 127.0.0.1 and from the container itself', async (t, sb) => {
  await addInternet(sb);
  await sb.ok('pont network create web');
  const before = await firewallState(sb);
  await sb.ok('pont run -d --name w1 --network web -p 8000:80 nginx');
  await waitHttp(sb, 'w1', 'http://127.0.0.1:80/');
  t.is(await httpGet(sb, 'internet', `http://${UPLINK.host}:8000/`), IT_WORKS, 'from outside');
  t.is(await httpGet(sb, '', `http://${UPLINK.host}:8000/`), IT_WORKS, 'from the host, on its own address');
  t.is(await httpGet(sb, '', 'http://127.0.0.1:8000/'), IT_WORKS, 'from the host, on 127.0.0.1');
  t.is(await httpGet(sb, 'w1', `http://${UPLINK.host}:8000/`), IT_WORKS, 'hairpin: the container through its own published port');
  // a container on another network reaches it through the host too
  await sb.ok('pont run -d --name other alpine sleep 300');
  t.is(await httpGet(sb, 'other', `http://${UPLINK.host}:8000/`), IT_WORKS, 'from a container of another network');

  t.is(await sb.ok('pont port w1'), '80/tcp -> 0.0.0.0:8000\n');
  t.regex(await sb.ok('pont ps --format "{{.Names}} {{.Ports}}"'), /^w1 0\.0\.0\.0:8000->80\/tcp$/m);
  const doc = JSON.parse(await sb.ok('pont inspect w1'))[0];
  t.deepEqual(doc.HostConfig.PortBindings, { '80/tcp': [{ HostIp: '', HostPort: '8000' }] });
  t.deepEqual(doc.NetworkSettings.Ports, { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8000' }] });
  // no proxy process: nothing listens on 8000 on the host
  t.false((await sb.ok('ss -ltn')).includes(':8000 '));

  await sb.ok('pont rm -f w1 other');
  t.is(await firewallState(sb), before, 'every rule is gone with the container');
});

sandboxTestEachBackend('-p 127.0.0.1:8001:80 answers on loopback only', async (t, sb) => {
  await addInternet(sb);
  await sb.ok('pont run -d --name lo1 -p 127.0.0.1:8001:80 nginx');
  await waitHttp(sb, 'lo1', 'http://127.0.0.1:80/');
  t.is(await httpGet(sb, '', 'http://127.0.0.1:8001/'), IT_WORKS);
  t.is(await httpGet(sb, '', `http://${UPLINK.host}:8001/`), '');
  t.is(await httpGet(sb, 'internet', `http://${UPLINK.host}:8001/`), '');
  t.deepEqual(await dnatTargets(sb), ['127.0.0.1 tcp 8001 -> 172.17.0.2:80']);
});

sandboxTestEachBackend('a UDP echo published with /udp answers from outside', async (t, sb) => {
  await addInternet(sb);
  await sb.ok('pont run -d --name u1 -p 9000:9000/udp alpine sleep 300');
  await startUdpEcho(sb, 'u1', 9000);
  t.is(await udpAsk(sb, 'internet', UPLINK.host, 9000, 'hello'), 'hello');
  t.is(await sb.ok('pont port u1 9000/udp'), '0.0.0.0:9000\n');
});

sandboxTestEachBackend('-P maps every exposed port to the first free ephemeral ports, and they answer', async (t, sb) => {
  await sb.ok('pont run -d --name pa -P --expose 81 --expose 9001/udp nginx');
  const ports = (await sb.ok('pont port pa')).trim().split('\n').sort();
  // one ephemeral sequence per protocol, as Docker's port allocator keeps them
  t.deepEqual(ports, ['80/tcp -> 0.0.0.0:32768', '81/tcp -> 0.0.0.0:32769', '9001/udp -> 0.0.0.0:32768']);
  await waitHttp(sb, 'pa', 'http://127.0.0.1:80/');
  t.is(await httpGet(sb, '', 'http://127.0.0.1:32768/'), IT_WORKS);
  await startUdpEcho(sb, 'pa', 9001);
  t.is(await udpAsk(sb, '', '127.0.0.1', 32768, 'ping'), 'ping');
});

sandboxTestEachBackend('a port taken by pont or by a host process is refused with Docker\'s text, leaving nothing', async (t, sb) => {
  await sb.ok('pont run -d --name a1 -p 8000:80 nginx');
  const before = await sb.snapshot();
  const r = await sb.pont('run -d --name a2 -p 8000:80 nginx');
  t.is(r.exitCode, 125);
  t.regex(r.stderr.trim(), /^pont: Error response from daemon: driver failed programming external connectivity on endpoint a2 \([0-9a-f]{64}\): Bind for 0\.0\.0\.0:8000 failed: port is already allocated\.$/);
  await sb.ok(`setsid node -e "require('net').createServer().listen(8080)" >/dev/null 2>&1 & for i in $(seq 1 100); do ss -ltn | grep -q ':8080 ' && exit 0; sleep 0.05; done; exit 1`);
  const before2 = await sb.snapshot();
  const h = await sb.pont('run -d --name a3 -p 8080:80 nginx');
  t.is(h.exitCode, 125);
  t.regex(h.stderr, /Bind for 0\.0\.0\.0:8080 failed: port is already allocated/);
  t.is(await sb.snapshot(), before2);
  t.not(before, '');
  const bad = await sb.pont('run -d --name a4 -p 8000:abc nginx');
  t.is(bad.stderr.trim(), "pont: Invalid containerPort: abc.\nSee 'pont run --help'.");
});

sandboxTestEachBackend('host network: -p is discarded with Docker\'s warning; none: ignored', async (t, sb) => {
  const r = await sb.pont('run -d --name hh --network host -p 8000:80 alpine sleep 300');
  t.is(r.exitCode, 0);
  // (the sandbox's first mutating command lays down the default bridge and turns forwarding on)
  t.is(r.stderr, `WARNING: Published ports are discarded when using host network mode\n${sb.firewall === 'iptables' ? FORWARDING_WARNING : NFT_FORWARDING_WARNING}\n`);
  await sb.ok('pont run -d --name zz --network none -p 8001:80 alpine sleep 300');
  t.deepEqual(await dnatTargets(sb), []);
});

sandboxTestEachBackend('a stopped container publishes nothing: its rules go and its host port is free for another, as in Docker', async (t, sb) => {
  await addInternet(sb);
  await sb.ok('pont network create web');
  const before = await firewallState(sb);
  await sb.ok('pont run -d --name s1 --network web -p 8000:80 nginx');
  t.deepEqual(await dnatTargets(sb), ['tcp 8000 -> 172.18.0.2:80']);
  await sb.ok('pont stop -t 1 s1');
  t.deepEqual(await dnatTargets(sb), [], 'no DNAT for a stopped container');
  t.is(await sb.ok('pont port s1'), '');
  const doc = JSON.parse(await sb.ok('pont inspect s1'))[0];
  t.deepEqual(doc.HostConfig.PortBindings, { '80/tcp': [{ HostIp: '', HostPort: '8000' }] }, 'the request is kept');
  t.deepEqual(doc.NetworkSettings.Ports, {});
  // the host port can be published again, and answers from the new container
  await sb.ok('pont run -d --name s2 --network web -p 8000:80 nginx');
  await waitHttp(sb, 's2', 'http://127.0.0.1:80/');
  t.is(await httpGet(sb, 'internet', `http://${UPLINK.host}:8000/`), IT_WORKS);
  // a process that ends by itself releases its ports too
  await sb.ok('pont run -d --name s3 --network web -p 8001:80 alpine sleep 1');
  await sb.ok('for i in $(seq 100); do [ "$(pont inspect -f \'{{.State.Running}}\' s3)" = false ] && exit 0; sleep 0.1; done; exit 1');
  t.false((await dnatTargets(sb)).some((d) => d.includes(' 8001 ')));
  await sb.ok('pont rm -f s1 s2 s3');
  t.is(await firewallState(sb), before, 'every rule is gone with the containers');
});

// Issue 13: 10,000 ports, published as ranges over four containers, go in within seconds (a
// single firewall batch per command: iptables 3 rules a port, nftables an element of a map),
// each is forwarded to its container, the last of them answers from outside, and removing the
// containers restores everything exactly. (Timed in bench/firewall.ts, never here.)
sandboxTestEachBackend('10,000 ports published as ranges over four containers: each forwarded, the last answers from outside, rm -f restores all exactly', async (t, sb) => {
  await addInternet(sb);
  await sb.ok('pont network prune -f'); // lays down the predefined networks (read-only commands change nothing)
  const before = await sb.snapshot({ store: false });
  const ranges = [[20000, 22499], [22500, 24999], [25000, 27499], [27500, 29999]];
  for (const [i, [from, to]] of ranges.entries()) await sb.ok(`pont run -d --name p${i} -p ${from}-${to}:${from}-${to} alpine sleep 3600`, { timeoutMs: 300_000 });
  const expected: string[] = [];
  for (const [i, [from, to]] of ranges.entries()) {
    const ip = (await sb.ok(`pont inspect -f '{{.NetworkSettings.IPAddress}}' p${i}`)).trim();
    for (let port = from; port <= to; port++) expected.push(`tcp ${port} -> ${ip}:${port}`);
    t.is((await sb.ok(`pont port p${i}`)).trimEnd().split('\n').length, to - from + 1, `p${i} lists its ${to - from + 1} ports`);
  }
  t.deepEqual(await dnatTargets(sb), expected.sort(), 'one forward per port, to its own container');
  await startWhoAmI(sb, 'p3', 29999);
  t.is(await askWhoAmI(sb, 'internet', UPLINK.host, 29999), UPLINK.remote, 'the last port answers from outside, the caller seen as it is');
  await sb.ok("pkill -f 'listen[(]29999'"); // the server this test started, not the container's own process
  await sb.ok('pont rm -f p0 p1 p2 p3', { timeoutMs: 300_000 });
  t.is(await sb.snapshot({ store: false }), before, 'links, routes, namespaces, iptables and pont\'s table as before');
});
