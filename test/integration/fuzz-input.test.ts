// Malformed values through every flag that takes a name, address, port, option or filter: each
// call must fail on its own, before anything is touched, with one clear error line on stderr
// (plus, where Docker's CLI prints one, its `See 'pont CMD --help'.` line), nothing on stdout,
// and a non-zero exit; and the whole batch must leave the kernel and the store as they were.
// No case gets an argument count wrong, so Docker's multi-line usage text never applies here.
import { shellLine } from '../../src/core/shell.js';
import { sandboxTest } from '../helpers/root-test.js';
import type { Sandbox } from '../helpers/sandbox.js';

/** Every C0 control character but NUL (impossible in argv), and DEL. */
const CONTROLS = [...Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)), '\x7f'];

/** Eleven control characters for flag number `i`, at the front, middle and end in turn: all are used across flags. */
function withControls(i: number, base: string): string[] {
  return Array.from({ length: 11 }, (_, k) => {
    const c = CONTROLS[(i * 11 + k) % CONTROLS.length];
    return [c + base, base.slice(0, 1) + c + base.slice(1), base + c][k % 3];
  });
}

const PWN = '/run/pwned';
const LONG = 'x'.repeat(5000);

interface Flag {
  /** argv before and after the value */
  before: string[];
  after: string[];
  bad: string[];
  /** a base for control-character variants, valid on its own */
  base: string;
  /** false where control characters are valid (an environment value may hold a newline) */
  controls?: false;
}

const RUN = ['alpine', 'true'];
const FLAGS: Flag[] = [
  // network create
  { before: ['network', 'create'], after: [], base: 'fzname', bad: [''] },
  { before: ['network', 'create', '--subnet'], after: ['n1'], base: '10.70.0.0/16', bad: ['x', '10.0.0.0/33', '10.0.0.0', '256.0.0.0/8', '-1.0.0.0/8', '10.0.0.0/-1', '10.0.0.0/8/8', `$(touch ${PWN})`, '10.0.0.0/8;id', '１０.0.0.0/8', LONG, '::1/64x'] },
  { before: ['network', 'create', '--subnet', '10.70.0.0/16', '--gateway'], after: ['n1'], base: '10.70.0.1', bad: ['x', '10.71.0.1', '999.1.1.1', '-1', '10.70.0.1/24x', LONG, `$(touch ${PWN})`] },
  { before: ['network', 'create', '--subnet', '10.70.0.0/16', '--ip-range'], after: ['n1'], base: '10.70.1.0/24', bad: ['x', '10.71.0.0/24', '10.70.0.0/33', LONG] },
  { before: ['network', 'create', '--subnet', '10.70.0.0/16', '--aux-address'], after: ['n1'], base: 'r=10.70.0.5', bad: ['x', '=10.70.0.5', 'r=x', 'r=10.71.0.5'] },
  {
    before: ['network', 'create', '-o'], after: ['n1'], base: 'com.docker.network.bridge.name=brfz',
    bad: ['+', 'eth+', 'a+b', 'a.b', '.', '..', 'a/b', 'a:b', 'a b', 'abcdefghijklmnop', '-x', 'ünï', `$(touch ${PWN})`, 'a;b', 'x'.repeat(300)].map((v) => `com.docker.network.bridge.name=${v}`),
  },
  {
    before: ['network', 'create', '-d', 'macvlan', '-o'], after: ['n1'], base: 'parent=lo',
    bad: ['+', 'eth+', 'lo+.10', '.', '..', 'a/b.10', 'a b', 'abcdefghijklmnop', 'lo.0', 'lo.4095', 'lo.99999', '-x', `$(touch ${PWN})`, 'nope0', 'nope.10'].map((v) => `parent=${v}`),
  },
  { before: ['network', 'create', '-o'], after: ['n1'], base: 'k=v', bad: ['=x', '=', 'com.docker.network.bridge.enable_icc=maybe', 'com.docker.network.driver.mtu=x', 'com.docker.network.bridge.enable_ip_masquerade=2'] },
  {
    before: ['network', 'create', '-o'], after: ['n1'], base: 'com.docker.network.driver.mtu=1400',
    bad: ['1', '67', '65536', '100000', '4294967297', '-1', '1e3', '0x500', ' 1400', LONG].map((v) => `com.docker.network.driver.mtu=${v}`),
  },
  {
    before: ['network', 'create', '-d', 'macvlan', '-o', 'parent=lo', '-o'], after: ['n1'], base: 'macvlan_mode=bridge',
    bad: ['x', '', 'BRIDGE', 'a b', 'constructor', `$(touch ${PWN})`, LONG].map((v) => `macvlan_mode=${v}`),
  },
  { before: ['network', 'create', '--label'], after: ['n1'], base: 'k=v', bad: ['=x', '=', ' =x'] },
  { before: ['network', 'create', '--ipam-opt'], after: ['n1'], base: 'k=v', bad: ['=x', '='] },
  { before: ['network', 'create', '--ipam-driver'], after: ['n1'], base: 'default', bad: ['x', 'null', 'constructor', '__proto__', `$(touch ${PWN})`, LONG] },
  { before: ['network', 'create', '--scope'], after: ['n1'], base: 'local', bad: ['swarm', 'global', 'LOCAL', 'constructor', `$(touch ${PWN})`, LONG] },
  { before: ['network', 'create', '--driver'], after: ['n1'], base: 'bridge', bad: ['x', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'a b', `$(touch ${PWN})`, 'overlay', 'none', 'host', LONG] },
  // run
  { before: ['run', '--name'], after: RUN, base: 'fzrun', bad: ['a', 'a b', '-x', '_x', '.x', 'a/b', `$(touch ${PWN})`, 'é1', 'x'.repeat(300), '', 'fzc'] },
  { before: ['run', '--network', 'fz', '--ip'], after: RUN, base: '10.50.0.9', bad: ['x', '999.0.0.1', '10.50.0.256', '-1', '1.2.3.4.5', '::1', '10.99.0.5', '10.50.0.1', '10.50.0.2', LONG] },
  {
    before: ['run', '-p'], after: RUN, base: '8080:80',
    bad: ['x', '99999:80', '-1:80', '80:99999', '1.2.3.4.5:80:80', '80/icmp', '80-70:80', ':', '', `$(touch ${PWN})`, 'a:b:c:d', LONG, '[::1]:8080:80', '[::]:8080:80/udp', '[::ffff:127.0.0.1]:8080:80', '[2001:db8::1]::80'],
  },
  { before: ['run', '--expose'], after: RUN, base: '80', bad: ['x', '80:81', '99999', '80/icmp', '-1', '80-70', '80-x', `$(touch ${PWN})`, LONG] },
  { before: ['run', '-e'], after: RUN, base: 'A=b', controls: false, bad: ['=x', '=', '=a=b'] },
  { before: ['run', '--env-file'], after: RUN, base: '/run/fz.env', controls: false, bad: ['/nonexistent', '/run/fz-bad.env', '/run/fz-badname.env', ''] },
  { before: ['run', '--network'], after: RUN, base: 'fz', bad: ['nope', 'a b', '', `$(touch ${PWN})`, 'constructor', LONG] },
  { before: ['run', '--network', 'fz', '--network-alias'], after: RUN, base: 'alias1', bad: ['a b', '', 'x'.repeat(256), ' '] },
  { before: ['run', '--add-host'], after: RUN, base: 'h:1.2.3.4', bad: ['x', ':1.2.3.4', 'a:', 'a:x', 'a b:1.2.3.4', 'a#:1.2.3.4', 'a:1.2.3.4.5', 'a:999.1.1.1', 'a:fe80::1%eth0', `a:$(touch ${PWN})`, LONG] },
  { before: ['run', '--dns'], after: RUN, base: '1.2.3.4', bad: ['x', '1.2.3', '999.1.1.1', '1.2.3.4.5', 'a.b.c.d', `$(touch ${PWN})`, '', LONG] },
  { before: ['run', '--dns-search'], after: RUN, base: 'example.com', bad: ['bad..x', '-bad', '123', 'a'.repeat(300), 'a b', 'a;b', `$(touch ${PWN})`] },
  { before: ['run', '--dns-option'], after: RUN, base: 'ndots:2', bad: ['', 'a b', ' '] },
  { before: ['run', '--mac-address'], after: RUN, base: '92:d0:c6:0a:29:33', bad: ['x', '01:02:03:04:05:06', 'ff:ff:ff:ff:ff:ff', '92:d0:c6:0a:29', '92:d0:c6:0a:29:33:11', 'gg:00:00:00:00:00', '92:d0-c6:0a:29:33', '', LONG] },
  { before: ['run', '--hostname'], after: RUN, base: 'web', bad: ['bad name', '-x', '', 'a'.repeat(65), 'a/b', 'é', `$(touch ${PWN})`, 'a;b'] },
  { before: ['container', 'run', '--dns'], after: RUN, base: '1.2.3.4', bad: ['x', 'a b'] },
  // network connect
  { before: ['network', 'connect', '--ip'], after: ['fz2', 'fzc'], base: '10.51.0.9', bad: ['x', '999.1.1.1', '10.99.0.1', '10.51.0.1', '-1', LONG] },
  { before: ['network', 'connect', '--alias'], after: ['fz2', 'fzc'], base: 'al', bad: ['a b', '', 'x'.repeat(256)] },
  { before: ['network', 'connect'], after: ['fzc'], base: 'fz2', bad: ['nope', 'a b'] },
  // filters
  { before: ['network', 'ls', '--filter'], after: [], base: 'name=fz', bad: ['x=y', 'xy', 'until=1h', 'label!=x', 'dangling=maybe', 'type=x', 'constructor=1', '__proto__=1', 'toString=x', '=x', ''] },
  { before: ['network', 'prune', '-f', '--filter'], after: [], base: 'label=fzkeep', bad: ['driver=bridge', 'name=x', 'until=x', 'xy', 'constructor=1', 'dangling=true', 'id=x', 'type=custom', 'until=-', 'until=1h1'] },
  { before: ['network', 'ls', '--filter'], after: [], base: 'name=fz', bad: ['name=(?<=f)z', 'name=(?=f)', 'name=(?!f)', 'name=(f)\\1', 'name=[', 'name=(?U)f', 'id=(?<n>f)', `name=${'a'.repeat(1025)}`] },
  { before: ['ps', '-a', '--filter'], after: [], base: 'name=fzc', bad: ['name=(?<=f)z', 'name=(a)\\1', 'id=[', 'x=1', 'status=bogus', 'exited=x', 'health=x', 'before=nope', 'since=nope', 'dangling=true', 'constructor=1', 'xy', 'isolation=hyperv', 'is-task=maybe'] },
  { before: ['container', 'ls', '--filter'], after: [], base: 'name=fzc', bad: ['x=1'] },
];

function cases(): string[][] {
  const out: string[][] = [];
  FLAGS.forEach((f, i) => {
    for (const v of [...f.bad, ...(f.controls === false ? [] : withControls(i, f.base))]) out.push([...f.before, v, ...f.after]);
  });
  return out;
}

/**
 * Besides the kernel and the store (Sandbox.snapshot): the files under /etc/netns and /run/pont
 * with their modes, and IP forwarding.
 */
async function hostSnapshot(sb: Sandbox): Promise<string> {
  const files = await sb.ok(`find /etc/netns /run/pont -printf '%p %m %s\\n' | sort; sysctl net.ipv4.ip_forward`);
  return `${await sb.snapshot()}\n${files}`;
}

const HELP_LINE = /^See 'pont [a-z ]+ --help'\.$/;

/** What is wrong with how pont answered `argv`, or null. */
async function check(sb: Sandbox, argv: string[]): Promise<string | null> {
  const r = await sb.sh(shellLine(['pont', ...argv]), { timeoutMs: 30_000 });
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  const oneError = (lines.length === 1 || (lines.length === 2 && HELP_LINE.test(lines[1]))) && !/[\x00-\x09\x0b-\x1f\x7f]/.test(r.stderr);
  // Docker's codes: 125 for what its CLI refuses, 1 for what its daemon does (a Node error of its
  // own, such as exit 9 for a `--env-file` Node took for its option, is neither)
  if ((r.exitCode === 125 || r.exitCode === 1) && r.stdout === '' && oneError) return null;
  return `${JSON.stringify(argv)} → exit ${r.exitCode}, stdout ${JSON.stringify(r.stdout.slice(0, 200))}, stderr ${JSON.stringify(r.stderr.slice(0, 400))}`;
}

sandboxTest('fuzz: 500+ malformed values through every name, address, port, option and filter flag: one error line each, nothing changed', async (t, sb) => {
  await sb.ok('pont network create --subnet 10.50.0.0/16 --label fzkeep fz && pont network create --subnet 10.51.0.0/16 fz2');
  await sb.ok('pont run -d --name fzc --network fz alpine sleep 600');
  await sb.ok(`printf 'A=b\\n' > /run/fz.env; printf '=x\\n' > /run/fz-bad.env; printf 'A B=c\\n' > /run/fz-badname.env`);
  const before = await hostSnapshot(sb);
  const all = cases();
  t.true(all.length >= 500, `only ${all.length} cases`);
  let next = 0;
  const failures: string[] = [];
  // four at a time: the machines have two cores
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < all.length) {
        const failure = await check(sb, all[next++]);
        if (failure) failures.push(failure);
      }
    }),
  );
  t.deepEqual(failures, [], `${failures.length} of ${all.length} calls were not refused on one line`);
  t.is(await hostSnapshot(sb), before);
  t.is((await sb.sh(`test -e ${PWN}`)).exitCode, 1, 'a $(…) payload ran');
  // the legitimate uses of the same flags still work
  await sb.ok(`pont network create --subnet 10.70.0.0/16 --gateway 10.70.0.1 --ip-range 10.70.1.0/24 --aux-address r=10.70.0.5 -o com.docker.network.bridge.name=br_fz-1 --label k=v n1`);
  await sb.ok('pont run -d --name fzrun --network n1 --ip 10.70.1.9 --network-alias alias1 --add-host h:1.2.3.4 --dns 1.2.3.4 --dns-search example.com --dns-option ndots:2 --hostname web --mac-address 92:d0:c6:0a:29:33 -p 127.0.0.1:8080:80 --expose 81 -e A=b --env-file /run/fz.env alpine sleep 600');
  await sb.ok('pont network create -o com.docker.network.driver.mtu=1400 n3 && pont network create -o com.docker.network.driver.mtu=0 n4');
  t.is((await sb.ok(`pont network ls --format '{{.Name}}' --filter 'name=(?i)^N[34]$'`)).trim(), 'n3\nn4');
  t.is((await sb.ok('pont ps -q --filter name=fzrun --filter label=k')).trim(), '');
  t.is((await sb.ok('pont ps -q --no-trunc --filter name=^/fzrun$')).trim().length, 64);
});
