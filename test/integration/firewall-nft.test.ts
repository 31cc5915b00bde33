// The nftables backend on the real kernel and the real nft: pont's whole firewall in its own
// table, damage to it named by `pont system check` and repaired by `reload` or by any mutating
// command, other tables never touched, the config read once with a clear line when wrong,
// --dry-run printing nft commands, and a private Docker 20.10 (iptables) beside pont on one host.
import { existsSync } from 'node:fs';
import { foreignDropWarning } from '../../src/engine/forwarding.js';
import { bridgeName } from '../../src/core/names.js';
import { sandboxTest } from '../helpers/root-test.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { addInternet, askWhoAmI, httpGet, startWhoAmI, untilListening, UPLINK } from '../helpers/world.js';

const nftables = { firewall: 'nftables' } as const;
const IT_WORKS = '<html><body><h1>It works!</h1></body></html>\n';

const idOf = async (sb: Sandbox, net: string) => (await sb.ok(`pont network inspect -f '{{.Id}}' ${net}`)).trim();

/** A few networks (internal, icc off), a container with TCP, UDP and loopback-only ports. */
async function populate(sb: Sandbox): Promise<{ web: string; closed: string }> {
  await sb.ok('pont network create -o com.docker.network.bridge.enable_icc=false web && pont network create --internal closed');
  await sb.ok('pont run -d --name w1 --network web -p 8000:80 -p 9000:9000/udp -p 127.0.0.1:8001:80 nginx');
  await sb.ok('pont run -d --name c1 --network closed alpine sleep 300');
  return { web: bridgeName(await idOf(sb, 'web')), closed: bridgeName(await idOf(sb, 'closed')) };
}

sandboxTest('[nftables] damage to pont\'s table is named by check and repaired by reload or by the next mutating command', async (t, sb) => {
  const { web, closed } = await populate(sb);
  const clean = await sb.pont('system check');
  t.is(clean.exitCode, 0, clean.stdout);
  t.is((await sb.ok('iptables-save | grep -c PONT || true')).trim(), '0', 'nothing of pont in iptables');
  const pristine = await sb.nftTable();
  const handleOf = async (chain: string, match: string) => /# handle (\d+)/.exec((await sb.ok(`nft -a list chain inet pont ${chain}`)).split('\n').find((l) => l.includes(match)) ?? '')?.[1];
  const damage: [string, () => Promise<string>, RegExp][] = [
    ['flush of the forward chain', async () => 'nft flush chain inet pont forward', /^firewall: rule missing in chain forward: iifname vmap @isolate-in /m],
    ['flush of the whole table', async () => 'nft flush table inet pont', /^firewall: rule missing in chain isolate-in-/m],
    ['a published port deleted', async () => "nft delete element inet pont ports-any '{ tcp . 8000 }'", /^firewall: element missing in map ports-any: tcp \. 8000 : 172\.18\.0\.2 \. 80 /m],
    ['a guard deleted', async () => 'nft delete element inet pont endpoint-guard \'{ 172.18.0.2 }\'', new RegExp(`^firewall: element missing in map endpoint-guard: 172\\.18\\.0\\.2 : jump guard-${web} `, 'm')],
    ['the loopback drop deleted', async () => `nft delete rule inet pont raw-prerouting handle ${await handleOf('raw-prerouting', '127.0.0.0/8')}`, /^firewall: rule missing in chain raw-prerouting: ip daddr 127\.0\.0\.0\/8 iifname != "lo" counter drop /m],
    ['an internal network\'s input guard flushed', async () => `nft flush chain inet pont input-${closed}`, new RegExp(`^firewall: rule missing in chain input-${closed}: meta nfproto ipv4 counter drop `, 'm')],
    ['a rule added by hand', async () => `nft add rule inet pont forward-in-${web} ip saddr 10.0.0.1 accept`, new RegExp(`^firewall: rule pont did not make in chain forward-in-${web}: ip saddr 10\\.0\\.0\\.1 accept `, 'm')],
    ['the table deleted', async () => 'nft delete table inet pont', /^firewall: table inet pont is missing /m],
    ['the whole ruleset flushed (a firewall reload)', async () => 'nft flush ruleset', /^firewall: table inet pont is missing /m],
  ];
  for (const [i, [what, edit, line]] of damage.entries()) {
    await sb.ok(await edit());
    const check = await sb.pont('system check');
    t.is(check.exitCode, 1, what);
    t.regex(check.stdout, line, what);
    t.regex(check.stdout, /^ {4}nft '/m, `${what}: the repair is shown as nft commands`);
    // reload, or any mutating command: every command repairs pont's firewall first
    await sb.ok(i % 2 ? 'pont system reload' : 'pont network create tmp && pont network rm tmp');
    const after = await sb.pont('system check');
    t.is(after.exitCode, 0, `${what}: ${after.stdout}`);
    t.is(await sb.nftTable(), pristine, `${what}: the table is as pont made it`);
  }
  // and it works again: the published port answers, the internal network is still closed
  await addInternet(sb);
  await untilListening(sb, 'w1', 80);
  t.is(await httpGet(sb, 'internet', `http://${UPLINK.host}:8000/`), IT_WORKS);
  await startWhoAmI(sb, 'internet', 7000);
  t.regex(await askWhoAmI(sb, 'c1', UPLINK.remote, 7000), /^failed/);
}, nftables);

sandboxTest('[nftables] pont never touches a table it does not own, and iptables -F leaves pont\'s table alone', async (t, sb) => {
  await sb.ok([
    'nft add table inet mine',
    "nft 'add chain inet mine forward-mine { type filter hook forward priority filter - 10; policy accept; }'",
    "nft 'add set inet mine blocked { type ipv4_addr; elements = { 192.0.2.1 } }'",
    "nft 'add rule inet mine forward-mine ip daddr @blocked counter drop'",
    'iptables -A INPUT -s 192.0.2.7 -j DROP',
  ].join(' && '));
  const theirs = async () => `${await sb.ok('nft -s list table inet mine')}${await sb.ok('iptables-save | grep -v "^#" | sed "s/\\[[0-9:]*\\]//"')}`;
  const before = await theirs();
  await populate(sb);
  await sb.ok('pont network connect web c1 && pont stop w1 && pont start w1 && pont system reload');
  t.is(await theirs(), before, 'while pont works');
  await sb.ok('pont rm -f w1 c1 && pont network prune -f');
  t.is(await theirs(), before, 'after pont removed its own');
  await populate(sb);
  await sb.ok('iptables -F && iptables -t nat -F && iptables -t raw -F');
  t.is((await sb.pont('system check')).exitCode, 0, "an iptables flush is nothing to pont's nftables table");
}, nftables);

sandboxTest('[nftables] --dry-run prints the nft commands, and a bad config value is one line before anything is touched', async (t, sb) => {
  await sb.ok('pont network create web');
  const dry = await sb.ok('pont run --dry-run -d --name d1 --network web -p 8080:80 nginx');
  t.true(dry.split('\n').includes("nft 'add element inet pont ports-any { tcp . 8080 : 172.18.0.2 . 80 }'"), dry);
  t.true(dry.split('\n').includes("nft 'add element inet pont endpoint-guard { 172.18.0.2 : jump guard-" + bridgeName(await idOf(sb, 'web')) + " }'"), dry);
  t.false(dry.includes('iptables'), 'no iptables command with the nftables backend');
  const net = await sb.ok('pont network create --dry-run n2');
  t.regex(net, /^nft 'add chain inet pont isolate-in-pont-[0-9a-f]{10}'$/m);

  const before = await sb.snapshot();
  for (const [config, line] of [
    ['{ "firewall-backend": "nft" }', 'invalid /etc/pont/config.json: "firewall-backend" must be "iptables" or "nftables", not "nft"'],
    ['{ "firewall-backend": "nftables", "iptables": false }', 'invalid /etc/pont/config.json: unknown setting "iptables" (pont knows "firewall-backend", "cluster-store", "cluster-advertise", "cluster-store-opts")'],
    ['{ "firewall-backend": ', 'invalid /etc/pont/config.json: Unexpected end of JSON input'],
  ]) {
    await sb.ok(`cat > /etc/pont/config.json <<'EOF'\n${config}\nEOF`);
    for (const cmd of ['network create n3', 'run -d --name xx alpine sleep 1', 'system check', 'system reload']) {
      const r = await sb.pont(cmd);
      t.not(r.exitCode, 0, `${cmd} with ${config}`);
      t.is(r.stderr, `${line}\n`, `${cmd} with ${config}`);
    }
    t.is(await sb.snapshot(), before, `nothing changed with ${config}`);
    // read-only commands do not need the firewall
    t.is((await sb.pont('network ls -q')).exitCode, 0);
  }
}, nftables);

const dockerMissing = ['/usr/bin/docker', '/usr/sbin/dockerd', '/usr/bin/containerd', '/bin/busybox'].find((f) => !existsSync(f));

// Docker 20.10 writes iptables (iptables-nft here) and sets FORWARD's policy to DROP; pont with
// the nftables backend writes only table inet pont. Each keeps its containers working, once
// FORWARD lets pont's bridges through as pont says (D-nft-foreign-drop).
sandboxTest('[nftables] beside a running Docker (iptables): both publish ports and reach out, neither touches the other\'s rules', async (t, sb) => {
  await addInternet(sb);
  await startWhoAmI(sb, 'internet', 7000);
  const DOCKER = 'DOCKER_HOST=unix:///run/dsock DOCKER_CONFIG=/run/dcfg /usr/bin/docker';
  await sb.ok(
    `mkdir -p /run/dcfg && echo '{}' > /run/daemon.json && (setsid /usr/sbin/dockerd --config-file /run/daemon.json --data-root /run/dd --exec-root /run/dx -H unix:///run/dsock --pidfile /run/dpid </dev/null >>/run/dlog 2>&1 &) ; for i in $(seq 1 300); do ${DOCKER} info >/dev/null 2>&1 && exit 0; sleep 0.1; done; tail -5 /run/dlog; exit 1`,
    { timeoutMs: 60_000 },
  );
  await sb.ok(`R=/run/bbroot; mkdir -p $R/bin $R/www && cp /bin/busybox $R/bin/busybox && for a in $(/bin/busybox --list); do [ -e $R/bin/$a ] || ln -s busybox $R/bin/$a; done && echo docker > $R/www/index.html && tar -C $R -c . | ${DOCKER} import - bb >/dev/null`, { timeoutMs: 60_000 });
  await sb.ok(`${DOCKER} run -d --name dweb -p 8080:80 bb httpd -f -p 80 -h /www`, { timeoutMs: 60_000 });
  t.is((await sb.ok('iptables -S FORWARD')).split('\n')[0], '-P FORWARD DROP', "Docker's FORWARD policy");
  const dockerRules = () => sb.ok('iptables-save | grep -v "^#" | sed "s/\\[[0-9:]*\\]//"');
  const docker = await dockerRules();

  // pont's first command: its default bridge avoids docker0's 172.17.0.0/16, and it names the drop
  const first = await sb.pont('network create web');
  t.is(first.exitCode, 0);
  t.is(first.stderr, `${foreignDropWarning([{ table: 'ip filter', chain: 'FORWARD' }])}\n`);
  await sb.ok('pont run -d --name w1 --network web -p 8000:80 nginx');
  await untilListening(sb, 'w1', 80);
  t.is(await httpGet(sb, 'internet', `http://${UPLINK.host}:8000/`), '', "Docker's FORWARD drops what pont accepted, as pont said");
  t.is(await dockerRules(), docker, "pont wrote nothing to Docker's tables");
  await sb.ok(/(iptables -I FORWARD -i pont\+ -j ACCEPT && iptables -I FORWARD -o pont\+ -j ACCEPT)/.exec(first.stderr)![1]);

  t.is(await httpGet(sb, 'internet', `http://${UPLINK.host}:8000/`), IT_WORKS, "pont's published port");
  t.is((await httpGet(sb, 'internet', `http://${UPLINK.host}:8080/`)).trim(), 'docker', "Docker's published port");
  t.is(await askWhoAmI(sb, 'w1', UPLINK.remote, 7000), UPLINK.host, 'a pont container reaches out, masqueraded');
  const dpid = (await sb.ok(`${DOCKER} inspect -f '{{.State.Pid}}' dweb`)).trim();
  t.is((await sb.ok(`nsenter -t ${dpid} -n /bin/busybox nc -w 3 ${UPLINK.remote} 7000 </dev/null || true`)).trim(), UPLINK.host, 'a Docker container reaches out');
  t.is((await sb.pont('system check')).exitCode, 0);
  // Docker's own restart of its rules leaves pont's table whole
  await sb.ok(`${DOCKER} rm -f dweb && ${DOCKER} run -d --name dweb2 -p 8081:80 bb httpd -f -p 80 -h /www`, { timeoutMs: 60_000 });
  t.is((await sb.pont('system check')).exitCode, 0);
  t.is(await httpGet(sb, 'internet', `http://${UPLINK.host}:8000/`), IT_WORKS);
}, { ...nftables, skip: dockerMissing ? `${dockerMissing} is missing` : false });

sandboxTest('a backend switch in config.json: check names it, the next command moves pont\'s firewall whole, and back again', async (t, sb) => {
  await populate(sb);
  await addInternet(sb);
  const iptables = await sb.ok('iptables-save | grep -v "^#" | sed "s/\\[[0-9:]*\\]//"');
  t.regex(iptables, /^-A PONT /m);
  await sb.ok(`echo '{ "firewall-backend": "nftables" }' > /etc/pont/config.json`);
  const check = await sb.pont('system check');
  t.is(check.exitCode, 1);
  t.regex(check.stdout, /^firewall: pont's firewall is written with iptables, and \/etc\/pont\/config\.json asks for nftables: the next mutating command moves it /m);
  t.regex(check.stdout, /^ {4}iptables -t filter -D FORWARD -j PONT-FORWARD$/m, 'the move shown as commands');
  const reload = await sb.pont('system reload');
  t.is(reload.exitCode, 0, reload.stderr);
  t.regex(reload.stderr, /^pont: moved pont's firewall from iptables to nftables, as \/etc\/pont\/config\.json says$/m);
  t.is((await sb.ok('iptables-save | grep -c PONT || true')).trim(), '0', 'nothing of pont left in iptables');
  t.is((await sb.pont('system check')).exitCode, 0);
  await untilListening(sb, 'w1', 80);
  t.is(await httpGet(sb, 'internet', `http://${UPLINK.host}:8000/`), IT_WORKS, 'the published port answers through nftables');
  await startWhoAmI(sb, 'internet', 7000);
  t.regex(await askWhoAmI(sb, 'c1', UPLINK.remote, 7000), /^failed/, 'the internal network is still closed');
  t.is(await askWhoAmI(sb, 'w1', UPLINK.remote, 7000), UPLINK.host, 'and the other reaches out');

  await sb.ok(`echo '{ "firewall-backend": "iptables" }' > /etc/pont/config.json`);
  const back = await sb.pont('network create n9');
  t.regex(back.stderr, /^pont: moved pont's firewall from nftables to iptables, as \/etc\/pont\/config\.json says$/m);
  await sb.ok('pont network rm n9');
  t.is(await sb.nftTable(), '(no table inet pont)\n', 'the table went whole');
  t.is(await sb.ok('iptables-save | grep -v "^#" | sed "s/\\[[0-9:]*\\]//"'), iptables, 'the same iptables rules as before the round trip');
  t.is(await httpGet(sb, 'internet', `http://${UPLINK.host}:8000/`), IT_WORKS);
});
