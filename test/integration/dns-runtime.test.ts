// Embedded DNS through the real runtime: `pont run` on a user-defined network gets
// `nameserver 127.0.0.11` and names resolve; the default bridge gets the host's resolvers.
// The only upstream is namespace `up` (10.77.0.2), named by the resolv.conf that
// PONT_DNS_UPSTREAM_RESOLV_CONF and PONT_HOST_RESOLV_CONF point at: no query can reach the
// machine's real resolver.
import { sandboxTest } from '../helpers/root-test.js';
import { ROOT, type Sandbox } from '../helpers/sandbox.js';

const RESOLV = '/run/dns-test/resolv.conf';
const ENV = { PONT_DNS_UPSTREAM_RESOLV_CONF: RESOLV, PONT_HOST_RESOLV_CONF: RESOLV };

async function addUpstream(sb: Sandbox): Promise<void> {
  await sb.ok(
    `set -e
mkdir -p /run/dns-test
printf 'nameserver 10.77.0.2\\n' > ${RESOLV}
ip netns add up; ip -n up link set lo up
ip link add vup type veth peer name eth0 netns up
ip addr add 10.77.0.1/24 dev vup; ip link set vup up
ip -n up addr add 10.77.0.2/24 dev eth0; ip -n up link set eth0 up
setsid ip netns exec up node ${ROOT}/dist/test/dns/upstream-server.js 10.77.0.2 > /run/dns-test/upstream.log 2>&1 < /dev/null &
for i in $(seq 100); do grep -q READY /run/dns-test/upstream.log && exit 0; sleep 0.05; done; exit 1`,
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
  t.true((await sb.sh('pont exec alpine1 ping -c 1 -W 1 alpine2', { env: ENV })).exitCode === 0, 'ping alpine2');
  t.is(await getent(sb, 'alpine1', 'alpine2'), '172.18.0.3');
  t.is(await getent(sb, 'alpine1', 'web'), '172.18.0.3');
  t.is(await getent(sb, 'alpine1', 'alpine2.mon-bridge'), '172.18.0.3');
  const id = (await pont(sb, "inspect -f '{{.Id}}' alpine2")).trim().slice(0, 12);
  t.is(await getent(sb, 'alpine1', id), '172.18.0.3');
  const dig = await sb.ok('ip netns exec alpine1 dig +time=1 +tries=1 @127.0.0.11 alpine2', { env: ENV });
  t.regex(dig, /^alpine2\.\s+600\s+IN\s+A\s+172\.18\.0\.3$/m);
  // a container of another network does not resolve
  t.is(await getent(sb, 'alpine1', 'stranger'), '');
  t.regex(await sb.ok('ip netns exec alpine1 dig +time=1 +tries=1 @127.0.0.11 stranger', { env: ENV }), /status: NXDOMAIN/);
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
  await sb.ok(`kill -9 ${resolver}`);
  const t0 = Date.now();
  await sb.ok('for i in $(seq 40); do ip netns exec a1 dig +short +time=1 +tries=1 @127.0.0.11 a2 | grep -q 172.18.0.3 && exit 0; sleep 0.05; done; exit 1', { env: ENV });
  t.true(Date.now() - t0 < 2000, `answered again after ${Date.now() - t0} ms`);
  await pont(sb, 'rm -f a1 a2');
  await sb.ok(`for i in $(seq 60); do kill -0 ${supervisor} 2>/dev/null || exit 0; sleep 0.05; done; exit 1`);
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
