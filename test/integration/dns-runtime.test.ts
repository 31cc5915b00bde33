// Embedded DNS through the real runtime: `pont run` on a user-defined network gets
// `nameserver 127.0.0.11` and names resolve; the default bridge gets the host's resolvers.
// The only upstream is namespace `up` (10.77.0.2), named by the resolv.conf that
// PONT_DNS_UPSTREAM_RESOLV_CONF and PONT_HOST_RESOLV_CONF point at: no query can reach the
// machine's real resolver.
import { sandboxTest } from '../helpers/root-test.js';
import { ROOT, type Sandbox } from '../helpers/sandbox.js';
import { pingOnce } from '../helpers/world.js';

const RESOLV = '/run/dns-test/resolv.conf';
const ENV = { PONT_DNS_UPSTREAM_RESOLV_CONF: RESOLV, PONT_HOST_RESOLV_CONF: RESOLV };

/** The host's resolver: namespace `up` at 10.77.0.2 (log /run/dns-test/upstream.log). */
async function addUpstream(sb: Sandbox, ns = 'up', net = 77): Promise<void> {
  await sb.ok(
    `set -e
mkdir -p /run/dns-test
[ ${ns} != up ] || printf 'nameserver 10.77.0.2\\n' > ${RESOLV}
ip netns add ${ns}; ip -n ${ns} link set lo up
ip link add v${ns} type veth peer name eth0 netns ${ns}
ip addr add 10.${net}.0.1/24 dev v${ns}; ip link set v${ns} up
ip -n ${ns} addr add 10.${net}.0.2/24 dev eth0; ip -n ${ns} link set eth0 up
setsid ip netns exec ${ns} node ${ROOT}/dist/test/dns/upstream-server.js 10.${net}.0.2 > /run/dns-test/${ns === 'up' ? 'upstream' : ns}.log 2>&1 < /dev/null &
for i in $(seq 100); do grep -q READY /run/dns-test/${ns === 'up' ? 'upstream' : ns}.log && exit 0; sleep 0.05; done; exit 1`,
  );
}

const pont = (sb: Sandbox, args: string) => sb.ok(`pont ${args}`, { env: ENV });
const getent = async (sb: Sandbox, ctr: string, name: string) => (await sb.sh(`pont exec ${ctr} getent hosts ${name}`, { env: ENV })).stdout.trim().split(/\s+/)[0] ?? '';

sandboxTest('seed: ping alpine2 from alpine1 on mon-bridge; names, aliases, NAME.NETWORK resolve, scoped to the network', async (t, sb) => {
  await addUpstream(sb);
  await pont(sb, 'network create mon-bridge');
  await pont(sb, 'run -dit --name alpine1 --network mon-bridge alpine');
  await pont(sb, 'run -dit --name alpine2 --network mon-bridge --network-alias web alpine');
  await pont(sb, 'network create other');
  await pont(sb, 'run -d --name stranger --network other alpine sleep 300');

  t.is(await sb.ok('cat /etc/netns/alpine1/resolv.conf'), 'nameserver 127.0.0.11\noptions ndots:0\n');
  t.true((await sb.sh(`pont exec alpine1 ${pingOnce('alpine2')}`, { env: ENV })).exitCode === 0, 'ping alpine2');
  t.is(await getent(sb, 'alpine1', 'alpine2'), '172.18.0.3');
  t.is(await getent(sb, 'alpine1', 'web'), '172.18.0.3');
  t.is(await getent(sb, 'alpine1', 'alpine2.mon-bridge'), '172.18.0.3');
  const id = (await pont(sb, "inspect -f '{{.Id}}' alpine2")).trim().slice(0, 12);
  t.is(await getent(sb, 'alpine1', id), '172.18.0.3');
  const dig = await sb.ok('ip netns exec alpine1 dig +time=3 +tries=2 @127.0.0.11 alpine2', { env: ENV });
  t.regex(dig, /^alpine2\.\s+600\s+IN\s+A\s+172\.18\.0\.3$/m);
  // a container of another network does not resolve
  t.is(await getent(sb, 'alpine1', 'stranger'), '');
  t.regex(await sb.ok('ip netns exec alpine1 dig +time=3 +tries=2 @127.0.0.11 stranger', { env: ENV }), /status: NXDOMAIN/);
  // other names go to the upstream namespace
  t.is(await getent(sb, 'alpine1', 'example.test'), '10.99.0.1');
  t.regex(await sb.ok('cat /run/dns-test/upstream.log'), /example\.test A/);

  await pont(sb, 'network disconnect mon-bridge alpine2');
  t.is(await getent(sb, 'alpine1', 'alpine2'), '', 'after disconnect the name stops resolving');
});

sandboxTest('the resolver survives kill -9 and answers again within 2 s; it stops when no container needs it', async (t, sb) => {
  await addUpstream(sb);
  await pont(sb, 'network create n && pont run -d --name a1 --network n alpine sleep 300 && pont run -d --name a2 --network n alpine sleep 300');
  t.is(await getent(sb, 'a1', 'a2'), '172.18.0.3');
  const supervisor = (await sb.ok('cat /run/pont/dns.pid')).trim();
  const resolver = (await sb.ok(`pgrep -P ${supervisor}`)).trim();
  // timed inside the sandbox, from the kill to the first answer (not counting nsenter's start)
  const r = await sb.ok(
    `s=$(date +%s%N); kill -9 ${resolver}
     for i in $(seq 200); do ip netns exec a1 dig +short +time=1 +tries=1 @127.0.0.11 a2 | grep -q 172.18.0.3 && break; sleep 0.05; done
     echo "ms=$(( ($(date +%s%N) - s) / 1000000 ))"`,
    { env: ENV },
  );
  const ms = Number(/ms=(\d+)/.exec(r)![1]);
  t.true(ms < 2000, `answered again after ${ms} ms`);
  await pont(sb, 'rm -f a1 a2');
  await sb.ok(`for i in $(seq 200); do kill -0 ${supervisor} 2>/dev/null || exit 0; sleep 0.05; done; exit 1`);
  t.false((await sb.sh('test -e /run/pont/dns.pid')).exitCode === 0);
});

sandboxTest('default bridge: the host\'s resolvers, no names of other containers; --dns, --dns-search, --add-host as in Docker', async (t, sb) => {
  await addUpstream(sb);
  await pont(sb, 'run -d --name b1 alpine sleep 300 && pont run -d --name b2 alpine sleep 300');
  t.is(await sb.ok('cat /etc/netns/b1/resolv.conf'), 'nameserver 10.77.0.2\n');
  t.is(await getent(sb, 'b1', 'b2'), '');
  t.false((await sb.sh('test -e /run/pont/dns.pid')).exitCode === 0, 'no resolver for the default bridge');
  await pont(sb, 'run -d --name b3 --dns 10.77.0.2 --dns-search example.test --add-host db:10.1.2.3 alpine sleep 300');
  t.is(await sb.ok('cat /etc/netns/b3/resolv.conf'), 'search example.test\nnameserver 10.77.0.2\n');
  const hosts = await sb.ok('pont exec b3 cat /etc/hosts');
  const id = (await pont(sb, "inspect -f '{{.Id}}' b3")).trim().slice(0, 12);
  t.is(hosts.split('\n').slice(6).join('\n'), `10.1.2.3\tdb\n172.17.0.4\t${id}\n`);
  t.is(await sb.ok('pont exec b3 cat /etc/hostname'), `${id}\n`);
  t.is(await sb.ok('pont exec b3 hostname'), `${id}\n`);
});

sandboxTest('user network: --dns servers become the upstreams of that container\'s forwarded queries, as in Docker', async (t, sb) => {
  await addUpstream(sb);
  await addUpstream(sb, 'up2', 78);
  await pont(sb, 'network create n');
  await pont(sb, 'run -d --name own --network n --dns 10.78.0.2 alpine sleep 300');
  await pont(sb, 'run -d --name plain --network n alpine sleep 300');
  // the container still asks 127.0.0.11; only the resolver knows where to forward
  t.is(await sb.ok('cat /etc/netns/own/resolv.conf'), 'nameserver 127.0.0.11\noptions ndots:0\n');
  t.is(await getent(sb, 'own', 'example.test'), '10.99.0.1');
  t.regex(await sb.ok('cat /run/dns-test/up2.log'), /example\.test A/);
  t.notRegex(await sb.ok('cat /run/dns-test/upstream.log'), /example\.test/, "the host's resolver was not asked");
  t.is(await getent(sb, 'plain', 'example.test'), '10.99.0.1');
  t.regex(await sb.ok('cat /run/dns-test/upstream.log'), /example\.test A/, "without --dns: the host's resolver");
  // container names are still answered by the resolver itself
  t.is(await getent(sb, 'own', 'plain'), '172.18.0.3');

  // only on an --internal network: no way out, not even through DNS (D-dns-internal-no-forward)
  await pont(sb, 'network create --internal sealed');
  await pont(sb, 'run -d --name shut --network sealed alpine sleep 300');
  await pont(sb, 'run -d --name peer --network sealed alpine sleep 300');
  const before = await sb.ok('cat /run/dns-test/upstream.log');
  t.regex(await sb.ok('ip netns exec shut dig +time=3 +tries=2 @127.0.0.11 leak.test', { env: ENV }), /status: SERVFAIL/);
  t.is(await sb.ok('cat /run/dns-test/upstream.log'), before, 'nothing was forwarded');
  t.is(await getent(sb, 'shut', 'peer'), '172.19.0.3');
});
