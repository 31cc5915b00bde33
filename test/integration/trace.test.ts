// `pont trace` against the real kernel: one probe each, the verdict and the deciding pont rule
// named, for the learners' examples of issue 16; and the tracer's tables never left behind.
import type { ExecutionContext } from 'ava';
import { sandboxTest } from '../helpers/root-test.js';
import type { Sandbox } from '../helpers/sandbox.js';
import { addLan, PC } from '../helpers/lan.js';
import { addInternet, startWhoAmI, UPLINK } from '../helpers/world.js';

const tables = (sb: Sandbox) => sb.ok('nft list tables');

/** `pont trace ARGS`: its output, which must end well and leave no table of its own. */
async function trace(t: ExecutionContext, sb: Sandbox, args: string): Promise<string> {
  const before = await tables(sb);
  const out = await sb.ok(`pont trace ${args}`);
  t.is(await tables(sb), before, `pont trace ${args} leaves the tables as it found them`);
  t.log(`$ pont trace ${args}\n${out}`);
  return out;
}

const line = (out: string, key: 'verdict' | 'reply') => new RegExp(`^${key}: (.*)$`, 'm').exec(out)?.[1] ?? '(none)';
const ipOf = async (sb: Sandbox, name: string) => (await sb.ok(`pont inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' ${name}`)).trim();

async function world(sb: Sandbox): Promise<{ a: string; b: string; c: string }> {
  await addInternet(sb);
  await sb.ok('pont network create n1 && pont network create n2');
  await sb.ok('pont run -d --name ca --network n1 -p 8080:80 alpine sleep 600 && pont run -d --name cb --network n1 alpine sleep 600 && pont run -d --name cc --network n2 alpine sleep 600');
  await startWhoAmI(sb, 'ca', 80);
  return { a: await ipOf(sb, 'ca'), b: await ipOf(sb, 'cb'), c: await ipOf(sb, 'cc') };
}

sandboxTest('trace: container to container on one bridge, to another bridge, to the internet', async (t, sb) => {
  const ip = await world(sb);
  const same = await trace(t, sb, `ca ${ip.b}`);
  t.regex(line(same, 'verdict'), /^accepted by ip filter PONT-FORWARD: iifname "(pont-\w+)" oifname "\1" accept \(pont: containers of \1 \(network n1\) talk to each other \(icc on\)\)/);
  t.regex(same, /bridge: frame entered a bridge from its port pv/);
  t.regex(line(same, 'reply'), /^accepted by ip filter PONT-FORWARD: .*ct state related,established accept/);
  t.regex(same, /^outcome: echo reply received$/m);

  // to a container of another network: its network's subnet guard drops it before routing,
  // and so it does an address of that subnet where no container is
  const guarded = (ipAddr: string) =>
    new RegExp(`^dropped by ip raw PONT-PREROUTING: iifname != "pont-\\w+" ip daddr 172\\.\\d+\\.0\\.0/16 fib daddr type != local drop \\(pont: subnet guard: the containers of 172\\.\\d+\\.0\\.0/16 are reached from their own bridge pont-\\w+ \\(network n2\\) only`);
  const other = await trace(t, sb, `ca ${ip.c}`);
  t.regex(line(other, 'verdict'), guarded(ip.c));
  t.true(line(other, 'verdict').includes(`ip daddr ${ip.c.replace(/\.\d+$/, '.0')}/16`), line(other, 'verdict'));
  t.is(line(other, 'reply'), 'none seen');
  const empty = await trace(t, sb, `ca ${ip.c.replace(/\.\d+$/, '.99')}`);
  t.regex(line(empty, 'verdict'), guarded(ip.c));
  // the other network's gateway is the host's own address: reached, as Docker's is
  const gw = await trace(t, sb, `ca ${ip.c.replace(/\.\d+$/, '.1')}`);
  t.regex(gw, /^outcome: echo reply received$/m);

  const out = await trace(t, sb, `ca ${UPLINK.remote}`);
  t.regex(line(out, 'verdict'), /^accepted by ip filter PONT-FORWARD: .* \(pont: a container of pont-\w+ \(network n1\) going out\); NAT: ip nat PONT-POSTROUTING masquerade$/);
  t.regex(out, /pont: MASQUERADE: containers of 172\.\d+\.0\.0\/16 leaving pont-\w+ \(network n1\) take the host's address/);
  t.regex(out, new RegExp(`^reply packet: icmp echo-reply id \\d+ ${UPLINK.remote} → ${UPLINK.host}$`, 'm'), 'the reply comes back to the masqueraded address');
  t.regex(out, new RegExp(`rewritten: destination ${UPLINK.host} → ${ip.a}`), 'and is un-NATed to the container');
});

sandboxTest('trace: a published port from outside (DNAT) and its reply, from 127.0.0.1, and hairpin', async (t, sb) => {
  const ip = await world(sb);
  const outside = await trace(t, sb, `netns:internet ${UPLINK.host}:8080`);
  t.regex(line(outside, 'verdict'), new RegExp(`^accepted by ip filter PONT: .* \\(pont: published port: forwarded to container ${ip.a} port 80/tcp from outside its bridge\\); NAT: ip nat PONT dnat to ${ip.a}:80$`));
  t.regex(outside, new RegExp(`rewritten: destination ${UPLINK.host}:8080 → ${ip.a}:80`));
  t.regex(outside, /^reply packet: tcp \[syn,ack\] /m, 'the container answered the SYN');
  t.regex(line(outside, 'reply'), /^accepted by ip filter PONT-FORWARD: .*accept/);
  t.regex(outside, /^outcome: connected$/m);

  const local = await trace(t, sb, 'host 127.0.0.1:8080');
  t.regex(line(local, 'verdict'), new RegExp(`^accepted by ip nat PONT: tcp dport 8080 dnat to ${ip.a}:80 \\(pont: published port 8080/tcp → ${ip.a}:80 \\(DNAT\\)\\); NAT: ip nat PONT dnat to ${ip.a}:80, ip nat PONT-POSTROUTING masquerade$`));
  t.regex(local, /pont: a host-local source \(127\.0\.0\.1\) towards pont-\w+ \(network n1\): masqueraded/);
  t.regex(local, /^outcome: connected$/m);

  const hairpin = await trace(t, sb, `ca ${UPLINK.host}:8080`);
  t.regex(hairpin, /pont: hairpin: a container reaching itself through its published port/);
  t.regex(line(hairpin, 'verdict'), /NAT: ip nat PONT dnat to [\d.]+:80, ip nat PONT-POSTROUTING masquerade$/);
  t.regex(hairpin, /^outcome: connected$/m);
});

sandboxTest('trace: a loopback-bound port from a LAN machine is dropped by the raw guard', async (t, sb) => {
  await addLan(sb);
  await sb.ok('ip addr add 192.168.50.2/24 dev lan0');
  await sb.ok('pont run -d --name lo1 -p 127.0.0.1:8081:80 alpine sleep 600');
  await startWhoAmI(sb, 'lo1', 80);
  // what an attacker on the LAN does to send packets for 127.0.0.1 to the host
  await sb.ok(['ip -n pc route add 127.0.0.1/32 via 192.168.50.2 dev eth0 table 100', 'ip -n pc rule add pref 10 to 127.0.0.1 lookup 100', 'ip -n pc rule del pref 0', 'ip -n pc rule add pref 100 lookup local', 'ip netns exec pc sysctl -qw net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.eth0.route_localnet=1'].join(' && '));
  const out = await trace(t, sb, 'netns:pc 127.0.0.1:8081');
  t.regex(out, new RegExp(`^pont trace: tcp SYN ${PC.replace(/\./g, '\\.')}:\\d+ → 127\\.0\\.0\\.1:8081, from namespace pc$`, 'm'));
  t.regex(line(out, 'verdict'), /^dropped by ip raw PONT-PREROUTING: .*ip daddr 127\.0\.0\.0\/8 drop \(pont: loopback guard: 127\.0\.0\.0\/8 never comes from outside the host/);
  t.is(line(out, 'reply'), 'none seen');
  // the host itself still reaches it, through the DNAT
  t.regex(line(await trace(t, sb, 'host 127.0.0.1:8081'), 'verdict'), /^accepted by ip nat PONT: ip daddr 127\.0\.0\.1 tcp dport 8081 dnat to/);
});

sandboxTest('trace: a failed probe and a crash leave no table behind (the journal rolls a crash back)', async (t, sb) => {
  await sb.ok('pont run -d --name ca alpine sleep 600');
  const before = await tables(sb);
  t.false(before.includes('pont-trace'));
  // step 3 is the probe (tables added, steps 1-2): a failure there undoes them at once
  const failed = await sb.sh('PONT_FAIL_AT_STEP=3 pont trace ca 172.17.0.1');
  t.not(failed.exitCode, 0);
  t.regex(failed.stderr, /injected failure at step 3/);
  t.is(await tables(sb), before, 'a failed trace leaves no table');
  const crashed = await sb.sh('PONT_CRASH_AT_STEP=3 pont trace ca 172.17.0.1');
  t.not(crashed.exitCode, 0);
  t.regex(await tables(sb), /table inet pont-trace\ntable bridge pont-trace|table bridge pont-trace[\s\S]*table inet pont-trace|table inet pont-trace[\s\S]*table bridge pont-trace/, 'the crash left the tables, and the journal');
  const next = await sb.ok('pont trace ca 172.17.0.1');
  t.regex(next, /^verdict: accepted/m);
  t.is(await tables(sb), before, 'the next command rolled the crashed trace back');
});

sandboxTest(
  'trace [nftables]: isolation, MASQUERADE and a published port name the chains of table inet pont',
  async (t, sb) => {
    const ip = await world(sb);
    const iso = await trace(t, sb, `ca ${ip.c.replace(/\.\d+$/, '.99')}`);
    t.regex(line(iso, 'verdict'), /^dropped by inet pont isolate-in-pont-\w+: .*oifname @bridges drop \(pont: isolation: /);
    const out = await trace(t, sb, `ca ${UPLINK.remote}`);
    t.regex(out, /inet pont masquerade-pont-\w+\n\s+rule oifname != "pont-\w+" masquerade  → accept\n\s+pont: MASQUERADE: containers leaving pont-\w+ \(network n1\)/);
    const pub = await trace(t, sb, `netns:internet ${UPLINK.host}:8080`);
    t.regex(line(pub, 'verdict'), /^accepted by inet pont forward-out-pont-\w+: .*@published accept \(pont: published port: forwarded to the container from outside its bridge\); NAT: inet pont port-dnat /);
    t.regex(pub, /^outcome: connected$/m);
  },
  { firewall: 'nftables' },
);
