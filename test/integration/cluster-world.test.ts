// The multi-host world the overlay's tests run in (test/helpers/cluster-world.ts): hosts reach
// each other and etcd over the underlay, each has its own state, a killed host takes all its
// processes and its network namespace with it, and destroy leaves nothing on the real host;
// scripts/overlay-world.sh builds the same world for the demo.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { ClusterWorld, worldSkipReason } from '../helpers/cluster-world.js';
import { PONT, ROOT } from '../helpers/sandbox.js';

const ETCDCTL = 'etcdctl --endpoints=10.99.0.254:2379';

const skip = worldSkipReason();

/** The processes whose pid namespace is `pidNs` (a readlink of /proc/PID/ns/pid), as the real host sees them. */
function processesIn(pidNs: string): { pid: number; comm: string }[] {
  const found: { pid: number; comm: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/ns/pid`) === pidNs) found.push({ pid: Number(entry), comm: readFileSync(`/proc/${entry}/comm`, 'utf8').trim() });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Field 22 of /proc/PID/stat (its start time, in clock ticks since boot), or null when there is no such process. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** What the real host shows of namespaces and links (read only). */
const realHost = () => execFileSync('sh', ['-c', "ip netns list; echo; ip -o link | awk '{print $2}' | sort"], { encoding: 'utf8' });

function worldTest(title: string, fn: (t: ExecutionContext) => Promise<void>): void {
  if (skip) test.skip(`${title} [skipped: ${skip}]`, () => {});
  else test.serial(title, fn);
}

worldTest('3 hosts reach each other and etcd, keep their own state, a killed host takes its processes along, destroy leaves nothing', async (t) => {
  const before = realHost();
  const started = Date.now();
  const world = await ClusterWorld.create({ hosts: 3 });
  t.log(`3-host world up in ${Date.now() - started} ms`);
  let destroyed = false;
  t.teardown(() => (destroyed ? undefined : world.destroy()));
  const [h1, h2, h3] = world.hosts;
  t.deepEqual(
    world.hosts.map((h) => [h.name, h.address]),
    [['h1', '10.99.0.11'], ['h2', '10.99.0.12'], ['h3', '10.99.0.13']],
  );
  t.is(world.etcd, 'etcd://10.99.0.254:2379');

  // the underlay: each host is a veth port of ul0, eth0 at 1500 with the router as its gateway
  t.is(await world.underlay.ok("ip -o link show master ul0 | awk '{print $2}' | cut -d@ -f1 | sort"), 'ul-h1\nul-h2\nul-h3\n');
  t.is(await h2.ok("ip -o -4 addr show dev eth0 | awk '{print $4}'"), '10.99.0.12/24\n');
  t.is(JSON.parse(await h2.ok('ip -j link show eth0'))[0].mtu, 1500);
  t.is(await h2.ok('ip route show default'), 'default via 10.99.0.254 dev eth0 \n');
  t.is(await h1.ok('command -v pont'), `${PONT}\n`, "the repository's pont is on PATH");

  const pings = world.hosts.flatMap((from) => [...world.hosts.filter((to) => to !== from).map((to) => to.address), '10.99.0.254'].map(async (to) => `${from.name}→${to} ${(await from.sh(`ping -c1 -W1 ${to}`)).exitCode}`));
  t.deepEqual(
    await Promise.all(pings),
    ['h1→10.99.0.12 0', 'h1→10.99.0.13 0', 'h1→10.99.0.254 0', 'h2→10.99.0.11 0', 'h2→10.99.0.13 0', 'h2→10.99.0.254 0', 'h3→10.99.0.11 0', 'h3→10.99.0.12 0', 'h3→10.99.0.254 0'],
    'every host answers every other, and the router',
  );

  // one etcd for all: what one host writes, the others read
  for (const h of world.hosts) await h.ok(`${ETCDCTL} put /world/${h.name} from-${h.name}`);
  for (const h of world.hosts) t.is(await h.ok(`${ETCDCTL} get --prefix /world/ --print-value-only`), 'from-h1\nfrom-h2\nfrom-h3\n', `${h.name} reads every host's key`);
  t.is(await world.underlay.ok(`${ETCDCTL} get /world/h2 --print-value-only`), 'from-h2\n');

  // each host's own config, state and namespaces
  t.deepEqual(JSON.parse(await h2.ok('cat /etc/pont/config.json')), {
    'cluster-store': 'etcd://10.99.0.254:2379',
    'cluster-advertise': '10.99.0.12',
    'cluster-store-opts': { 'discovery.ttl': '10' },
  });
  await h1.ok('echo h1 > /var/lib/pont/marker && ip netns add probe && touch /run/pont/marker');
  t.is((await h2.sh('test -e /var/lib/pont/marker')).exitCode, 1, "h1's /var/lib/pont is not h2's");
  t.is((await world.underlay.sh('test -e /var/lib/pont/marker')).exitCode, 1, "nor the underlay's");
  t.is((await h3.sh('test -e /run/pont/marker')).exitCode, 1, "h1's /run is not h3's");
  t.is(await h1.ok('ip netns list'), 'probe\n');
  t.is(await h2.ok('ip netns list'), '', "h1's /run/netns is its own");
  t.is(await world.underlay.ok('ip netns list'), '', 'the hosts were not made with ip netns add');

  // kill h2: its init dies, and every process of its pid namespace with it
  const h2PidNs = readlinkSync(`/proc/${h2.pid}/ns/pid`);
  t.not(h2PidNs, readlinkSync(`/proc/${world.underlay.pid}/ns/pid`));
  await h2.ok('setsid sleep 1000 </dev/null >/dev/null 2>&1 &');
  // a namespace bind-mounted in h2's /run/netns, as pont makes a container's, with a veth to the
  // underlay as a witness: the veth goes when that namespace is dismantled
  await h2.ok('ip netns add c1');
  const h2InUnderlay = /^NSpid:\s+\d+\s+(\d+)/m.exec(readFileSync(`/proc/${h2.pid}/status`, 'utf8'))![1];
  await world.underlay.ok(`ip link add witness type veth peer name w0 netns /proc/${h2InUnderlay}/root/run/netns/c1`);
  t.true(processesIn(h2PidNs).some((p) => p.comm === 'sleep'), 'the sleep runs in h2');
  const pidNamespaces = [world.underlay, ...world.hosts].map((h) => readlinkSync(`/proc/${h.pid}/ns/pid`));
  await world.kill(1);
  t.deepEqual(processesIn(h2PidNs), [], 'nothing of h2 runs any more');
  t.is(await world.underlay.ok('for i in $(seq 50); do ip link show witness >/dev/null 2>&1 || exit 0; sleep 0.1; done; echo still there'), '', "the namespace h2 made with ip netns add is gone too");
  t.is(await world.underlay.ok("ip -o link show master ul0 | awk '{print $2}' | cut -d@ -f1 | sort"), 'ul-h1\nul-h3\n', "h2's veth left ul0");
  t.is(JSON.parse(await world.underlay.ok('ip -j link show ul0'))[0].address, '02:99:00:00:00:fe', "the router's MAC did not leave with h2's port");
  await t.throwsAsync(h2.sh('true'), { message: /host h2 was killed/ });
  for (const h of [h1, h3]) t.is(await h.ok(`${ETCDCTL} put /world/after after >/dev/null && ${ETCDCTL} get /world/after --print-value-only`), 'after\n', `${h.name} still reaches etcd`);
  t.is((await h1.sh('ping -c1 -W1 10.99.0.13')).exitCode, 0, 'h1 still reaches h3');

  await world.destroy();
  destroyed = true;
  for (const ns of pidNamespaces) t.deepEqual(processesIn(ns), [], `no process left in pid namespace ${ns}`);
  t.is(realHost(), before, "the real host's namespaces and links are as before");
});

worldTest('a host config names the firewall backend and the ttl given; the world takes 2 to 5 hosts', async (t) => {
  await t.throwsAsync(ClusterWorld.create({ hosts: 1 }), { message: 'a cluster world has 2 to 5 hosts, not 1' });
  await t.throwsAsync(ClusterWorld.create({ hosts: 6 }), { message: 'a cluster world has 2 to 5 hosts, not 6' });
  const world = await ClusterWorld.create({ hosts: 2, firewall: 'nftables', ttl: 30 });
  t.teardown(() => world.destroy());
  t.deepEqual(JSON.parse(await world.host(1).ok('cat /etc/pont/config.json')), {
    'cluster-store': 'etcd://10.99.0.254:2379',
    'cluster-advertise': '10.99.0.12',
    'cluster-store-opts': { 'discovery.ttl': '30' },
    'firewall-backend': 'nftables',
  });
  t.throws(() => world.host(2), { message: 'the world has hosts 0..1, not 2' });
});

worldTest('scripts/overlay-world.sh builds the same world, enters its hosts, and --down leaves nothing', async (t) => {
  const before = realHost();
  const dir = mkdtempSync(`${tmpdir()}/overlay-world-`);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const script = (...args: string[]) => execa(`${ROOT}/scripts/overlay-world.sh`, args, { env: { PONT_WORLD_DIR: `${dir}/state` }, reject: false, timeout: 60_000 });
  const up = await script('--hosts', '2', '--ttl', '15');
  t.teardown(() => script('--down').then(() => undefined));
  t.is(up.exitCode, 0, up.stderr);
  t.regex(up.stdout, /^ {2}h2 +10\.99\.0\.12 +nsenter --target \d+ --net --mount --pid -- env PATH=\S+\/bin:\$PATH bash$/m);
  const members = readFileSync(`${dir}/state/world`, 'utf8').trim().split('\n').map((l) => l.split(' '));
  t.deepEqual(members.map(([name, , , address]) => [name, address]), [['underlay', '10.99.0.254'], ['h1', '10.99.0.11'], ['h2', '10.99.0.12']]);

  const h1 = await script('--enter', 'h1', 'sh', '-c', `ping -c1 -W1 10.99.0.12 >/dev/null && ${ETCDCTL} put k from-h1 >/dev/null && cat /etc/pont/config.json && command -v pont`);
  t.is(h1.exitCode, 0, h1.stderr);
  t.deepEqual(JSON.parse(h1.stdout.split('\n')[0]), { 'cluster-store': 'etcd://10.99.0.254:2379', 'cluster-advertise': '10.99.0.11', 'cluster-store-opts': { 'discovery.ttl': '15' } });
  t.regex(h1.stdout, /\/bin\/pont$/);
  t.is((await script('--enter', 'h2', 'sh', '-c', `${ETCDCTL} get k --print-value-only`)).stdout, 'from-h1', 'h2 reads what h1 wrote');
  t.regex((await script()).stderr, /a world is already running/);

  // the world's processes by pid and start time: once they are gone, a namespace made later (another
  // test's) may be given one of the world's namespace numbers
  const world = members.flatMap(([, , ns]) => processesIn(ns)).map((p) => ({ ...p, start: startTime(p.pid) }));
  t.true(world.length >= 3, 'the inits of the underlay and of both hosts, at least');
  const down = await script('--down');
  t.is(down.stdout, 'overlay-world: down');
  t.deepEqual(world.filter((p) => p.start !== null && startTime(p.pid) === p.start), [], 'no process of the world left');
  t.is(realHost(), before, "the real host's namespaces and links are as before");
  t.regex((await script('--enter', 'h1', 'true')).stderr, /no h1 in a running world/);
});
