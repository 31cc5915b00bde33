// `pont system check | reload | gc` and the firewall repair every mutating command starts with:
// the store is the truth, and damage done behind pont's back (a flush, a deleted bridge, links
// left by a crash) is named, then repaired, with published ports answering again.
import { sandboxTest } from '../helpers/root-test.js';
import { addInternet, httpGet, pings, UPLINK } from '../helpers/world.js';

const waitHttp = (port: number) => `for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && exit 0; sleep 0.1; done; exit 1`;

sandboxTest('after iptables -F and a deleted bridge, check names the damage, reload repairs it, ports answer again', async (t, sb) => {
  await addInternet(sb);
  await sb.ok('pont network create web');
  await sb.ok('pont run -d --name w1 --network web -p 8000:80 nginx');
  await sb.ok('pont run -dit --name b1 alpine && pont run -dit --name b2 alpine');
  await sb.ok(waitHttp(8000));
  const clean = await sb.pont('system check');
  t.is(clean.exitCode, 0, clean.stdout + clean.stderr);
  t.is(clean.stdout, 'the kernel matches the store\n');
  t.regex(await httpGet(sb, 'internet', `http://${UPLINK.host}:8000/`), /It works!/);
  const healthy = await sb.snapshot({ store: false });

  await sb.ok('iptables -F PONT-FORWARD && iptables -t nat -F PONT && iptables -t nat -F POSTROUTING && ip link del pont0');
  t.is(await httpGet(sb, 'internet', `http://${UPLINK.host}:8000/`), '', 'the flush broke the published port');
  const before = await sb.snapshot();
  const damaged = await sb.pont('system check');
  t.is(damaged.exitCode, 1);
  t.regex(damaged.stdout, /^firewall: rule missing in filter: -A PONT-FORWARD -j PONT-USER {2}\[pont system reload\]$/m);
  t.regex(damaged.stdout, /^firewall: rule missing in nat: -A PONT -p tcp -m tcp --dport 8000 -j DNAT --to-destination 172\.18\.0\.2:80 /m);
  t.regex(damaged.stdout, /^firewall: rule missing in nat: -A POSTROUTING -j PONT-POSTROUTING /m);
  t.regex(damaged.stdout, /^network bridge: bridge pont0 is missing {2}\[pont system reload\]$/m);
  t.regex(damaged.stdout, /^ {4}iptables -t nat -A POSTROUTING -j PONT-POSTROUTING$/m, 'the repair is shown as commands');
  t.regex(damaged.stderr, /^\d+ differences between the store and the kernel\n$/);
  t.is(await sb.snapshot(), before, 'check changes nothing');

  await sb.ok('pont system reload');
  const repaired = await sb.pont('system check');
  t.is(repaired.exitCode, 0, repaired.stdout);
  t.is(await sb.snapshot({ store: false }), healthy, 'links, addresses, routes and rules are as they were');
  t.regex(await httpGet(sb, 'internet', `http://${UPLINK.host}:8000/`), /It works!/, 'the published port answers again');
  t.true(await pings(sb, 'b1', '172.17.0.3'), 'containers of the default bridge are back on it');
  t.true(await pings(sb, 'w1', UPLINK.remote), 'NAT out works again');
});

sandboxTest('any mutating command repairs a flushed firewall first; rules of others are left alone', async (t, sb) => {
  await sb.ok('pont network create web && pont run -d --name w1 --network web -p 8000:80 nginx');
  await sb.ok('iptables -N OTHER && iptables -A FORWARD -j OTHER && iptables -A OTHER -s 10.9.9.9 -j DROP && iptables -I PONT-USER -s 10.8.8.8 -j DROP');
  await sb.ok('iptables -F PONT-FORWARD && iptables -t nat -F PONT');
  t.is((await sb.pont('system check')).exitCode, 1);
  await sb.ok('pont network create other');
  const r = await sb.pont('system check');
  t.is(r.exitCode, 0, r.stdout);
  const rules = await sb.ok('iptables-save');
  t.regex(rules, /^-A OTHER -s 10\.9\.9\.9\/32 -j DROP$/m);
  t.regex(rules, /^-A PONT-USER -s 10\.8\.8\.8\/32 -j DROP\n-A PONT-USER -j RETURN$/m, "the user's rule in PONT-USER stays first");
  t.regex(rules, /^-A PONT -p tcp -m tcp --dport 8000 -j DNAT --to-destination 172\.18\.0\.2:80$/m);
});

sandboxTest('gc removes links with pont names that no record owns, and nothing else', async (t, sb) => {
  await sb.ok('pont network create web && pont run -dit --name a1 --network web alpine');
  await sb.ok('ip link add pont-0123456789 type bridge && ip link add pv0badbeefe0 type veth peer name x0 && ip link add br-mine type bridge && ip link add pontoon type bridge');
  const r = await sb.pont('system check');
  t.is(r.exitCode, 1);
  t.regex(r.stdout, /^link pont-0123456789 has a pont name but no record owns it {2}\[pont system gc\]\n {4}ip link del pont-0123456789$/m);
  t.regex(r.stdout, /^link pv0badbeefe0 has a pont name/m);
  t.notRegex(r.stdout, /br-mine|pontoon|x0/);
  t.is((await sb.ok('pont system gc --dry-run')).trim(), 'ip link del pont-0123456789\nip link del pv0badbeefe0\n# record the change in /var/lib/pont/state.json');
  t.regex(await sb.ok('ip -br link'), /pont-0123456789/, 'dry-run removed nothing');
  t.deepEqual((await sb.ok('pont system gc')).trim().split('\n').sort(), ['pont-0123456789', 'pv0badbeefe0']);
  const links = await sb.ok('ip -br link');
  t.notRegex(links, /pont-0123456789|pv0badbeefe0/);
  t.regex(links, /br-mine/);
  t.regex(links, /pontoon/);
  t.is((await sb.pont('system check')).exitCode, 0);
  t.true(await pings(sb, 'a1', '172.18.0.1'), 'the container still reaches its gateway');
});
