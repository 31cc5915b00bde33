// --explain (issue 16): the change is made, and what it did is printed on stderr as commands a
// learner can paste; stdout stays what scripts read. Pasted into another host, they make the same.
import { sandboxTest } from '../helpers/root-test.js';
import { Sandbox } from '../helpers/sandbox.js';

sandboxTest('network create --explain makes the network, prints only its id on stdout, and commands that make the same bridge elsewhere', async (t, sb) => {
  const r = await sb.pont('network create --explain mon-bridge');
  t.is(r.exitCode, 0, r.stderr);
  t.regex(r.stdout, /^[0-9a-f]{64}\n$/, 'stdout: the id, as without --explain');
  t.regex(r.stderr, /^# pont: pont network create --explain mon-bridge did, as commands:$/m);
  const bridge = `pont-${r.stdout.slice(0, 10)}`;
  t.regex(r.stderr, new RegExp(`^ip link add ${bridge} address [0-9a-f:]+ type bridge$`, 'm'));
  t.regex(r.stderr, new RegExp(`^ip addr add 172\\.18\\.0\\.1/16 brd \\+ dev ${bridge}$`, 'm'));
  t.regex(r.stderr, /iptables-restore --noflush|iptables -t nat -A|\*nat/);
  t.regex(await sb.ok(`ip -4 -br addr show ${bridge}`), /172\.18\.0\.1\/16/, 'the change was made');

  // the same commands, pasted into a host where pont never ran, make the same bridge and address
  const other = await Sandbox.create();
  t.teardown(() => other.destroy());
  const script = r.stderr.split('\n').filter((l) => l && !l.startsWith('pont:') && !l.startsWith('WARNING')).join('\n');
  const pasted = await other.sh(`set -e\n${script}`);
  t.is(pasted.exitCode, 0, `${pasted.stderr}\n${script}`);
  t.regex(await other.ok(`ip -4 -br addr show ${bridge}`), /172\.18\.0\.1\/16/);
  t.regex(await other.ok('iptables-save -t nat'), /-A PONT-POSTROUTING -s 172\.18\.0\.0\/16 ! -o pont-[0-9a-f]{10} -j MASQUERADE/);
});

sandboxTest('run --explain prints the namespace, veth, address and process lines; rm --explain the teardown', async (t, sb) => {
  await sb.ok('pont network create mon-bridge');
  const r = await sb.pont('run -d --explain --name alpine1 --network mon-bridge alpine sleep 300');
  t.is(r.exitCode, 0, r.stderr);
  t.regex(r.stdout, /^[0-9a-f]{64}\n$/);
  t.regex(r.stderr, /^ip netns add alpine1$/m);
  t.regex(r.stderr, /type veth peer name eth0 netns alpine1/);
  t.regex(r.stderr, /^ip -n alpine1 addr add 172\.18\.0\.2\/16 brd \+ dev eth0$/m);
  const rm = await sb.pont('rm -f --explain alpine1');
  t.is(rm.stdout, 'alpine1\n');
  t.regex(rm.stderr, /^ip netns del alpine1$/m);
});
