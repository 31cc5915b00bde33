// The embedded resolver on the real kernel, each test in its own throwaway host sandbox.
// The world (test/dns/fixtures.ts world()): namespaces c1..c5 wired like the store says,
//
//   br1 10.88.0.0/24 ── c1 .2   c2 .3 (alias db)   c4 .4        "net1"
//   br2 10.89.0.0/24 ── c3 .2   c2 .3              c4 .4        "net2"
//   c5: default bridge only (no resolver)
//   up  10.77.0.2 ── the only upstream (test/dns/upstream-server.ts), named by the resolv.conf
//                    bind-mounted over the sandbox's /etc/resolv.conf.
import type { ExecutionContext } from 'ava';
import type { State } from '../../src/core/model.js';
import { STORE_VERSION } from '../../src/core/state-schema.js';
import { container, world } from '../dns/fixtures.js';
import { bindResolvConf } from '../helpers/resolv-conf.js';
import { sandboxTest } from '../helpers/root-test.js';
import { ROOT, type Sandbox } from '../helpers/sandbox.js';

const RESOLV = '/run/dns-test/resolv.conf';
const MAIN = `${ROOT}/dist/src/dns/main.js`;
const INDEX = `${ROOT}/dist/src/dns/index.js`;

const WORLD = `
set -e
mkdir -p /run/dns-test
printf 'nameserver 10.77.0.2\\n' > ${RESOLV}
${bindResolvConf(RESOLV)}
for br in br1:10.88.0.1 br2:10.89.0.1; do
  ip link add \${br%%:*} type bridge; ip addr add \${br#*:}/24 dev \${br%%:*}; ip link set \${br%%:*} up
done
mk() { ip netns add $1; ip -n $1 link set lo up; mkdir -p /etc/netns/$1; printf 'nameserver 127.0.0.11\\noptions ndots:0\\n' > /etc/netns/$1/resolv.conf; }
attach() { ip link add v$1$4 type veth peer name $4 netns $1; ip link set v$1$4 master $2 up; ip -n $1 addr add $3/24 dev $4; ip -n $1 link set $4 up; }
for ns in c1 c2 c3 c4 c5 c6; do mk $ns; done
attach c1 br1 10.88.0.2 eth0
attach c2 br1 10.88.0.3 eth0; attach c2 br2 10.89.0.3 eth1
attach c3 br2 10.89.0.2 eth0
attach c4 br1 10.88.0.4 eth0; attach c4 br2 10.89.0.4 eth1
ip netns add up; ip -n up link set lo up
ip link add vup type veth peer name eth0 netns up
ip addr add 10.77.0.1/24 dev vup; ip link set vup up
ip -n up addr add 10.77.0.2/24 dev eth0; ip -n up link set eth0 up
setsid ip netns exec up node ${ROOT}/dist/test/dns/upstream-server.js 10.77.0.2 > /run/dns-test/upstream.log 2>&1 < /dev/null &
for i in $(seq 100); do grep -q READY /run/dns-test/upstream.log && exit 0; sleep 0.05; done
echo "upstream did not start: $(cat /run/dns-test/upstream.log)" >&2; exit 1
`;

const stateWrite = (st: State) => ({
  cmd: 'cat > /var/lib/pont/state.json.tmp && mv /var/lib/pont/state.json.tmp /var/lib/pont/state.json',
  input: JSON.stringify(st),
});

/**
 * What a pont command does after its rename: it notes the file as its own (store.ts identity),
 * and the resolver, which waits for that note before reading a changed file, reads it then.
 * A file nobody notes (the other writes here) is read after the resolver's few retries.
 */
const NOTE = `mkdir -p /run/pont && f=/var/lib/pont/state.json && printf '${STORE_VERSION} %s %s %s %s' "$(stat -c %d:%i $f)" "$(stat -c %s $f)" "$(stat -c %.9Y $f | tr -d .)" "$(stat -c %.9Z $f | tr -d .)" > /run/pont/state.checked`;

async function writeState(sb: Sandbox, st: State): Promise<void> {
  const w = stateWrite(st);
  await sb.ok(w.cmd, { input: w.input });
}

/** Waits (bounded) until 127.0.0.11:53 is bound in `ns`, per the namespace's own socket table. */
const waitServed = (ns: string, present = true) =>
  `for i in $(seq 60); do ip netns exec ${ns} ss -Hlun | grep -q '127.0.0.11:53 ' ${present ? '&&' : '||'} exit 0; sleep 0.05; done; exit 1`;

async function setup(sb: Sandbox, st: State = world().state): Promise<void> {
  await sb.ok(WORLD);
  await writeState(sb, st);
}

async function startResolver(sb: Sandbox): Promise<void> {
  await sb.ok(`setsid node ${MAIN} >> /run/dns-test/resolver.log 2>&1 < /dev/null &`);
  await sb.ok(waitServed('c1'));
}

// two tries of 3 s: one lost datagram on a loaded machine must not read as a wrong answer
const dig = (sb: Sandbox, ns: string, args: string) => sb.sh(`ip netns exec ${ns} dig +time=3 +tries=2 @127.0.0.11 ${args}`);

async function addrs(sb: Sandbox, ns: string, name: string, extra = ''): Promise<string[]> {
  const r = await dig(sb, ns, `+short ${extra} ${name}`);
  return r.stdout.trim().split('\n').filter(Boolean).sort();
}

async function status(sb: Sandbox, ns: string, args: string): Promise<string> {
  const r = await dig(sb, ns, args);
  return /status: ([A-Z]+)/.exec(r.stdout)?.[1] ?? `no answer: ${r.stdout}${r.stderr}`;
}

async function log(t: ExecutionContext, sb: Sandbox): Promise<void> {
  t.log((await sb.sh('tail -n 30 /run/dns-test/resolver.log /run/pont/dns.log 2>/dev/null')).stdout);
}

sandboxTest('dns: container name, alias, NAME.NETWORK and 12-hex id resolve; another network does not', async (t, sb) => {
  await setup(sb);
  await startResolver(sb);
  t.deepEqual(await addrs(sb, 'c1', 'c2'), ['10.88.0.3']);
  t.deepEqual(await addrs(sb, 'c1', 'db'), ['10.88.0.3']);
  t.deepEqual(await addrs(sb, 'c1', 'c2.net1'), ['10.88.0.3']);
  t.deepEqual(await addrs(sb, 'c1', 'C2.NET1.'), ['10.88.0.3']);
  t.deepEqual(await addrs(sb, 'c1', '000000000002'), ['10.88.0.3'], 'first 12 hex of the id');
  t.deepEqual(await addrs(sb, 'c3', 'c2'), ['10.89.0.3'], 'the address on the network asker and target share');
  t.deepEqual(await addrs(sb, 'c4', 'c2'), ['10.88.0.3', '10.89.0.3'], 'every shared network');
  t.is(await status(sb, 'c1', 'c3'), 'NXDOMAIN', 'c3 is on net2 only');
  t.is(await status(sb, 'c1', 'c2.net2'), 'NXDOMAIN');
  t.is(await status(sb, 'c1', 'c5'), 'NXDOMAIN', 'default-bridge containers have no name');
  t.regex((await dig(sb, 'c1', 'c2')).stdout, /c2\.\s+600\s+IN\s+A\s+10\.88\.0\.3/);
  const aaaa = (await dig(sb, 'c1', 'AAAA c2')).stdout;
  t.regex(aaaa, /status: NOERROR/);
  t.regex(aaaa, /ANSWER: 0,/);
  t.deepEqual(await addrs(sb, 'c1', '10.88.0.3', '-x'), ['c2.net1.']);
  // the C library's resolver, through /etc/netns/c1/resolv.conf as `ip netns exec` mounts it
  t.regex(await sb.ok('ip netns exec c1 getent hosts c2'), /^10\.88\.0\.3\s+c2\n$/);
  t.regex(await sb.ok('ip netns exec c1 getent hosts db.net1'), /^10\.88\.0\.3\s+db\.net1\n$/);
  t.is((await sb.sh('ip netns exec c1 getent hosts c3')).exitCode, 2);
  // NXDOMAIN came from the upstream: unknown names are forwarded, as Docker does
  t.regex(await sb.ok('cat /run/dns-test/upstream.log'), /udp c3 A/);
});

sandboxTest('dns: the sockets live in the container namespaces, not the host one; none for default-bridge containers', async (t, sb) => {
  await setup(sb);
  await startResolver(sb);
  for (const ns of ['c1', 'c2', 'c3', 'c4']) {
    t.regex(await sb.ok(`ip netns exec ${ns} ss -Hlun`), /127\.0\.0\.11:53\s/, `udp in ${ns}`);
    t.regex(await sb.ok(`ip netns exec ${ns} ss -Hltn`), /127\.0\.0\.11:53\s/, `tcp in ${ns}`);
  }
  t.notRegex(await sb.ok('ip netns exec c5 ss -Hluan'), /:53\s/);
  t.notRegex(await sb.ok('ss -Hluan; ss -Hltan'), /127\.0\.0\.11/, 'nothing listens in the host namespace');
  // and they answer over both transports
  t.deepEqual(await addrs(sb, 'c2', 'c4', '+tcp'), ['10.88.0.4', '10.89.0.4']);

  // a namespace whose loopback is still down is not bound (the kernel would take 127.0.0.11 for
  // a broadcast address there and answer from 127.0.0.1); once lo is up it is served at once
  const w = world();
  const withC7 = structuredClone(w.state);
  withC7.containers.push(container('c7', 7, [{ net: w.net1, ip: '10.88.0.7' }]));
  await sb.ok('ip netns add c7');
  await writeState(sb, withC7);
  await sb.ok('sleep 0.3');
  t.notRegex(await sb.ok('ip netns exec c7 ss -Hluan'), /:53\s/);
  await sb.ok('ip -n c7 link set lo up');
  await sb.ok(waitServed('c7'));
  t.deepEqual(await addrs(sb, 'c7', 'c2'), ['10.88.0.3']);
});

sandboxTest('dns: answers follow the store without restart (detach, new container, removed container)', async (t, sb) => {
  const w = world();
  await setup(sb, w.state);
  await startResolver(sb);
  t.deepEqual(await addrs(sb, 'c1', 'c2'), ['10.88.0.3']);

  // detach c2 from net1: the very next query (same shell, right after the rename and the note,
  // as a pont command writes) no longer finds it
  const detached = structuredClone(w.state);
  const c2 = detached.containers.find((c) => c.name === 'c2')!;
  c2.endpoints = c2.endpoints.filter((e) => e.networkId !== w.net1.id);
  const write = stateWrite(detached);
  const r = await sb.sh(`${write.cmd} && ${NOTE} && ip netns exec c1 dig +time=1 +tries=1 @127.0.0.11 c2`, { input: write.input });
  t.regex(r.stdout, /status: NXDOMAIN/);
  t.deepEqual(await addrs(sb, 'c3', 'c2'), ['10.89.0.3'], 'still on net2');

  // a new container gets a resolver; a removed one loses its own
  const grown = structuredClone(detached);
  grown.containers.push(container('c6', 6, [{ net: w.net1, ip: '10.88.0.6' }]));
  grown.containers = grown.containers.filter((c) => c.name !== 'c3');
  await writeState(sb, grown);
  await sb.ok(waitServed('c6'));
  await sb.ok(waitServed('c3', false));
  t.deepEqual(await addrs(sb, 'c6', 'c1'), ['10.88.0.2']);
  t.deepEqual(await addrs(sb, 'c1', 'c6'), ['10.88.0.6']);
  t.is(await status(sb, 'c4', 'c3'), 'NXDOMAIN');

  // a namespace deleted and re-made under the same name (store unchanged): the old sockets are
  // let go at once (they would keep the dead namespace alive) and new ones opened in the new one
  await sb.ok(`ip netns del c4 && for i in $(seq 20); do grep -q 'closed c4' /run/dns-test/resolver.log && exit 0; sleep 0.05; done; exit 1`);
  await sb.ok('ip netns add c4 && ip -n c4 link set lo up');
  await sb.ok(waitServed('c4'));
  t.deepEqual(await addrs(sb, 'c4', 'c1'), ['10.88.0.2']);
  await log(t, sb);
});

sandboxTest('dns: other names go to the upstream namespace over UDP and TCP; a silent upstream gives SERVFAIL after the 2 s timeout', async (t, sb) => {
  await setup(sb);
  await startResolver(sb);
  t.deepEqual(await addrs(sb, 'c1', 'example.test'), ['10.99.0.1']);
  t.deepEqual(await addrs(sb, 'c1', 'example.test', '+tcp'), ['10.99.0.1']);
  t.regex(await sb.ok('ip netns exec c1 getent hosts example.test'), /^10\.99\.0\.1\s+example\.test\n$/);
  t.is(await status(sb, 'c1', 'MX c2'), 'NXDOMAIN', 'other types of container names are forwarded too');
  const up = await sb.ok('cat /run/dns-test/upstream.log');
  t.regex(up, /udp example\.test A/);
  t.regex(up, /tcp example\.test A/);
  t.regex(up, /udp c2 MX/);

  for (const transport of ['', '+tcp']) {
    const r = await sb.sh(`s=$(date +%s%N); ip netns exec c1 dig ${transport} +time=4 +tries=1 @127.0.0.11 silent.test; echo "ms=$(( ($(date +%s%N) - s) / 1000000 ))"`);
    t.regex(r.stdout, /status: SERVFAIL/, `SERVFAIL ${transport || 'udp'}`);
    const ms = Number(/ms=(\d+)/.exec(r.stdout)![1]);
    // the upstream timeout is 2 s; the upper bound leaves room for a loaded machine
    t.true(ms >= 1500 && ms < 6000, `SERVFAIL ${transport || 'udp'} after ${ms} ms`);
  }
  // the upstream list follows the resolv.conf: with no nameserver left, SERVFAIL at once
  await sb.ok(`printf '# emptied\\n' > ${RESOLV}`);
  // the resolver re-reads resolv.conf every 500 ms: poll rather than sleep
  await sb.ok(`for i in $(seq 50); do ip netns exec c1 dig +time=1 +tries=1 @127.0.0.11 example.test | grep -q 'status: SERVFAIL' && exit 0; sleep 0.1; done; exit 1`);
  t.is(await status(sb, 'c1', 'example.test'), 'SERVFAIL');
  t.deepEqual(await addrs(sb, 'c1', 'c2'), ['10.88.0.3'], 'container names need no upstream');
});

sandboxTest('dns: the supervisor starts once, survives kill -9 of the resolver, and stops when no user-defined network is left', async (t, sb) => {
  const w = world();
  await setup(sb, w.state);
  const ensure = `node -e "import('${INDEX}').then(async (m) => console.log(await m.ensureDnsRunning({ waitForNetns: 'c1' })))"`;
  const stop = `node -e "import('${INDEX}').then((m) => console.log(m.stopDnsIfUnused()))"`;
  // two racing callers start one supervisor
  t.is((await sb.ok(`${ensure} & ${ensure}; wait`)).trim(), 'true\ntrue');
  const sup = Number((await sb.ok('cut -d: -f1 /run/pont/dns.pid')).trim());
  // the caller that lost the race may still be on its way out
  await sb.sh(`for i in $(seq 100); do [ "$(pgrep -fc -- 'dns/main[.]js --supervise')" = 1 ] && exit 0; sleep 0.05; done`);
  t.is((await sb.ok(`pgrep -fc -- 'dns/main[.]js --supervise'`)).trim(), '1');
  t.regex(await sb.ok(`tr '\\0' ' ' < /proc/${sup}/cmdline`), /dns\/main\.js --supervise/);
  t.deepEqual(await addrs(sb, 'c1', 'c2'), ['10.88.0.3']);
  t.is((await sb.ok(stop)).trim(), 'false', 'still needed: left running');

  // kill -9 the resolver child: the supervisor brings a new one up and the next query answers within 2 s
  const child = Number((await sb.ok(`pgrep -P ${sup}`)).trim());
  const r = await sb.sh(
    `s=$(date +%s%N); kill -9 ${child}; sleep 0.02
     until [ "$(ip netns exec c1 dig +short +time=1 +tries=1 @127.0.0.11 c2)" = 10.88.0.3 ]; do
       [ $(( ($(date +%s%N) - s) / 1000000 )) -gt 5000 ] && break; sleep 0.02; done
     echo "ms=$(( ($(date +%s%N) - s) / 1000000 ))"`,
  );
  const ms = Number(/ms=(\d+)/.exec(r.stdout)![1]);
  t.log(`answered again ${ms} ms after kill -9`);
  t.true(ms < 2000, `answered again ${ms} ms after kill -9`);
  const child2 = Number((await sb.ok(`pgrep -P ${sup}`)).trim());
  t.not(child2, child);
  t.regex(await sb.ok('cat /run/pont/dns.log'), new RegExp(`resolver ${child} exited \\(SIGKILL\\); restarting`));

  // no user-defined network any more: the supervisor exits on its own (~2 s), child and pid file gone
  const noUserNetwork = { ...w.state, networks: w.state.networks.filter((n) => n.predefined) };
  await writeState(sb, { ...noUserNetwork, containers: w.state.containers.filter((c) => c.name === 'c5') });
  await sb.ok(`for i in $(seq 200); do [ -e /proc/${sup} ] || exit 0; sleep 0.05; done; exit 1`);
  t.is((await sb.sh('cat /run/pont/dns.pid')).exitCode, 1);
  t.is((await sb.sh(`pgrep -f -- 'dns/main[.]js'`)).stdout, '');
  t.is((await sb.ok(ensure)).trim(), 'false', 'nothing to serve: no supervisor started');
  t.is((await sb.sh('cat /run/pont/dns.pid')).exitCode, 1);

  // stopDnsIfUnused stops it at once (before the 2 s idle exit)
  await writeState(sb, w.state);
  t.is((await sb.ok(ensure)).trim(), 'true');
  const sup2 = Number((await sb.ok('cut -d: -f1 /run/pont/dns.pid')).trim());
  await writeState(sb, { ...w.state, containers: [] });
  t.is((await sb.ok(stop)).trim(), 'false', 'a user-defined network is left: it keeps running for the next run');
  await writeState(sb, { ...noUserNetwork, containers: [] });
  t.is((await sb.ok(stop)).trim(), 'true');
  await sb.ok(`for i in $(seq 200); do [ -e /proc/${sup2} ] || exit 0; sleep 0.05; done; exit 1`);
  t.is((await sb.sh(`pgrep -f -- 'dns/main[.]js'`)).stdout, '');
  await log(t, sb);
});

// A TCP client of 127.0.0.11 that pipelines `c2` queries and never reads an answer: it writes
// until the resolver stops taking its bytes (no progress for 1 s) or 15 s pass, then prints
// how many bytes went out and stays connected. Runs inside a container namespace.
const GREEDY = `
const net = require('node:net');
// id 0, RD, one question: c2 A IN
const q = Buffer.from('000001000001000000000000' + '02633200' + '00010001', 'hex');
const one = Buffer.concat([Buffer.from([0, q.length]), q]);
const batch = Buffer.concat(Array(1000).fill(one));
const s = net.connect(53, '127.0.0.11', () => {
  s.pause();
  const t0 = Date.now();
  let last = 0, lastAt = Date.now();
  const tick = setInterval(() => {
    while (s.writableLength < (1 << 20)) s.write(batch);
    const out = s.bytesWritten - s.writableLength;
    if (out !== last) { last = out; lastAt = Date.now(); }
    if (Date.now() - lastAt > 1000 || Date.now() - t0 > 15000) {
      clearInterval(tick);
      console.log('sent ' + out + (Date.now() - lastAt > 1000 ? ' stalled' : ' not stalled'));
    }
  }, 50);
});
s.on('close', () => console.log('closed'));
s.on('error', () => {});
`;

sandboxTest('dns: a TCP client that pipelines queries and never reads is held back: the resolver stays small and answers others', async (t, sb) => {
  await setup(sb);
  await startResolver(sb);
  const pid = Number((await sb.ok(`pgrep -f -- 'dns/main[.]js$'`)).trim());
  const rss = async () => Number(/VmRSS:\s+(\d+)/.exec(await sb.ok(`cat /proc/${pid}/status`))![1]);
  t.deepEqual(await addrs(sb, 'c1', 'c2'), ['10.88.0.3']);
  const before = await rss();
  await sb.ok(`cat > /run/dns-test/greedy.js <<'EOF'\n${GREEDY}\nEOF`);
  await sb.ok(`setsid ip netns exec c1 node /run/dns-test/greedy.js > /run/dns-test/greedy.log 2>&1 < /dev/null &
    for i in $(seq 400); do grep -q '^sent' /run/dns-test/greedy.log && exit 0; sleep 0.05; done; exit 1`);
  const report = await sb.ok('cat /run/dns-test/greedy.log');
  const after = await rss();
  t.log(`greedy client: ${report.trim()}; resolver RSS ${before} kB before, ${after} kB after`);
  t.regex(report, /stalled/, 'the resolver stopped reading from the client');
  t.true(after - before < 20_000, `resolver RSS grew by ${after - before} kB`);
  // others are still answered, over UDP and TCP, in that namespace and another
  t.deepEqual(await addrs(sb, 'c1', 'c2', '+tcp'), ['10.88.0.3']);
  t.deepEqual(await addrs(sb, 'c3', 'c2'), ['10.89.0.3']);
  await sb.sh(`pkill -f -- 'node /run/dns-test/greedy[.]js'`);
});
