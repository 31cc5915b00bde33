// pont's Docker Engine API (`pont system service`) driven by clients no one here wrote: Debian's
// docker CLI 20.10, docker-compose 1.29 and docker-py 5.0.3, each against pont's socket in a
// sandbox. The seed cheat sheet played with Docker's CLI prints what pont's own CLI prints.
import { existsSync } from 'node:fs';
import test from 'ava';
import { sandboxTest } from '../helpers/root-test.js';
import { isRoot, Sandbox } from '../helpers/sandbox.js';

const DOCKER = '/usr/bin/docker';
const SOCK = '/run/pont/docker.sock';
const CLIENT_ENV = `DOCKER_HOST=unix://${SOCK} DOCKER_CONFIG=/run/dcfg`;

function missing(): string | false {
  for (const [bin, pkg] of [[DOCKER, 'docker.io'], ['/usr/bin/docker-compose', 'docker-compose'], ['/usr/lib/python3/dist-packages/docker/__init__.py', 'python3-docker']]) {
    if (!existsSync(bin)) return `${bin} is missing (Debian package ${pkg}; scripts/setup.sh --for-tests installs it)`;
  }
  return false;
}
const skip = missing();

/** Starts the service in the sandbox (it dies with it) and waits until it answers. */
async function startService(sb: Sandbox): Promise<void> {
  await sb.ok(`(setsid pont system service --log-requests </dev/null >/run/service.log 2>&1 & echo $! >/run/service.pid); for i in $(seq 200); do curl -s --unix-socket ${SOCK} http://d/_ping >/dev/null 2>&1 && exit 0; sleep 0.05; done; cat /run/service.log; exit 1`);
}

const docker = (sb: Sandbox, args: string) => sb.sh(`${CLIENT_ENV} ${DOCKER} ${args}`);
const dockerOk = (sb: Sandbox, args: string) => sb.ok(`${CLIENT_ENV} ${DOCKER} ${args}`);
/** curl on the socket: status line, then the body. */
const api = (sb: Sandbox, method: string, path: string, body?: unknown) =>
  sb.ok(`curl -s -m 10 --unix-socket ${SOCK} -X ${method} -H 'Content-Type: application/json' ${body === undefined ? '' : `-d '${JSON.stringify(body)}'`} -w '\\n%{http_code}' 'http://d${path}'`).then((out) => {
    const i = out.trimEnd().lastIndexOf('\n');
    return { status: Number(out.trimEnd().slice(i + 1)), body: out.slice(0, i) };
  });

sandboxTest('the service: a root-only unix socket, Docker\'s version negotiation, refusals of a busy socket and of TCP, a clean stop on SIGTERM', async (t, sb) => {
  await startService(sb);
  t.is((await sb.ok(`stat -c '%a %U' ${SOCK}`)).trim(), '600 root', 'root-only, as Docker\'s socket');
  const ping = await sb.ok(`curl -s -i --unix-socket ${SOCK} http://d/_ping`);
  t.regex(ping, /^HTTP\/1.1 200 OK/);
  t.regex(ping, /^Api-Version: 1\.41\r$/m);
  t.regex(ping, /^Ostype: linux\r$/m);
  t.regex(ping, /\r\n\r\nOK$/);
  const version = JSON.parse((await api(sb, 'GET', '/version')).body);
  t.like(version, { ApiVersion: '1.41', MinAPIVersion: '1.12', Os: 'linux' });
  t.deepEqual(await api(sb, 'GET', '/v1.43/version'), { status: 400, body: '{"message":"client version 1.43 is too new. Maximum supported API version is 1.41"}\n' });
  t.regex(await dockerOk(sb, 'version --format "{{.Server.APIVersion}} {{.Server.Platform.Name}}"'), /^1\.41 pont$/m);
  // a second service refuses the socket the first answers on; a TCP socket is refused outright
  const second = await sb.pont('system service');
  t.is(second.exitCode, 1);
  t.regex(second.stderr, new RegExp(`another service answers on ${SOCK}: stop it first`));
  const tcp = await sb.pont('system service -H tcp://0.0.0.0:2375');
  t.is(tcp.exitCode, 125);
  t.regex(tcp.stderr, /unix socket only/);
  // read-only requests change nothing
  await dockerOk(sb, 'network create ro');
  const before = await sb.snapshot();
  for (const path of ['/_ping', '/version', '/info', '/networks', '/networks/ro', '/containers/json?all=1', '/images/json', '/images/alpine/json', '/events?since=0&until=1']) await api(sb, 'GET', path);
  t.is(await sb.snapshot(), before, 'GETs leave the kernel and the store as they were');
  await sb.ok('p=$(cat /run/service.pid); kill -TERM $p; for i in $(seq 100); do kill -0 $p 2>/dev/null || exit 0; sleep 0.05; done; exit 1');
  t.false((await sb.sh(`test -e ${SOCK}`)).exitCode === 0, 'the socket goes with the service');
  t.regex(await sb.ok('cat /run/service.log'), /stopping the Docker API service/);
  t.regex(await sb.pont('network ls').then((r) => r.stdout), /\bro\b/, 'the store stays');
}, { skip });

/** The seed articles' cheat sheet, with {cli} for `pont` or Docker's CLI on pont's socket. */
const SEED = [
  '{cli} network create --driver bridge mon-bridge',
  '{cli} network ls',
  '{cli} network inspect mon-bridge',
  '{cli} run -dit --name alpine1 --network mon-bridge alpine',
  '{cli} run -dit --name alpine2 --network mon-bridge alpine',
  '{cli} network inspect mon-bridge',
  '{cli} exec alpine1 ping -c 1 -W 2 172.18.0.3',
  '{cli} exec alpine2 ping -c 1 -W 2 172.18.0.2',
  '{cli} network create --driver host mon-host',
  '{cli} run --rm -d --network host --name my_httpd httpd',
  '{cli} container stop my_httpd',
  '{cli} network disconnect mon-bridge alpine1',
  '{cli} network disconnect mon-bridge alpine2',
  '{cli} exec alpine1 ip a',
  '{cli} network rm mon-bridge',
  '{cli} network connect bridge alpine1',
  '{cli} network connect bridge alpine2',
  "{cli} inspect -f '{{.Name}} - {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' $({cli} ps -aq)",
  '{cli} ps --format "{{.Names}} {{.Image}} {{.Status}} {{.Ports}}"',
  '{cli} network prune -f',
  '{cli} run --rm -d --name test_nginx -p 127.0.0.1:8000:80 nginx',
  '{cli} port test_nginx',
  'curl -s -m 3 http://127.0.0.1:8000/',
  '{cli} logs test_nginx',
  '{cli} rm -f alpine1 alpine2 test_nginx',
  '{cli} network ls',
];

/** Ids, times and the CLI's own name out of the way; what is left must be the same. */
function normalise(text: string): string {
  return text
    .replace(/\b[0-9a-f]{64}\b/g, '<id>')
    .replace(/\b[0-9a-f]{12}\b/g, '<id12>')
    .replace(/"Created": "[^"]+"/g, '"Created": "<time>"')
    .replace(/time=[0-9.]+ ms/g, 'time=<t> ms')
    .replace(/rtt min\/avg\/max\/mdev = \S+/g, 'rtt <rtt>')
    .replace(/Up (Less than a second|\d+ seconds?)/g, 'Up <age>')
    .replace(/:\d+: response:200/g, ':<port>: response:200')
    .replace(/\bpont\b/g, 'docker');
}

/**
 * pont's warning that it turned on IPv4 forwarding goes, through the API, into the create
 * response's Warning field, which Docker's CLI does not print (D-api-network-warning).
 */
const unprintedWarning = (line: string, stderr: string) =>
  line.includes('network create') ? stderr.replace(/^WARNING: pont turned on IPv4 forwarding.*\n/m, '') : stderr;

sandboxTest("the seed cheat sheet played with Docker's CLI on pont's socket prints what pont's own CLI prints", async (t) => {
  const [own, viaApi] = await Promise.all([Sandbox.create(), Sandbox.create()]);
  try {
    await startService(viaApi);
    for (const line of SEED) {
      const [a, b] = await Promise.all([own.sh(line.replaceAll('{cli}', 'pont')), viaApi.sh(`export ${CLIENT_ENV}; ${line.replaceAll('{cli}', DOCKER)}`)]);
      t.is(normalise(b.stdout), normalise(a.stdout), `stdout of: ${line}`);
      t.is(normalise(b.stderr), normalise(unprintedWarning(line, a.stderr)), `stderr of: ${line}`);
      t.is(b.exitCode, a.exitCode, `exit code of: ${line}`);
    }
    // both hosts end as they would: the predefined networks, no container
    t.is(await viaApi.ok('ip netns list'), '');
  } finally {
    await Promise.all([own.destroy(), viaApi.destroy()]);
  }
}, { skip });

const COMPOSE = `version: "3"
services:
  web:
    image: nginx
    ports:
      - "8080:80"
    networks:
      front:
        aliases: [www]
  app:
    image: alpine
    command: sleep 600
    depends_on: [web]
    networks: [front, back]
  db:
    image: busybox
    command: sleep 600
    networks: [back]
networks:
  front:
  back:
`;

sandboxTest('docker-compose 1.29: up -d of two networks, aliases, a published port and depends_on; services resolve each other; down leaves nothing', async (t, sb) => {
  await startService(sb);
  await sb.ok('pont system gc'); // the predefined networks and base chains, as any first command lays them
  const before = await sb.snapshot({ store: false });
  await sb.ok(`mkdir -p /run/proj && cat > /run/proj/docker-compose.yml <<'EOF'\n${COMPOSE}EOF`);
  const up = await sb.sh(`cd /run/proj && ${CLIENT_ENV} docker-compose up -d`, { timeoutMs: 120_000 });
  t.is(up.exitCode, 0, up.stderr);
  t.regex(up.stderr, /Creating network "proj_front" with the default driver/);
  const ps = await sb.ok(`cd /run/proj && ${CLIENT_ENV} docker-compose ps`);
  t.regex(ps, /proj_web_1 .* Up +0\.0\.0\.0:8080->80\/tcp/);
  t.regex(ps, /proj_app_1 .* Up/);
  // compose's labels are kept, and `pont ps` filters on them
  t.is((await sb.ok('pont ps --filter label=com.docker.compose.service=web --format "{{.Names}}"')).trim(), 'proj_web_1');
  // app is on both networks; it finds web by service name and by alias, db by name on back only
  for (const name of ['web', 'www', 'db']) t.regex(await sb.ok(`pont exec proj_app_1 ping -c 1 -W 2 ${name}`), /1 packets transmitted, 1 (packets )?received/, `app reaches ${name}`);
  t.not((await sb.sh('pont exec proj_db_1 ping -c 1 -W 1 web')).exitCode, 0, 'db is not on front: web is not its to reach');
  t.regex(await sb.ok('curl -s -m 3 http://127.0.0.1:8080/'), /It works!/, 'the published port answers');
  const down = await sb.sh(`cd /run/proj && ${CLIENT_ENV} docker-compose down`, { timeoutMs: 120_000 });
  t.is(down.exitCode, 0, down.stderr);
  t.regex(down.stderr, /Removing network proj_back/);
  t.is(await sb.snapshot({ store: false }), before, 'no link, address, route, namespace or rule left');
  t.is((await sb.ok('pont ps -aq')).trim(), '');
}, { skip });

const PY = `
import docker
c = docker.from_env()
n = c.networks.create('pynet', labels={'k': 'v'})
print(sorted(x.name for x in c.networks.list()))
ctr = c.containers.run('alpine', 'sleep 60', detach=True, name='py1', network='pynet')
ctr.reload()
print(ctr.status, ctr.attrs['NetworkSettings']['Networks']['pynet']['IPAddress'])
print(c.containers.run('alpine', ['sh', '-c', 'echo hello from $HOSTNAME'], remove=True, hostname='pyhost').decode().strip())
code, out = ctr.exec_run('ping -c 1 -W 2 py1')
print(code, b'1 packets received' in out or b'1 received' in out)
print([x.name for x in c.containers.list(filters={'network': 'pynet'})])
ctr.remove(force=True)
n.remove()
try:
    c.containers.get('py1')
except docker.errors.NotFound as e:
    print('NotFound', e.explanation)
`;

sandboxTest('docker-py 5: networks, a detached container, a foreground one, exec, filters, removal, NotFound', async (t, sb) => {
  await startService(sb);
  const out = await sb.ok(`${CLIENT_ENV} /usr/bin/python3 - <<'EOF'\n${PY}\nEOF`, { timeoutMs: 60_000 });
  t.deepEqual(out.trim().split('\n'), [
    "['bridge', 'host', 'none', 'pynet']",
    'running 172.18.0.2',
    'hello from pyhost',
    '0 True',
    "['py1']",
    'NotFound No such container: py1',
  ]);
  t.is(await sb.ok('ip netns list'), '');
}, { skip });

sandboxTest("Docker's statuses and error bodies; events, logs --follow, wait and exec with stdin", async (t, sb) => {
  await startService(sb);
  const t0 = (await sb.ok('date +%s')).trim();
  t.deepEqual(await api(sb, 'GET', '/v1.41/nosuch'), { status: 404, body: '{"message":"page not found"}\n' });
  t.deepEqual(await api(sb, 'GET', '/containers/nosuch/json'), { status: 404, body: '{"message":"No such container: nosuch"}\n' });
  t.deepEqual(await api(sb, 'GET', '/networks/nosuch'), { status: 404, body: '{"message":"network nosuch not found"}\n' });
  t.deepEqual(await api(sb, 'POST', '/networks/create', { Name: 'n1' }).then((r) => r.status), 201);
  t.deepEqual(await api(sb, 'POST', '/networks/create', { Name: 'n1' }), { status: 409, body: '{"message":"network with name n1 already exists"}\n' });
  t.deepEqual(await api(sb, 'POST', '/networks/create', { Name: 'h', Driver: 'host' }), { status: 403, body: '{"message":"only one instance of \\"host\\" network is allowed"}\n' });
  // libnetwork's bridge driver refuses a second network on one bridge with ForbiddenErrorf
  t.is((await api(sb, 'POST', '/networks/create', { Name: 'b1', Options: { 'com.docker.network.bridge.name': 'samebr' } })).status, 201);
  const same = await api(sb, 'POST', '/networks/create', { Name: 'b2', Options: { 'com.docker.network.bridge.name': 'samebr' } });
  t.is(same.status, 403);
  t.regex(same.body, /^\{"message":"cannot create network [0-9a-f]{64} \(samebr\): conflicts with network [0-9a-f]{64} \(samebr\): networks have same bridge name"\}\n$/);
  t.is((await api(sb, 'POST', '/containers/create?name=c1', { Image: 'nosuchimage' })).body, '{"message":"No such image: nosuchimage:latest"}\n');
  // an unknown network is no 404: clients would take it for a missing image and pull
  t.deepEqual(await api(sb, 'POST', '/containers/create?name=c1', { Image: 'alpine', HostConfig: { NetworkMode: 'nosuch' } }), { status: 400, body: '{"message":"network nosuch not found"}\n' });
  t.is((await api(sb, 'POST', '/containers/create', 'not json{')).status, 400);
  t.is((await api(sb, 'GET', '/images/nginx/json').then((r) => JSON.parse(r.body))).Config.ExposedPorts['80/tcp'] !== undefined, true);
  // docker CLI texts, as against Docker
  const dup = await docker(sb, 'network create n1');
  t.is(dup.stderr.trim(), 'Error response from daemon: network with name n1 already exists');
  await dockerOk(sb, 'run -d --name c1 --network n1 alpine sh -c "echo one; sleep 0.5; echo two; sleep 600"');
  const rm = await docker(sb, 'rm c1');
  t.regex(rm.stderr, /^Error response from daemon: You cannot remove a running container [0-9a-f]{64}\. Stop the container before attempting removal or force remove/);
  t.is(rm.exitCode, 1);
  // logs --follow ends when the container stops; exec -i reads the client's stdin
  const follow = sb.sh(`${CLIENT_ENV} timeout 20 ${DOCKER} logs -f c1`);
  await sb.ok('sleep 1');
  t.is((await sb.ok(`echo piped | ${CLIENT_ENV} ${DOCKER} exec -i c1 cat`)).trim(), 'piped');
  t.is((await docker(sb, 'exec c1 sh -c "exit 7"')).exitCode, 7);
  await dockerOk(sb, 'stop -t 1 c1');
  const followed = await follow;
  t.is(followed.exitCode, 0, 'logs -f returned when the container stopped');
  // (and whatever sh says as it is terminated)
  t.true(followed.stdout.startsWith('one\ntwo\n'), followed.stdout);
  t.is((await dockerOk(sb, 'wait c1')).trim(), '143', 'wait: the exit code of sh on SIGTERM');
  // a container whose process and monitor die outside pont (no exit recorded): wait, logs --follow
  // and attach end, with the code the next command records (255), as with pont's own CLI
  await dockerOk(sb, 'run -d --name c2 alpine sleep 600');
  const waiting = sb.sh(`${CLIENT_ENV} timeout 10 ${DOCKER} wait c2`);
  const following = sb.sh(`${CLIENT_ENV} timeout 10 ${DOCKER} logs -f c2`);
  const attached = sb.sh(`${CLIENT_ENV} timeout 10 ${DOCKER} attach c2`);
  await sb.ok('sleep 1');
  const rec = (JSON.parse(await sb.ok('cat /var/lib/pont/state.json')) as { containers: { name: string; pid: number; monitorPid: number }[] }).containers.find((c) => c.name === 'c2')!;
  await sb.ok(`kill -9 ${rec.monitorPid} ${rec.pid}`);
  t.deepEqual(await waiting.then((r) => [r.exitCode, r.stdout.trim()]), [0, '255']);
  t.is((await following).exitCode, 0, 'logs -f ended');
  t.not((await attached).exitCode, 124, 'attach ended');
  await dockerOk(sb, 'rm -f c2');
  // and `docker run --rm`, which waits for the container's removal: the next command forgets it
  const rmRun = sb.sh(`${CLIENT_ENV} timeout 10 ${DOCKER} run --rm --name c3 alpine sleep 600`);
  await sb.ok('for i in $(seq 100); do grep -q \'"name":"c3".*"pid":[1-9]\' /var/lib/pont/state.json && exit 0; sleep 0.05; done; exit 1');
  const rec3 = (JSON.parse(await sb.ok('cat /var/lib/pont/state.json')) as { containers: { name: string; pid: number; monitorPid: number }[] }).containers.find((c) => c.name === 'c3')!;
  await sb.ok(`kill -9 ${rec3.monitorPid} ${rec3.pid}`);
  t.not((await rmRun).exitCode, 124, 'run --rm ended');
  await dockerOk(sb, 'rm -f c3');
  // a foreground run: attach, wait, start — its output and exit code are the container's
  const fg = await docker(sb, 'run --rm --network n1 alpine sh -c "echo out; echo err >&2; exit 4"');
  t.is(fg.exitCode, 4);
  t.is(fg.stdout + fg.stderr, 'out\nerr\n');
  const id = (await dockerOk(sb, 'inspect -f "{{.Id}}" c1')).trim();
  await dockerOk(sb, 'rm c1');
  await dockerOk(sb, 'network rm n1');
  const events = (await dockerOk(sb, `events --since ${t0} --until $(( $(date +%s) + 1 )) --format '{{json .}}'`))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { Type: string; Action: string; Actor: { Attributes: { name: string; container?: string } } });
  // c1's, and n1's own (not those of the foreground container on n1)
  const c1 = events
    .filter((e) => e.Actor.Attributes.name === 'c1' || (e.Actor.Attributes.name === 'n1' && (e.Actor.Attributes.container ?? id) === id))
    .map((e) => `${e.Type} ${e.Action} ${e.Actor.Attributes.name}`);
  t.deepEqual(events.filter((e) => e.Action === 'exec_die').map((e) => (e.Actor.Attributes as Record<string, string>).exitCode), ['0', '7']);
  t.deepEqual(c1, [
    'network create n1', 'container create c1', 'network connect n1', 'container start c1',
    'container exec_create: cat c1', 'container exec_start: cat c1', 'container exec_die c1',
    'container exec_create: sh -c exit 7 c1', 'container exec_start: sh -c exit 7 c1', 'container exec_die c1',
    'container kill c1', 'container die c1', 'container stop c1', 'network disconnect n1', 'container destroy c1', 'network destroy n1',
  ]);
}, { skip });

sandboxTest('garbage bodies, queries and paths get one 4xx or 501 answer each, never a crash, and change nothing', async (t, sb) => {
  await startService(sb);
  await dockerOk(sb, 'network create n1');
  await dockerOk(sb, 'run -d --name c1 --network n1 alpine sleep 600');
  const before = await sb.snapshot();
  const bodies = ['null', '[]', '"x"', '1', '{"Name":{}}', '{"Name":"a\\u0000b"}', '{"Image":[]}', '{"Image":"alpine","HostConfig":"x"}',
    '{"Image":"alpine","HostConfig":{"PortBindings":{"80/tcp":"x"}}}', '{"Image":"alpine","HostConfig":{"PortBindings":{"99999/tcp":[{"HostPort":"1"}]}}}',
    '{"Image":"alpine","NetworkingConfig":{"EndpointsConfig":{"a":5}}}', '{"Labels":{"a":null}}', '{"Container":[]}', '{"Cmd":"x"}', '{"Cmd":[1]}',
    '{"Image":"alpine","Env":[null]}', '{"Image":"alpine","ExposedPorts":{"x/y":{}}}', '{"IPAM":{"Config":[{"Subnet":"10.0.0.0/99"}]},"Name":"z"}', '{', `"${'a'.repeat(100000)}"`];
  const posts = ['/networks/create', '/networks/n1/connect', '/networks/n1/disconnect', '/containers/create?name=zz', '/containers/c1/exec', '/exec/nosuch/start'];
  const queries = ['/containers/c1/kill?signal=NOPE', '/containers/c1/wait?condition=bad', '/containers/c1/logs?tail=1', '/events?since=yesterday',
    '/containers/json?filters=%5B', '/networks?filters=%7B%22bogus%22%3A%5B%22x%22%5D%7D', '/containers/json?limit=x', '/v9.99/_ping', '/containers/c1/pause', '/swarm/init', '/../../etc/passwd'];
  const statuses = new Set<number>();
  await sb.ok(`printf '%s\n' ${bodies.map((b) => `'${b.replace(/'/g, "'\\''")}'`).join(' ')} > /run/bodies`);
  const out = await sb.ok(`while IFS= read -r body; do for p in ${posts.join(' ')}; do curl -s -o /dev/null -w '%{http_code} '"$p"'\n' -m 10 --unix-socket ${SOCK} -X POST -H 'Content-Type: application/json' --data-binary "$body" "http://d$p"; done; done </run/bodies
    for q in '${queries.join("' '")}'; do curl -s -o /dev/null -w '%{http_code} '"$q"'\n' -m 10 --unix-socket ${SOCK} -X POST "http://d$q"; curl -s -o /dev/null -w '%{http_code} GET '"$q"'\n' -m 10 --unix-socket ${SOCK} "http://d$q"; done`, { timeoutMs: 120_000 });
  for (const line of out.trim().split('\n')) {
    const status = Number(line.split(' ')[0]);
    statuses.add(status);
    t.true((status >= 400 && status < 500) || status === 501, `a 4xx or 501: ${line}`);
  }
  t.true(statuses.has(400) && statuses.has(404) && statuses.has(501), [...statuses].join(' '));
  t.log([...statuses].sort().join(' '));
  t.is((await api(sb, 'GET', '/_ping')).status, 200, 'the service still answers');
  t.is(await sb.snapshot(), before, 'nothing was made or changed');
}, { skip });

sandboxTest('what could stall or crash the service does not: bad escapes, hung-up upgrades, a lock held elsewhere, a long stop, a second exec start, an Env without =', async (t, sb) => {
  await startService(sb);
  await dockerOk(sb, 'network create n1');
  // a %-escape that is not UTF-8, in a plain and in a hijacked request
  t.is((await api(sb, 'GET', '/containers/%E0%A4%A/json')).status, 400);
  await sb.sh(`curl -s -m 2 --unix-socket ${SOCK} -X POST -H 'Connection: Upgrade' -H 'Upgrade: tcp' http://d/containers/%ZZ/attach`);
  // upgrades of a path that takes none, the client gone at once: 100 times
  await sb.ok(`for i in $(seq 100); do printf 'POST /_ping HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n' | socat -t 0 - UNIX-CONNECT:${SOCK} >/dev/null 2>&1 || true; done`);
  t.is((await api(sb, 'GET', '/_ping')).status, 200, 'alive after both');
  // another holder of the store's lock delays mutations only: reads and pings answer at once
  await sb.ok('(flock /var/lib/pont/lock sleep 3 </dev/null >/dev/null 2>&1 &) ; sleep 0.3');
  const waiting = docker(sb, 'network create n3');
  await sb.ok('sleep 0.3');
  const ping = await sb.ok(`s=$(date +%s%N); curl -s --unix-socket ${SOCK} http://d/_ping >/dev/null; echo $(( ($(date +%s%N) - s) / 1000000 ))`);
  t.true(Number(ping) < 1000, `ping answered in ${ping.trim()} ms while a create waited for the lock`);
  t.is((await waiting).exitCode, 0, 'the create went ahead once the lock was free');
  // a stop that waits (sh ignores SIGTERM while a trap holds it) keeps no other change waiting
  await dockerOk(sb, 'run -d --name slow --network n1 alpine sh -c "trap \"\" TERM; while :; do sleep 1; done"');
  const stop = docker(sb, 'stop -t 8 slow');
  await sb.ok('sleep 0.5');
  const create = await sb.ok(`s=$(date +%s%N); ${CLIENT_ENV} ${DOCKER} network create n2 >/dev/null; echo $(( ($(date +%s%N) - s) / 1000000 ))`);
  t.true(Number(create) < 5000, `network create took ${create.trim()} ms during an 8 s stop`);
  t.is((await stop).exitCode, 0);
  // exec: an Env entry with no name is refused, a NAME alone (Docker's CLI's `-e NAME` of an unset
  // NAME) unsets it and is never a command; a second start is Docker's 409; a start on a stopped container is a 409 before any stream
  await dockerOk(sb, 'run -d --name c1 -e id=1 alpine sleep 600');
  t.regex((await api(sb, 'POST', '/containers/c1/exec', { Cmd: ['echo', 'hi'], Env: ['=x'] })).body, /invalid environment variable: \\"=x\\"/);
  t.is((await api(sb, 'POST', '/containers/create', { Image: 'alpine', Env: ['=x'] })).status, 400);
  t.is((await sb.ok(`${CLIENT_ENV} ${DOCKER} exec -e id c1 env`)).split('\n').filter((l) => l.startsWith('id')).length, 0, 'unset, not run');
  t.regex(await sb.ok(`${CLIENT_ENV} ${DOCKER} exec c1 env`), /^id=1$/m);
  const exec = JSON.parse((await api(sb, 'POST', '/containers/c1/exec', { Cmd: ['true'], AttachStdout: true })).body).Id;
  t.is((await api(sb, 'POST', `/exec/${exec}/start`, { Detach: true })).status, 200);
  t.deepEqual(await api(sb, 'POST', `/exec/${exec}/start`, { Detach: true }), { status: 409, body: `{"message":"Exec command ${exec} has already run"}\n` });
  const late = JSON.parse((await api(sb, 'POST', '/containers/c1/exec', { Cmd: ['true'] })).body).Id;
  await dockerOk(sb, 'stop -t 1 c1');
  t.is((await api(sb, 'POST', `/exec/${late}/start`, {})).status, 409);
  // a file at the socket's path is not the service's to remove
  await sb.ok('echo keep > /run/file.sock');
  const refused = await sb.pont('system service -H unix:///run/file.sock');
  t.regex(refused.stderr, /exists and is not a socket/);
  t.is((await sb.ok('cat /run/file.sock')).trim(), 'keep');
}, { skip });

if (!isRoot()) test('docker-api needs root', (t) => t.pass());
