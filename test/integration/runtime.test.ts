// The container runtime's hardening: signals reach only processes pont started, the store
// survives a full disk, a container's environment is Docker's and nothing of pont's, and no
// environment variable moves pont's files.
import type { ExecutionContext } from 'ava';
import { sandboxTest } from '../helpers/root-test.js';
import type { Sandbox } from '../helpers/sandbox.js';

const DOCKER_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Edits the store the way pont does: under its lock, replaced whole. */
async function editStore(sb: Sandbox, js: string): Promise<void> {
  const script = `const fs=require('fs');const f='/var/lib/pont/state.json';const s=JSON.parse(fs.readFileSync(f,'utf8'));${js};fs.writeFileSync(f+'.tmp',JSON.stringify(s));fs.renameSync(f+'.tmp',f);`;
  await sb.ok(`flock /var/lib/pont/lock node -e ${JSON.stringify(script)}`);
}

/** An unrelated process of the sandbox's host, leading its own session as a monitor does. */
async function unrelatedSleep(sb: Sandbox): Promise<number> {
  return Number((await sb.ok('setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $!')).trim());
}

/** `pont ARGS` fails with exit code `code` and exactly `stderr`. */
async function refused(t: ExecutionContext, sb: Sandbox, args: string, code: number, stderr: string): Promise<void> {
  const r = await sb.pont(args);
  t.is(r.exitCode, code, args);
  t.is(r.stderr, stderr, args);
}

const alive = async (sb: Sandbox, pid: number) => (await sb.sh(`kill -0 ${pid}`)).exitCode === 0;

/**
 * Runs container NAME, then makes its process and its monitor vanish without a report and gives
 * their pids to two unrelated processes, as pid recycling would: the record still says running.
 */
async function recycledContainer(sb: Sandbox, name: string, legacy: boolean): Promise<[number, number]> {
  await sb.ok(`pont run -d --name ${name} busybox sleep 300`);
  const rec = JSON.parse(await sb.ok('cat /var/lib/pont/state.json')).containers.find((c: { name: string }) => c.name === name);
  // the monitor first, so that nothing reports the exit
  await sb.ok(`kill -9 ${rec.monitorPid}; kill -9 ${rec.pid}`);
  const [a, b] = [await unrelatedSleep(sb), await unrelatedSleep(sb)];
  const drop = legacy ? 'delete c.pidStart;delete c.monitorPidStart;' : '';
  await editStore(sb, `const c=s.containers.find(c=>c.name===${JSON.stringify(name)});c.pid=${a};c.monitorPid=${b};${drop}`);
  return [a, b];
}

async function checkSpared(t: ExecutionContext, sb: Sandbox, name: string, pids: number[]) {
  for (const p of pids) t.true(await alive(sb, p), `unrelated process ${p} still runs after pont acted on ${name}`);
}

for (const legacy of [false, true]) {
  const kind = legacy ? 'a record without start times (older pont)' : 'a record with start times';
  sandboxTest(`rm -f and stop never signal a recycled pid (${kind}), and still remove/stop the container`, async (t, sb) => {
    await sb.ok('pont network prune -f'); // lays down the predefined networks (read-only commands change nothing)
    const before = await sb.snapshot({ store: false });

    const r1 = await recycledContainer(sb, 'r1', legacy);
    t.is(await sb.ok('pont rm -f r1'), 'r1\n');
    await checkSpared(t, sb, 'rm -f', r1);
    t.is(await sb.ok('pont ps -aq'), '');
    t.is(await sb.snapshot({ store: false }), before, 'the container is gone: namespace, links, rules');

    const r2 = await recycledContainer(sb, 'r2', legacy);
    await sb.ok('pont stop r2');
    await checkSpared(t, sb, 'stop', r2);
    t.is((await sb.ok(`pont inspect -f '{{.State.Status}} {{.State.Pid}}' r2`)).trim(), 'exited 0');
    t.is(await sb.ok('pont rm r2'), 'r2\n');

    // the legitimate use: the container's own processes are still killed
    await sb.ok('pont run -d --name ok1 busybox sleep 300');
    const pid = Number(await sb.ok(`pont inspect -f '{{.State.Pid}}' ok1`));
    if (legacy) await editStore(sb, 'for (const c of s.containers) { delete c.pidStart; delete c.monitorPidStart; }');
    t.true(await alive(sb, pid));
    t.is(await sb.ok('pont rm -f ok1'), 'ok1\n');
    t.false(await alive(sb, pid), "rm -f killed the container's process");
    for (const p of [...r1, ...r2]) await sb.sh(`kill ${p}`);
  });
}

sandboxTest('a full disk: the failing command says so and leaves nothing; state.json keeps every network made before', async (t, sb) => {
  await sb.ok('mount -t tmpfs -o size=32k,mode=700 tmpfs /var/lib/pont');
  await sb.ok('pont network prune -f'); // lays down the predefined networks (read-only commands change nothing)
  const made: string[] = [];
  let failed: { stderr: string; exitCode: number } | undefined;
  for (let i = 1; i <= 200 && !failed; i++) {
    const before = await sb.snapshot({ store: false });
    // a subnet of its own: the 31 default pools run out before a compact store fills 32 kB
    const r = await sb.pont(`network create --subnet 10.${i}.0.0/16 full${i}`);
    if (r.exitCode === 0) {
      made.push(`full${i}`);
      continue;
    }
    failed = r;
    t.is(await sb.snapshot({ store: false }), before, 'the failing create left nothing in the kernel');
  }
  if (!failed) return t.fail('the 16k store never filled up');
  t.true(made.length > 0);
  // the journal (written first) or the store itself: either way nothing was changed
  t.regex(failed.stderr, /cannot write \/var\/lib\/pont\/(state\.json: .*ENOSPC.*the previous state is kept|journal\.(json|log): .*ENOSPC)/);
  const state = JSON.parse(await sb.ok('cat /var/lib/pont/state.json'));
  t.deepEqual(
    state.networks.map((n: { name: string }) => n.name).filter((n: string) => n.startsWith('full')),
    made,
  );
  // state.checked: the identity of the last state.json pont wrote and checked (store/store.ts)
  t.is((await sb.ok('ls /var/lib/pont')).replace('state.checked\n', ''), 'lock\nstate.json\n', 'no temporary file left behind');
  // still usable: removing a network frees space, and the next create succeeds
  await sb.ok(`pont network rm ${made[made.length - 1]}`);
  await sb.ok('pont network create again');
});

sandboxTest("a container's environment is Docker's: nothing of pont's own, -e/--env-file, TERM with -t, exec alike", async (t, sb) => {
  const env = async (cmd: string) => (await sb.ok(`LEAK=1 PONT_SECRET=2 ${cmd}`)).replace(/\r/g, '').trimEnd().split('\n');
  const host = /^HOSTNAME=[0-9a-f]{12}$/;
  const plain = await env('pont run --rm busybox env');
  t.is(plain.length, 3, plain.join('\n'));
  t.is(plain[0], DOCKER_PATH);
  t.regex(plain[1], host);
  t.is(plain[2], 'HOME=/root');

  const tty = await env(`script -qec 'pont run --rm -t busybox env' /dev/null`);
  t.deepEqual([tty[0], tty[2], tty[3]], [DOCKER_PATH, 'TERM=xterm', 'HOME=/root']);
  t.is(tty.length, 4, tty.join('\n'));

  await sb.ok(`printf 'A=1\\n# comment\\nLEAK\\n\\nC=x y\\n' > /run/envf`);
  const given = await env('pont run --rm -e X=1 -e UNSET_HERE -e PATH=/bin --env-file /run/envf busybox env');
  t.deepEqual(given.filter((l) => !host.test(l)), ['PATH=/bin', 'A=1', 'LEAK=1', 'C=x y', 'X=1', 'HOME=/root']);

  // bin/pont moves NODE_EXTRA_CA_CERTS aside before Node starts; `-e NAME` still gives the caller's value
  const ca = await env('NODE_EXTRA_CA_CERTS=/run/ca.pem pont run --rm -e NODE_EXTRA_CA_CERTS busybox env');
  t.true(ca.includes('NODE_EXTRA_CA_CERTS=/run/ca.pem'), ca.join('\n'));
  const none = await env('env -u NODE_EXTRA_CA_CERTS pont run --rm -e NODE_EXTRA_CA_CERTS busybox env');
  t.false(none.some((l) => l.startsWith('NODE_EXTRA_CA_CERTS')), none.join('\n'));

  // Node 20 takes a --env-file anywhere in its arguments for its own, unless bin/pont's `node --`
  // stops it: a missing file was "node: /run/nope: not found", exit 9
  await refused(t, sb, 'run --rm --env-file /run/nope busybox env', 125, "pont: open /run/nope: no such file or directory.\nSee 'pont run --help'.\n");

  await refused(t, sb, 'run --rm -e =x busybox env', 125, `invalid argument "=x" for "-e, --env" flag: invalid environment variable: =x\nSee 'pont run --help'.\n`);

  await sb.ok('pont run -d --name e1 -e Q=1 busybox sleep 300');
  const ex = await env('pont exec e1 env');
  t.deepEqual(ex.filter((l) => !host.test(l)), [DOCKER_PATH, 'Q=1', 'HOME=/root']);
  // exec's own -e / --env-file: a name of the container's replaced where it stands, others added
  await sb.ok(`printf 'F=from-file\\nQ=file\\n' > /run/envx`);
  const own = await env('pont exec --env-file /run/envx -e Q=2 -e LEAK -e X=3 e1 env');
  t.deepEqual(own.filter((l) => !host.test(l)), [DOCKER_PATH, 'Q=2', 'F=from-file', 'LEAK=1', 'X=3', 'HOME=/root']);
  // -e NAME unset here takes the container's NAME away (observed of Docker 20.10); a NUL in a file is one error line
  const unset = await env('env -u Q pont exec -e Q e1 env');
  t.deepEqual(unset.filter((l) => !host.test(l)), [DOCKER_PATH, 'HOME=/root']);
  await sb.ok(`printf 'A=1\\0x\\n' > /run/envnul`);
  await refused(t, sb, 'exec --env-file /run/envnul e1 env', 1, "poorly formatted environment: variable 'A' holds a NUL byte\n");
  await refused(t, sb, 'exec -e =x e1 env', 125, `invalid argument "=x" for "-e, --env" flag: invalid environment variable: =x\nSee 'pont exec --help'.\n`);
  // Docker's exec (observed): the file's error bare, exit 1
  await refused(t, sb, 'exec --env-file /run/nope e1 env', 1, 'open /run/nope: no such file or directory\n');
  t.is(await sb.ok('pont exec e1 printf %s -e'), '-e', "after the container, -e is the command's");
  await refused(t, sb, 'exec -e', 125, "flag needs an argument: 'e' in -e\nSee 'pont exec --help'.\n");
  await sb.ok('pont rm -f e1');
});

sandboxTest('logs: all of it, its last lines (-n/--tail), and with -f what follows until the container stops', async (t, sb) => {
  // five lines, a pause the follow must wait through (until /run/lg-go exists: the container sees
  // the host's files), a last line, then the end
  await sb.ok(`pont run -d --name lg busybox sh -c 'for i in 1 2 3 4 5; do echo line$i; done; while [ ! -e /run/lg-go ]; do sleep 0.05; done; echo late; sleep 0.5'`);
  await sb.ok('for i in $(seq 100); do pont logs lg | grep -q line5 && exit 0; sleep 0.05; done; exit 1');
  t.is(await sb.ok('pont logs lg'), 'line1\nline2\nline3\nline4\nline5\n');
  t.is(await sb.ok('pont logs --tail 2 lg'), 'line4\nline5\n');
  t.is(await sb.ok('pont logs -n 0 lg'), '');
  // the follow returns by itself once the container has stopped, with what it wrote meanwhile
  const followed = await sb.ok(
    'pont logs -f -n 1 lg > /run/f.out & f=$!; for i in $(seq 200); do grep -q line5 /run/f.out && break; sleep 0.05; done; touch /run/lg-go; wait $f; echo "rc=$?"; cat /run/f.out',
    { timeoutMs: 20000 },
  );
  t.is(followed, 'rc=0\nline5\nlate\n');
  t.false((await sb.ok('pont ps -q')).includes((await sb.ok("pont inspect -f '{{.Id}}' lg")).slice(0, 12)), 'stopped');
  // a stopped container's follow prints its log and returns
  t.is(await sb.ok('timeout 5 pont logs -f --tail 1 lg'), 'late\n');
  // --tail as dockerd reads it (strconv.Atoi): a count, else all the lines
  t.is(await sb.ok('pont logs --tail +1 lg'), 'late\n');
  for (const all of ['x', '-1', '0x1', 'all']) t.is(await sb.ok(`pont logs --tail ${all} lg`), 'line1\nline2\nline3\nline4\nline5\nlate\n', all);
  await sb.ok('pont rm lg');

  // a follow whose reader has gone ends (the container still runs), as Docker's CLI dies of SIGPIPE
  await sb.ok(`pont run -d --name lg2 busybox sh -c 'while true; do echo tick; sleep 0.05; done'`);
  const t0 = Date.now();
  await sb.ok('timeout 10 sh -c "pont logs -f lg2 | head -n 1"');
  await sb.ok('for i in $(seq 100); do pgrep -f "bin/pont logs -f lg[2]" >/dev/null || exit 0; sleep 0.05; done; exit 1');
  t.true(Date.now() - t0 < 8000, 'the follow ended with its reader');
  // a container whose process and monitor are both gone (killed outside pont) reads as stopped: a
  // follow and a wait end, with the code a restart records (255), not after the container's sleep
  const rec = (JSON.parse(await sb.ok('cat /var/lib/pont/state.json')) as { containers: { name: string; pid: number; monitorPid: number }[] }).containers.find((c) => c.name === 'lg2')!;
  await sb.ok(`kill -9 ${rec.monitorPid} ${rec.pid}`);
  t.is(await sb.ok('timeout 10 pont wait lg2'), '255\n');
  await sb.ok('timeout 10 pont logs -f -n 0 lg2');
  await sb.ok('pont rm -f lg2');
});

sandboxTest('a foreground run is logged, as json-file keeps it: its streams stay apart on the terminal, its code is kept', async (t, sb) => {
  const r = await sb.sh(`pont run --name fg busybox sh -c 'echo out; echo err >&2; echo out2; exit 3'`);
  t.is(r.exitCode, 3);
  t.is(r.stdout, 'out\nout2\n');
  t.is(r.stderr.replace(/^WARNING: .*\n/m, ''), 'err\n');
  // one log, both streams (D-api-one-stream); their order between two pipes is the kernel's
  t.deepEqual((await sb.ok('pont logs fg')).split('\n').sort(), ['', 'err', 'out', 'out2']);
  t.is(await sb.ok('stat -c %a /run/pont/containers/$(pont inspect -f "{{.Id}}" fg)/container.log'), '600\n');
  // a later start adds to it, as Docker's log does
  await sb.ok('pont start fg && timeout 10 pont wait fg');
  t.is((await sb.ok('pont logs fg')).split('\n').filter((l) => l === 'out').length, 2);
  // stdin reaches the command (-i); what it echoes is logged too
  t.is(await sb.ok(`printf 'a\\nb\\n' | pont run -i --name fg2 busybox sh -c 'cat; echo done'`), 'a\nb\ndone\n');
  t.is(await sb.ok('pont logs fg2'), 'a\nb\ndone\n');
  // a process the command leaves behind holding its output keeps the run at most 0.5 s more
  const t0 = Date.now();
  t.is(await sb.ok(`pont run --rm busybox sh -c 'sleep 30 & echo bg'`), 'bg\n');
  t.true(Date.now() - t0 < 5000, `returned after ${Date.now() - t0} ms`);
  await sb.ok('pkill -f "^sleep 30$" || true; pont rm fg fg2');
});

sandboxTest('start -a: the output of this start only, signals passed on to the container, its exit code as pont\'s', async (t, sb) => {
  await sb.ok(`pont run -d --name sa busybox sh -c 'echo first'`);
  t.is(await sb.ok('timeout 10 pont wait sa'), '0\n');
  // INT is the container's: it answers, and its code is pont's
  await sb.ok(`pont rm sa && pont run -d --name sa busybox sh -c 'trap "echo got-int; exit 3" INT; echo ready; while true; do sleep 0.05; done'`);
  await sb.ok('pont stop -t 0 sa');
  const attached = sb.sh('timeout 20 pont start -a sa > /run/sa.out; echo "rc=$?" >> /run/sa.out');
  await sb.ok('for i in $(seq 200); do grep -q ready /run/sa.out 2>/dev/null && exit 0; sleep 0.05; done; exit 1');
  await sb.ok('pkill -INT -f "bin/pont start -a sa"');
  await attached;
  t.is(await sb.ok('cat /run/sa.out'), 'ready\ngot-int\nrc=3\n');
  await refused(t, sb, 'start -a sa sa', 1, 'you cannot start and attach multiple containers at once\n');
  await sb.ok('pont rm -f sa');
});

sandboxTest('PONT_STATE_DIR and PONT_RUN_DIR move nothing: pont keeps to /var/lib/pont and /run/pont', async (t, sb) => {
  const vars = 'PONT_STATE_DIR=/run/elsewhere-state PONT_RUN_DIR=/run/elsewhere-run';
  await sb.ok(`${vars} pont network create n1`);
  await sb.ok(`${vars} pont run -d --name c1 --network n1 busybox sleep 300`);
  t.false((await sb.ok('ls /run')).includes('elsewhere'), 'nothing written where the variables point');
  t.deepEqual(JSON.parse(await sb.ok('cat /var/lib/pont/state.json')).containers.map((c: { name: string }) => c.name), ['c1']);
  const id = (await sb.ok(`pont inspect -f '{{.Id}}' c1`)).trim();
  t.is((await sb.sh(`test -d /run/pont/containers/${id}`)).exitCode, 0);
  await sb.ok(`${vars} pont rm -f c1`);
  await sb.ok(`${vars} pont network rm n1`);
});

sandboxTest('-P with 1,000 exposed ports publishes each on its own host port, and rm -f restores iptables exactly', async (t, sb) => {
  await sb.ok('pont network prune -f'); // lays down the predefined networks (read-only commands change nothing)
  const before = await sb.snapshot({ store: false });
  // (8,000 ports work as well, but removing their 24,000 rules takes iptables-nft minutes)
  await sb.ok('pont run -d --name many -P --expose 20000-20999 busybox sleep 300');
  const lines = (await sb.ok('pont port many')).trimEnd().split('\n');
  t.is(lines.length, 1000);
  const host = lines.map((l) => /^(\d+)\/tcp -> 0\.0\.0\.0:(\d+)$/.exec(l));
  t.true(host.every(Boolean), lines.find((l, i) => !host[i]));
  t.is(new Set(host.map((m) => m![2])).size, 1000, 'distinct host ports');
  t.deepEqual(host.map((m) => Number(m![1])).sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => 20000 + i));
  t.is(await sb.ok('pont rm -f many'), 'many\n');
  t.is(await sb.snapshot({ store: false }), before);
});

// A root process in a container has Docker's default capabilities only: it cannot enter the
// host's namespaces (CAP_SYS_ADMIN), change its network (CAP_NET_ADMIN) or trace (CAP_SYS_PTRACE),
// so the network isolation holds against it too; the same for `pont exec`.
// (the server ignores socket errors: the readiness probe hangs up before its answer)
sandboxTest("a container's root has Docker's default capabilities: it cannot nsenter the host's network to reach 127.0.0.1", async (t, sb) => {
  await sb.ok(`setsid node -e "require('net').createServer(s=>{s.on('error',()=>{});s.end('host-secret\\\\n')}).listen(7777,'127.0.0.1')" >/dev/null 2>&1 &`);
  await sb.ok('for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/7777) 2>/dev/null && exit 0; sleep 0.1; done; exit 1');
  await sb.ok('pont network create --internal iso && pont run -dit --name a1 --network iso alpine');
  const pid = (await sb.ok("pont inspect -f '{{.State.Pid}}' a1")).trim();
  t.regex(await sb.ok(`grep CapEff /proc/${pid}/status`), /CapEff:\s+00000000a80425fb/, "the main process: Docker 20.10's default set");
  t.regex(await sb.ok('pont exec a1 grep CapEff /proc/self/status'), /CapEff:\s+00000000a80425fb/, 'pont exec: the same');
  const escape = await sb.pont('exec a1 nsenter -t 1 -n busybox nc -w 2 127.0.0.1 7777');
  t.not(escape.exitCode, 0);
  t.notRegex(escape.stdout, /host-secret/, 'no way into the host network namespace');
  t.regex(escape.stderr, /Permission denied|Operation not permitted/);
  const netAdmin = await sb.pont('exec a1 ip link set eth0 down');
  t.not(netAdmin.exitCode, 0, 'no CAP_NET_ADMIN');
  // the control: with the host's own capabilities, the same command reaches it
  t.regex(await sb.ok(`nsenter -t ${pid} -n nsenter -t 1 -n busybox nc -w 2 127.0.0.1 7777`), /host-secret/);
  t.regex(await sb.ok('pont exec a1 ping -c 1 -W 2 127.0.0.1'), /1 (packets )?received/, 'NET_RAW stays: ping works');
});
