// Bridge networks on the real kernel, each test in its own throwaway host sandbox.
import { sandboxTest } from '../helpers/root-test.js';

sandboxTest('create gives 172.18.0.0/16 then 172.19.0.0/16, with the bridge, its address and MASQUERADE in the kernel', async (t, sb) => {
  const id = (await sb.ok('pont network create mon-bridge')).trim();
  t.regex(id, /^[0-9a-f]{64}$/);
  const cfg = JSON.parse(await sb.ok(`pont network inspect -f '{{json .IPAM.Config}}' mon-bridge`));
  t.deepEqual(cfg, [{ Subnet: '172.18.0.0/16', Gateway: '172.18.0.1' }]);
  await sb.ok('pont network create n2');
  t.is((await sb.ok(`pont network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}' n2`)).trim(), '172.19.0.0/16 172.19.0.1');

  const br = `pont-${id.slice(0, 10)}`;
  const link = JSON.parse(await sb.ok(`ip -j -d link show ${br}`))[0];
  t.is(link.linkinfo.info_kind, 'bridge');
  t.true(link.flags.includes('UP'));
  const addr = JSON.parse(await sb.ok(`ip -j -4 addr show ${br}`))[0].addr_info[0];
  t.is(`${addr.local}/${addr.prefixlen}`, '172.18.0.1/16');
  t.is(addr.broadcast, '172.18.255.255');
  const nat = await sb.ok('iptables-save -t nat');
  t.true(nat.includes(`-A PONT-POSTROUTING -s 172.18.0.0/16 ! -o ${br} -j MASQUERADE`));
  t.is((await sb.ok('cat /proc/sys/net/ipv4/ip_forward')).trim(), '1');
  // the default bridge exists beside it, under pont's own name
  t.is(JSON.parse(await sb.ok('ip -j -4 addr show pont0'))[0].addr_info[0].local, '172.17.0.1');
});

sandboxTest("auto-chosen pools avoid the host's addresses and routes, named with their device when none is left", async (t, sb) => {
  await sb.ok('pont network prune -f'); // the predefined networks first: pont0 takes 172.17.0.0/16
  // a LAN-side link among others (a veth pair, as this kernel may lack dummy links)
  await sb.ok(`ip link add lan9 type veth peer name lan9p && ip link set lan9 up && ip link set lan9p up
    for i in 1 2 3 4 5 6; do ip link add x$i type veth peer name y$i; done
    ip addr add 172.18.0.9/24 dev lan9`);
  await sb.ok('pont network create n1');
  t.is((await sb.ok(`pont network inspect -f '{{range .IPAM.Config}}{{.Subnet}}{{end}}' n1`)).trim(), '172.19.0.0/16', '172.18.0.0/16 holds an address of the host');
  await sb.ok('ip route add 172.16.0.0/12 dev lan9 && ip route add 192.168.0.0/16 dev lan9');
  const r = await sb.pont('network create n2');
  t.is(r.exitCode, 1);
  const [error, hint] = r.stderr.replace(/^WARNING: .*\n/m, '').split('\n');
  t.is(error, 'Error response from daemon: could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
  // from the pool after the last chosen, round to it; 172.19.0.0/16 is n1's, not the host's
  t.true(hint.startsWith('pools skipped because they overlap the host: 172.20.0.0/16 (route 172.16.0.0/12 dev lan9), 172.21.0.0/16 (route 172.16.0.0/12 dev lan9),'), hint);
  t.true(hint.endsWith(', 192.168.240.0/20 (route 192.168.0.0/16 dev lan9), 172.18.0.0/16 (route 172.16.0.0/12 dev lan9)'), hint);
  t.false(hint.includes('172.19.0.0/16'));
});

sandboxTest('rm leaves nothing of the network in the kernel nor in the store', async (t, sb) => {
  await sb.ok('pont network prune -f'); // lays down the predefined networks and base chains (a read-only command creates nothing)
  const before = await sb.snapshot({ store: false });
  const id = (await sb.ok('pont network create mon-bridge')).trim();
  t.not(await sb.snapshot({ store: false }), before);
  t.is(await sb.ok('pont network rm mon-bridge'), 'mon-bridge\n');
  const after = await sb.snapshot({ store: false });
  t.false(after.includes(id.slice(0, 10)));
  // the kernel is as before; the store only remembers the pool cursor (Docker's round-robin)
  t.is(after, before);
  t.false((await sb.ok('cat /var/lib/pont/state.json')).includes(id));
  const r = await sb.pont('network inspect mon-bridge');
  t.is(r.exitCode, 1);
  t.is(r.stderr.trim(), 'Error: No such network: mon-bridge');
});

sandboxTest('--subnet and --gateway from the seed are honoured; --ip-range and --aux-address are shown like Docker', async (t, sb) => {
  await sb.ok('pont network create --subnet=172.16.86.0/24 --gateway=172.16.86.1 mon-bridge');
  const doc = JSON.parse(await sb.ok('pont network inspect mon-bridge'))[0];
  t.deepEqual(doc.IPAM, { Driver: 'default', Options: {}, Config: [{ Subnet: '172.16.86.0/24', Gateway: '172.16.86.1' }] });
  const br = JSON.parse(await sb.ok(`ip -j -4 addr show pont-${doc.Id.slice(0, 10)}`))[0].addr_info[0];
  t.is(`${br.local}/${br.prefixlen}`, '172.16.86.1/24');
  await sb.ok('pont network create --subnet 10.10.0.0/16 --ip-range 10.10.5.0/24 --aux-address router=10.10.0.2 other');
  const cfg = JSON.parse(await sb.ok(`pont network inspect -f '{{json .IPAM.Config}}' other`));
  // no --gateway: Docker shows no Gateway key (the bridge still gets .1)
  t.deepEqual(cfg, [{ Subnet: '10.10.0.0/16', IPRange: '10.10.5.0/24', AuxiliaryAddresses: { router: '10.10.0.2' } }]);
});

sandboxTest('inspect has Docker\'s shape and key order; ls lists the predefined networks', async (t, sb) => {
  await sb.ok('pont network create --label env=dev -o com.docker.network.bridge.name=monbr mon-bridge');
  const doc = JSON.parse(await sb.ok('pont network inspect mon-bridge'))[0];
  t.deepEqual(Object.keys(doc), [
    'Name', 'Id', 'Created', 'Scope', 'Driver', 'EnableIPv6', 'IPAM', 'Internal', 'Attachable', 'Ingress', 'ConfigFrom', 'ConfigOnly', 'Containers', 'Options', 'Labels',
  ]);
  t.is(doc.Scope, 'local');
  t.deepEqual(doc.Labels, { env: 'dev' });
  t.deepEqual(doc.Options, { 'com.docker.network.bridge.name': 'monbr' });
  t.true(JSON.parse(await sb.ok('ip -j link show monbr'))[0].flags.includes('UP'));
  const names = (await sb.ok(`pont network ls --format '{{.Name}} {{.Driver}} {{.Scope}}'`)).trim().split('\n');
  t.deepEqual(names, ['bridge bridge local', 'host host local', 'mon-bridge bridge local', 'none null local']);
  const table = (await sb.ok('pont network ls')).split('\n');
  t.regex(table[0], /^NETWORK ID +NAME +DRIVER +SCOPE$/);
  t.is((await sb.ok('pont network ls -q')).trim().split('\n').length, 4);
  t.deepEqual((await sb.ok(`pont network ls --filter type=custom --format '{{.Name}}'`)).trim(), 'mon-bridge');
  t.deepEqual((await sb.ok(`pont network ls -f driver=null --format '{{.Name}}'`)).trim(), 'none');
  const bridge = JSON.parse(await sb.ok('pont network inspect bridge'))[0];
  t.is(bridge.Options['com.docker.network.bridge.default_bridge'], 'true');
  t.deepEqual(bridge.IPAM, { Driver: 'default', Options: null, Config: [{ Subnet: '172.17.0.0/16' }] });
});

sandboxTest("a bridge name that a link pont did not make already has is refused before anything is touched; the link is left as it was", async (t, sb) => {
  await sb.ok('pont network prune -f'); // lays down the predefined networks
  await sb.ok('ip link add mine type bridge && ip link set mine up');
  const link = await sb.ok('ip -br link show mine; ip -br -4 addr show mine; ip link show master mine');
  const before = await sb.snapshot();
  const r = await sb.pont('network create -o com.docker.network.bridge.name=mine adopt');
  t.is(r.exitCode, 1);
  t.regex(r.stderr.trim(), /^Error response from daemon: cannot create network [0-9a-f]{64} \(mine\): a link named mine already exists on this host, and pont only uses bridges it makes: choose another com\.docker\.network\.bridge\.name$/);
  t.is(await sb.snapshot(), before);
  t.is(await sb.ok('ip -br link show mine; ip -br -4 addr show mine; ip link show master mine'), link);
  t.is((await sb.pont('network inspect adopt')).exitCode, 1);

  // a bridge a crashed create left is pont's: a dry run (which rolls nothing back) shows the
  // create, and the real command rolls the crash back, then creates
  const crashed = await sb.pont('network create -o com.docker.network.bridge.name=br1 n1', { env: { PONT_CRASH_AT_STEP: '2' } });
  t.not(crashed.exitCode, 0);
  t.true(JSON.parse(await sb.ok('ip -j link show br1')).length === 1, 'the crash left the bridge');
  const dry = await sb.pont('network create --dry-run -o com.docker.network.bridge.name=br1 n1');
  t.is(dry.exitCode, 0, dry.stderr);
  t.regex(dry.stdout, /^ip link add br1 /m);
  const real = await sb.pont('network create -o com.docker.network.bridge.name=br1 n1');
  t.is(real.exitCode, 0, real.stderr);
  t.regex(real.stderr, /rolled back 'pont network create -o com.docker.network.bridge.name=br1 n1'/);
});

sandboxTest('bad input gets Docker\'s line and exit 1, and nothing is touched', async (t, sb) => {
  await sb.ok('pont network create mon-bridge');
  const before = await sb.snapshot();
  const cases: [string, string][] = [
    ['network create mon-bridge', 'Error response from daemon: network with name mon-bridge already exists'],
    ['network create --driver host mon-host', 'Error response from daemon: only one instance of "host" network is allowed'],
    ['network create --driver foo x', 'Error response from daemon: plugin "foo" not found'],
    ['network create --subnet 10.0.0.0/33 x', 'Error response from daemon: Invalid subnet 10.0.0.0/33 : invalid CIDR address: 10.0.0.0/33'],
    ['network create --subnet 10.0.0.0/24 --gateway 10.0.1.1 x', 'no matching subnet for gateway 10.0.1.1'],
    ['network create --gateway 10.0.1.1 x', 'every ip-range or gateway must have a corresponding subnet'],
    // a leading zero, which inet_aton would read as octal: refused in Docker's words (Go's net.ParseIP)
    ['network create --subnet 010.0.0.0/16 x', 'Error response from daemon: Invalid subnet 010.0.0.0/16 : invalid CIDR address: 010.0.0.0/16'],
    ['network create --subnet 010.0.0.0/16 --gateway 10.0.0.1 x', 'invalid subnet: invalid CIDR address: 010.0.0.0/16'],
    ['network create --subnet 10.0.0.0/24 --gateway 10.0.0.01 x', 'no matching subnet for gateway 10.0.0.01'],
    ['network create --subnet 10.0.0.0/24 --ip-range 10.0.0.00/25 x', 'invalid CIDR address: 10.0.0.00/25'],
    ['network create --driver null x', 'Error response from daemon: only one instance of "null" network is allowed'],
    ['network create --driver none x', 'Error response from daemon: plugin "none" not found'],
    ['network create bridge', 'Error response from daemon: operation is not permitted on predefined bridge network'],
    ['network create -o com.docker.network.driver.mtu=abc x', 'Error response from daemon: failed to parse com.docker.network.driver.mtu value: abc (strconv.Atoi: parsing "abc": invalid syntax)'],
    ['network ls --filter foo=bar', "Error response from daemon: Invalid filter 'foo'"],
    ['network create --subnet 172.18.1.0/24 x', 'Error response from daemon: Pool overlaps with other one on this address space'],
    ['network rm bridge', 'Error response from daemon: bridge is a pre-defined network and cannot be removed'],
    ['network rm host', 'Error response from daemon: host is a pre-defined network and cannot be removed'],
    ['network rm nosuch', 'Error: No such network: nosuch'],
    ['network create -o com.docker.network.bridge.enable_icc=maybe x', 'Error response from daemon: failed to parse com.docker.network.bridge.enable_icc value: maybe (strconv.ParseBool: parsing "maybe": invalid syntax)'],
  ];
  for (const [args, line] of cases) {
    const r = await sb.pont(args);
    t.is(r.exitCode, 1, args);
    t.is(r.stderr.trim(), line, args);
    t.is(r.stdout, '', args);
  }
  t.is(await sb.snapshot(), before);
});

sandboxTest("the seed's typo (two names) is answered as Docker does, plus a hint", async (t, sb) => {
  const r = await sb.pont('network create bridge --subnet=172.16.86.0/24 --gateway=172.16.86.1 mon-bridge');
  t.is(r.exitCode, 1);
  const lines = r.stderr.trim().split('\n');
  t.is(lines[0], '"pont network create" requires exactly 1 argument.');
  t.is(lines[1], "See 'pont network create --help'.");
  t.is(lines.at(-1), 'hint: to choose the driver, write: pont network create --driver bridge mon-bridge');
  t.false((await sb.ok('ip -br link')).includes('pont-'));
});

sandboxTest('an injected failure at any step of create leaves no bridge, no rule and no state entry', async (t, sb) => {
  await sb.ok('pont network prune -f'); // lays down the predefined networks and base chains (a read-only command creates nothing)
  const before = await sb.snapshot();
  // network create plans 6 kernel steps (bridge, address, up, two sysctls, one firewall batch)
  // before the store write (see runtime's full disk for that one): fail each in turn
  const steps = (await sb.ok('pont network create --dry-run mon-bridge')).trim().split('\n');
  t.is(steps.filter((l) => !l.startsWith('iptables') && !l.startsWith('#')).length + 1, 6);
  for (let n = 1; n <= 6; n++) {
    const r = await sb.pont('network create mon-bridge', { env: { PONT_FAIL_AT_STEP: String(n) } });
    t.is(r.exitCode, 1, `step ${n}`);
    t.regex(r.stderr, new RegExp(`injected failure at step ${n}`));
    t.is(await sb.snapshot(), before, `after failing step ${n}`);
  }
  // and the same command without the fault works
  await sb.ok('pont network create mon-bridge');
  t.not(await sb.snapshot(), before);
});

sandboxTest('twenty creates at once get twenty distinct, non-overlapping subnets', async (t, sb) => {
  await sb.ok('pont network prune -f'); // lays down the predefined networks and base chains (a read-only command creates nothing)
  await sb.ok(`for i in $(seq 1 20); do pont network create net$i >/dev/null & done; for p in $(jobs -p); do wait $p || exit 1; done`, { timeoutMs: 120_000 });
  const subnets = (await sb.ok(`pont network ls -q --filter type=custom | xargs pont network inspect -f '{{range .IPAM.Config}}{{.Subnet}}{{end}}'`))
    .trim()
    .split('\n');
  t.is(subnets.length, 20);
  t.is(new Set(subnets).size, 20);
  const expected = [...Array.from({ length: 14 }, (_, i) => `172.${18 + i}.0.0/16`), ...Array.from({ length: 6 }, (_, i) => `192.168.${i * 16}.0/20`)];
  t.deepEqual([...subnets].sort(), [...expected].sort());
  t.is((await sb.ok('ip -br link | grep -c "^pont-"')).trim(), '20');
});

sandboxTest('--dry-run prints the ip/iptables/sysctl commands and changes nothing', async (t, sb) => {
  await sb.ok('pont network prune -f'); // lays down the predefined networks and base chains (a read-only command creates nothing)
  const before = await sb.snapshot();
  const out = await sb.ok('pont network create --dry-run --subnet 10.20.0.0/16 mon-bridge');
  const lines = out.trim().split('\n');
  t.regex(lines[0], /^ip link add pont-[0-9a-f]{10} address 02:42(:[0-9a-f]{2}){4} type bridge$/);
  t.regex(lines[1], /^ip addr add 10\.20\.0\.1\/16 brd \+ dev pont-[0-9a-f]{10}$/);
  t.true(lines.includes('sysctl -w net.ipv4.ip_forward=1'));
  t.true(lines.some((l) => /^iptables -t nat -A PONT-POSTROUTING -s 10\.20\.0\.0\/16 ! -o pont-\w+ -j MASQUERADE$/.test(l)));
  t.is(await sb.snapshot(), before);
  await sb.ok('pont network create mon-bridge');
  const rm = await sb.ok('pont network rm --dry-run mon-bridge');
  t.regex(rm, /iptables -t nat -D PONT-POSTROUTING -s 172\.18\.0\.0\/16/);
  t.regex(rm, /ip link del pont-/);
  t.is((await sb.ok(`pont network ls --format '{{.Name}}' -f name=mon`)).trim(), 'mon-bridge');
});

sandboxTest('prune removes unused user networks and prints them like Docker', async (t, sb) => {
  await sb.ok('pont network create a1 && pont network create a2');
  const out = await sb.ok('pont network prune -f');
  t.is(out, 'Deleted Networks:\na1\na2\n\n');
  t.is((await sb.ok(`pont network ls --format '{{.Name}}'`)).trim(), 'bridge\nhost\nnone');
  t.false((await sb.ok('iptables-save')).includes('172.18.0.0'));
});

sandboxTest('first use in a fresh host installs pont chains beside foreign rules without touching them', async (t, sb) => {
  await sb.ok('iptables -N DOCKER-USER && iptables -A FORWARD -j DOCKER-USER && iptables -A DOCKER-USER -j RETURN && iptables -P FORWARD DROP');
  await sb.ok('pont network create mon-bridge');
  const save = await sb.ok('iptables-save -t filter');
  t.true(save.includes(':FORWARD DROP'));
  t.true(save.includes('-A FORWARD -j DOCKER-USER'));
  t.true(save.includes('-A DOCKER-USER -j RETURN'));
  t.regex(save, /-A FORWARD -j PONT-FORWARD\n-A FORWARD -j DOCKER-USER/);
  await sb.ok('pont network rm mon-bridge');
  t.true((await sb.ok('iptables-save -t filter')).includes('-A DOCKER-USER -j RETURN'));
});

sandboxTest('teardown is idempotent: rm works when the bridge or some rules are already gone', async (t, sb) => {
  await sb.ok('pont network create gone && pont network create half');
  const br = (await sb.ok(`pont network inspect -f '{{.Id}}' gone`)).trim().slice(0, 10);
  // someone deleted the bridge and its rules (or the machine rebooted with the store kept)
  await sb.ok(`ip link del pont-${br} && iptables-save | grep -v 'pont-${br}' | iptables-restore`);
  t.is(await sb.ok('pont network rm gone'), 'gone\n');
  // only the MASQUERADE rule of the other one is gone
  await sb.ok(`iptables -t nat -D PONT-POSTROUTING -s 172.19.0.0/16 ! -o pont-$(pont network inspect -f '{{.Id}}' half | cut -c1-10) -j MASQUERADE`);
  t.is(await sb.ok('pont network rm half'), 'half\n');
  const save = await sb.ok('iptables-save');
  t.false(/172\.1[89]\.0\.0|pont-(?!0)/.test(save.replace(/pont-[a-z]/gi, (m) => m)), save);
});

sandboxTest('after a reboot (kernel objects gone, store kept) read-only commands show dead containers as exited and change nothing; the first mutating command brings the networks back', async (t, sb) => {
  await sb.ok('pont network create mon-bridge && pont run -d --name keep --network mon-bridge alpine sleep 300 && pont run -d --rm --name tmp --network mon-bridge alpine sleep 300');
  const before = await sb.ok('ip -o link | awk \'{print $2}\' | grep pont | sort');
  // what a reboot does: processes, namespaces, links and rules vanish; /var/lib/pont stays
  await sb.ok(`node -e "for (const c of require('/var/lib/pont/state.json').containers) for (const p of [c.monitorPid, c.pid]) try { process.kill(p, 9) } catch {}"
    for ns in $(ip netns list | cut -d' ' -f1); do ip netns del $ns; done
    for l in $(ip -o link | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E '^(pont|pv)'); do ip link del $l 2>/dev/null; done
    iptables-save | grep -v -E 'PONT|^:' | iptables-restore
    sed -i 's/"firewallMarker": *"[^"]*"/"firewallMarker":"old-boot"/' /var/lib/pont/state.json`);
  t.is(await sb.ok('ip -o link | grep -c pont || true'), '0\n');
  // read-only commands show the world as the next mutating command will record it, and change nothing
  const rebooted = await sb.snapshot();
  t.regex(await sb.ok('pont network ls'), /mon-bridge/);
  const ps = await sb.ok('pont ps -a --format "{{.Names}} {{.State}}"');
  t.is(ps, 'keep exited\n', 'the --rm container is forgotten, the other one is shown as exited');
  t.regex(await sb.ok('pont network graph'), /network mon-bridge \(bridge\)[^]*container keep [0-9a-f]{12} \(exited\)/);
  t.is(await sb.snapshot(), rebooted);
  // the first mutating command brings the networks back and records the dead containers
  t.is(await sb.ok('pont rm keep'), 'keep\n');
  t.is(await sb.ok('ip -o link | awk \'{print $2}\' | grep pont | sort'), before);
  t.regex(await sb.ok('iptables-save -t nat'), /-A PONT-POSTROUTING -s 172\.18\.0\.0\/16 ! -o pont-\w+ -j MASQUERADE/);
  t.is(await sb.ok('pont ps -a --format "{{.Names}} {{.State}}"'), '');
  await sb.ok('pont run -d --name again --network mon-bridge alpine sleep 300');
  t.is((await sb.ok(`pont inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' again`)).trim(), '172.18.0.2');
});
