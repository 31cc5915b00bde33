// Embedded DNS through the real runtime: `pont run` on a user-defined network gets
// `nameserver 127.0.0.11` and names resolve; the default bridge gets the host's resolvers.
// The only upstream is namespace `up` (10.77.0.2), named by the resolv.conf bind-mounted over
// the sandbox's /etc/resolv.conf: no query can reach the machine's real resolver.
import { STORE_VERSION } from '../../src/core/state-schema.js';
import { bindResolvConf } from '../helpers/resolv-conf.js';
import { sandboxTest } from '../helpers/root-test.js';
import { ROOT, type Sandbox } from '../helpers/sandbox.js';
import { pingOnce } from '../helpers/world.js';

const RESOLV = '/run/dns-test/resolv.conf';

/** The host's resolver: namespace `up` at 10.77.0.2 (log /run/dns-test/upstream.log). */
async function addUpstream(sb: Sandbox, ns = 'up', net = 77): Promise<void> {
  await sb.ok(
    `set -e
mkdir -p /run/dns-test
if [ ${ns} = up ]; then printf 'nameserver 10.77.0.2\\n' > ${RESOLV}; ${bindResolvConf(RESOLV)}
fi
ip netns add ${ns}; ip -n ${ns} link set lo up
ip link add v${ns} type veth peer name eth0 netns ${ns}
ip addr add 10.${net}.0.1/24 dev v${ns}; ip link set v${ns} up
ip -n ${ns} addr add 10.${net}.0.2/24 dev eth0; ip -n ${ns} link set eth0 up
setsid ip netns exec ${ns} node ${ROOT}/dist/test/dns/upstream-server.js 10.${net}.0.2 > /run/dns-test/${ns === 'up' ? 'upstream' : ns}.log 2>&1 < /dev/null &
for i in $(seq 100); do grep -q READY /run/dns-test/${ns === 'up' ? 'upstream' : ns}.log && exit 0; sleep 0.05; done; exit 1`,
  );
}

const pont = (sb: Sandbox, args: string) => sb.ok(`pont ${args}`);
const getent = async (sb: Sandbox, ctr: string, name: string) => (await sb.sh(`pont exec ${ctr} getent hosts ${name}`)).stdout.trim().split(/\s+/)[0] ?? '';

sandboxTest('seed: ping alpine2 from alpine1 on mon-bridge; names, aliases, NAME.NETWORK resolve, scoped to the network', async (t, sb) => {
  await addUpstream(sb);
  await pont(sb, 'network create mon-bridge');
  await pont(sb, 'run -dit --name alpine1 --network mon-bridge alpine');
  await pont(sb, 'run -dit --name alpine2 --network mon-bridge --network-alias web alpine');
  await pont(sb, 'network create other');
  await pont(sb, 'run -d --name stranger --network other alpine sleep 300');

  t.is(await sb.ok('cat /etc/netns/alpine1/resolv.conf'), 'nameserver 127.0.0.11\noptions ndots:0\n');
  t.true((await sb.sh(`pont exec alpine1 ${pingOnce('alpine2')}`)).exitCode === 0, 'ping alpine2');
  t.is(await getent(sb, 'alpine1', 'alpine2'), '172.18.0.3');
  t.is(await getent(sb, 'alpine1', 'web'), '172.18.0.3');
  t.is(await getent(sb, 'alpine1', 'alpine2.mon-bridge'), '172.18.0.3');
  const id = (await pont(sb, "inspect -f '{{.Id}}' alpine2")).trim().slice(0, 12);
  t.is(await getent(sb, 'alpine1', id), '172.18.0.3');
  const dig = await sb.ok('ip netns exec alpine1 dig +time=3 +tries=2 @127.0.0.11 alpine2');
  t.regex(dig, /^alpine2\.\s+600\s+IN\s+A\s+172\.18\.0\.3$/m);
  // a container of another network does not resolve
  t.is(await getent(sb, 'alpine1', 'stranger'), '');
  t.regex(await sb.ok('ip netns exec alpine1 dig +time=3 +tries=2 @127.0.0.11 stranger'), /status: NXDOMAIN/);
  // other names go to the upstream namespace
  t.is(await getent(sb, 'alpine1', 'example.test'), '10.99.0.1');
  t.regex(await sb.ok('cat /run/dns-test/upstream.log'), /example\.test A/);

  await pont(sb, 'network disconnect mon-bridge alpine2');
  t.is(await getent(sb, 'alpine1', 'alpine2'), '', 'after disconnect the name stops resolving');
});

/** The supervisor (from its pid file) and its resolver child. */
async function dnsProcesses(sb: Sandbox): Promise<{ supervisor: number; resolver: number }> {
  const supervisor = Number((await sb.ok('cut -d: -f1 /run/pont/dns.pid')).trim());
  const resolver = Number((await sb.ok(`for i in $(seq 100); do pgrep -P ${supervisor} && exit 0; sleep 0.05; done; exit 1`)).trim());
  return { supervisor, resolver };
}

/**
 * kill -9 `victim`, then the ms (timed inside the sandbox) until the old resolver `oldResolver`
 * is gone (dead or a zombie: its sockets closed) and a1 resolves a2 again. No pont command runs.
 */
async function outageAfterKill(sb: Sandbox, victim: number, oldResolver: number): Promise<number> {
  const r = await sb.ok(
    `gone() { [ ! -e /proc/$1 ] || grep -q '^State:[[:space:]]*[ZX]' /proc/$1/status; }
     s=$(date +%s%N); kill -9 ${victim}
     for i in $(seq 400); do
       gone ${oldResolver} && ip netns exec a1 dig +short +time=1 +tries=1 @127.0.0.11 a2 | grep -q 172.18.0.3 && break; sleep 0.02
     done
     echo "ms=$(( ($(date +%s%N) - s) / 1000000 ))"`,
  );
  return Number(/ms=(\d+)/.exec(r)![1]);
}

sandboxTest('DNS is back within 2 s after kill -9 of the resolver, of its supervisor, then of the new resolver, with no pont command; it stops with the last user-defined network', async (t, sb) => {
  await addUpstream(sb);
  await pont(sb, 'network create n && pont run -d --name a1 --network n alpine sleep 300 && pont run -d --name a2 --network n alpine sleep 300');
  t.is(await getent(sb, 'a1', 'a2'), '172.18.0.3');
  const first = await dnsProcesses(sb);

  const ms1 = await outageAfterKill(sb, first.resolver, first.resolver);
  t.true(ms1 < 2000, `kill -9 resolver: answered again after ${ms1} ms`);
  const second = await dnsProcesses(sb);
  t.is(second.supervisor, first.supervisor, 'the supervisor restarted its resolver');
  t.not(second.resolver, first.resolver);

  // the supervisor: its resolver sees it die, starts a new supervisor and hands its sockets over
  const ms2 = await outageAfterKill(sb, second.supervisor, second.resolver);
  t.true(ms2 < 2000, `kill -9 supervisor: answered again after ${ms2} ms`);
  const third = await dnsProcesses(sb);
  t.not(third.supervisor, second.supervisor, 'a new supervisor holds the pid file');
  t.regex(await sb.ok(`tr '\\0' ' ' < /proc/${third.supervisor}/cmdline`), /dns\/main\.js --supervise/);
  t.is((await sb.ok(`pgrep -fc -- 'dns/main[.]js --supervise'`)).trim(), '1', 'one supervisor');
  t.is((await sb.ok(`pgrep -fc -- 'dns/main[.]js$'`)).trim(), '1', 'one resolver');

  // and the new supervisor supervises: its resolver killed in turn comes back too
  const ms3 = await outageAfterKill(sb, third.resolver, third.resolver);
  t.true(ms3 < 2000, `kill -9 the new resolver: answered again after ${ms3} ms`);
  t.log(`answered again after ${ms1}, ${ms2}, ${ms3} ms`);

  await pont(sb, 'rm -f a1 a2');
  t.is((await sb.ok(`pgrep -fc -- 'dns/main[.]js --supervise'`)).trim(), '1', 'the network is left: the resolver stays for the next run');
  // the last user-defined network gone, it stops
  await pont(sb, 'network prune -f');
  await sb.ok(`for i in $(seq 200); do kill -0 ${third.supervisor} 2>/dev/null || exit 0; sleep 0.05; done; exit 1`);
  t.false((await sb.sh('test -e /run/pont/dns.pid')).exitCode === 0);
  t.is((await sb.sh(`pgrep -f -- 'dns/main[.]js'`)).stdout, '', 'no DNS process left');
});

sandboxTest('a supervisor an older pont started (its pid file names no store layout, or another) makes way, with its resolver, for this pont\'s at the next run; names resolve', async (t, sb) => {
  await addUpstream(sb);
  await pont(sb, 'network create n && pont run -d --name a1 --network n alpine sleep 300');
  const older = await dnsProcesses(sb);
  t.regex(await sb.ok('cat /run/pont/dns.pid'), new RegExp(`^${older.supervisor}:\\d+ ${STORE_VERSION}\\n$`));
  // what a pont of store version 1 wrote; the code is this pont's, the layout it claims is not
  await sb.ok("sed -i 's/ .*//' /run/pont/dns.pid");
  await pont(sb, 'run -d --name a2 --network n alpine sleep 300');
  const now = await dnsProcesses(sb);
  t.not(now.supervisor, older.supervisor, 'a new supervisor');
  for (const pid of [older.supervisor, older.resolver]) t.is((await sb.sh(`test -e /proc/${pid}`)).exitCode, 1, `${pid} is gone`);
  t.is((await sb.ok(`pgrep -fc -- 'dns/main[.]js --supervise'`)).trim(), '1', 'one supervisor');
  t.is(await getent(sb, 'a2', 'a1'), '172.18.0.2');
  t.is(await getent(sb, 'a1', 'a2'), '172.18.0.3');
  // one of a later layout than this pont's is replaced alike: it would read what this pont writes wrongly
  await sb.ok(`sed -i 's/ .*/ ${STORE_VERSION + 1}/' /run/pont/dns.pid`);
  await pont(sb, 'run -d --name a3 --network n alpine sleep 300');
  t.not((await dnsProcesses(sb)).supervisor, now.supervisor);
  t.is(await getent(sb, 'a3', 'a2'), '172.18.0.3');
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
  t.regex(await sb.ok('ip netns exec shut dig +time=3 +tries=2 @127.0.0.11 leak.test'), /status: SERVFAIL/);
  t.is(await sb.ok('cat /run/dns-test/upstream.log'), before, 'nothing was forwarded');
  t.is(await getent(sb, 'shut', 'peer'), '172.19.0.3');
});
