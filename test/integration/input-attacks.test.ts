// The attacks of issue 10's input findings, performed against the real CLI in a sandbox: each
// must fail before anything is touched, and the legitimate use of the same flag must still work.
import { sandboxTest } from '../helpers/root-test.js';

sandboxTest('a bridge named eth+ (iptables wildcard) is refused; a plain name still names the bridge', async (t, sb) => {
  const before = await sb.snapshot();
  for (const name of ['eth+', '+', 'a.b']) {
    const r = await sb.pont(`network create -o com.docker.network.bridge.name=${name} wild`);
    t.not(r.exitCode, 0, name);
    t.regex(r.stderr, /^Error response from daemon: invalid bridge name "[^"]+": .+\n$/);
  }
  t.is(await sb.snapshot(), before);
  t.notRegex(await sb.ok('iptables-save'), /-[io] (eth)?\+ /);

  await sb.ok('pont network create -o com.docker.network.bridge.name=br_ok-1 tame');
  t.regex(await sb.ok('ip -o link show br_ok-1'), /br_ok-1/);
  t.regex(await sb.ok('iptables-save -t filter'), /-A PONT-FORWARD -i br_ok-1 ! -o br_ok-1 -j ACCEPT/);
});

sandboxTest('a newline in --add-host, --dns-option, --dns-search or --hostname cannot add lines to /etc/hosts or resolv.conf', async (t, sb) => {
  const before = await sb.snapshot();
  const attacks = [
    `--add-host $'good\\n6.6.6.6 evil:1.2.3.4'`,
    `--dns-option $'ndots:1\\nnameserver 6.6.6.6'`,
    `--dns-search $'lan\\nnameserver 6.6.6.6'`,
    `--hostname $'web\\n6.6.6.6 evil'`,
    `--dns $'1.2.3.4\\nnameserver 6.6.6.6'`,
  ];
  for (const flag of attacks) {
    const r = await sb.pont(`run -d --name victim ${flag} alpine sleep 300`);
    t.is(r.exitCode, 125, flag);
    t.regex(r.stderr, /^invalid argument ".*" for ".*" flag: [^\n]+\nSee 'pont run --help'\.\n$/, flag);
  }
  t.is(await sb.snapshot(), before);
  t.is((await sb.sh('ls /etc/netns')).stdout, '');

  await sb.ok('pont run -d --name victim --add-host good:1.2.3.4 --dns 10.9.9.9 --dns-option ndots:2 --dns-search lan --hostname web alpine sleep 300');
  const hosts = await sb.ok('cat /etc/netns/victim/hosts');
  t.is(hosts.split('\n').filter((l) => l.includes('good')).length, 1);
  t.notRegex(hosts, /evil|6\.6\.6\.6/);
  t.is(await sb.ok('cat /etc/netns/victim/resolv.conf'), 'search lan\nnameserver 10.9.9.9\noptions ndots:2\n');
  t.is((await sb.ok('pont exec victim hostname')).trim(), 'web');
});

sandboxTest('network prune --filter label=constructor removes nothing; label=keep removes exactly the labelled network', async (t, sb) => {
  await sb.ok('pont network create --label keep=1 labelled && pont network create plain');
  const before = await sb.snapshot();
  for (const f of ['label=constructor', 'label=toString', 'label=__proto__']) {
    const r = await sb.pont(`network prune -f --filter ${f}`);
    t.is(r.exitCode, 0, f);
    t.is(r.stdout, '', f);
  }
  t.is((await sb.ok('pont network ls -q --filter label=constructor')).trim(), '');
  t.is(await sb.snapshot(), before);
  const r = await sb.pont('network prune -f --filter x=1');
  t.is(r.stderr, "Error response from daemon: Invalid filter 'x'\n");
  t.is(await sb.snapshot(), before);

  t.is(await sb.ok('pont network prune -f --filter label=keep'), 'Deleted Networks:\nlabelled\n\n');
  t.is((await sb.ok(`pont network ls --format '{{.Name}}' --filter type=custom`)).trim(), 'plain');
});
