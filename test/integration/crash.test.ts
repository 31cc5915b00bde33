// A crash (SIGKILL just before step N, PONT_CRASH_AT_STEP) at every step of a mutating command:
// the next mutating command (here `pont system gc`) finishes it from the journal: rolled back,
// the kernel and the store are exactly as before; past a kill (rm -f), rolled forward, nothing of
// the container is left. Either way `pont system check` is clean and the same command works.
// run -p and rm -f run on both firewall backends: the journal records which backend a command's
// firewall steps ran on, and the snapshot holds pont's nftables table beside iptables-save.
import type { ExecutionContext } from 'ava';
import { sandboxTest, sandboxTestEachBackend } from '../helpers/root-test.js';
import type { Sandbox } from '../helpers/sandbox.js';

const FILES = 'find /etc/netns /run/pont/containers -mindepth 1 2>/dev/null | sort';
/** `pont cmd` killed at step n: run under a shell that waits for it, so its exit status is bash's 137. */
const crash = (sb: Sandbox, cmd: string, n: number) => sb.sh(`pont ${cmd}; s=$?; exit $s`, { env: { PONT_CRASH_AT_STEP: String(n) } });
// a re-created veth's peer gets the namespace's next ifindex (the kernel's counter): @ifN is left out
const snap = async (sb: Sandbox, store = true) => `${(await sb.snapshot({ store })).replace(/@if\d+:/g, ':')}\n${await sb.ok(FILES)}`;

/** How many steps `cmd` has: the first N at which an injected failure no longer stops it. */
async function stepCount(sb: Sandbox, cmd: string, undo: string): Promise<number> {
  for (let n = 1; n < 60; n++) {
    const r = await sb.pont(cmd, { env: { PONT_FAIL_AT_STEP: String(n) } });
    if (r.exitCode === 0) {
      await sb.ok(undo);
      return n - 1;
    }
  }
  throw new Error(`${cmd}: more than 60 steps?`);
}

/** `undo` reverses `cmd` in the kernel; `sameStore`: in the store too (disconnect does not give back eth1). */
async function crashEverywhere(t: ExecutionContext, sb: Sandbox, cmd: string, undo: string, sameStore = true): Promise<void> {
  const before = await snap(sb);
  const beforeKernel = await snap(sb, sameStore);
  const steps = await stepCount(sb, cmd, undo);
  t.true(steps >= 3, `${cmd}: ${steps} steps`);
  t.is(await snap(sb, sameStore), beforeKernel, 'the failure injection and the undo left nothing');
  const start = sameStore ? before : await snap(sb);
  for (let n = 1; n <= steps; n++) {
    const crashed = await crash(sb, cmd, n);
    t.is(crashed.exitCode, 137, `crash at step ${n}`);
    const pending = await sb.pont('network ls');
    t.regex(pending.stderr, /was interrupted; the next mutating command rolls it back/, `a read-only command says the rollback is pending (step ${n})`);
    const gc = await sb.pont('system gc');
    t.is(gc.exitCode, 0, gc.stderr);
    t.regex(gc.stderr, /^pont: rolled back 'pont .+', which was interrupted before it finished$/m);
    t.is(await snap(sb), start, `${cmd}: crash at step ${n} left nothing after the rollback`);
    const check = await sb.pont('system check');
    t.is(check.exitCode, 0, `check after a crash at step ${n}: ${check.stdout}`);
  }
  await sb.ok(`pont ${cmd}`);
  await sb.ok(undo);
  t.is(await snap(sb, sameStore), beforeKernel, 'the same command works after all those crashes');
}

sandboxTest('a crash at any step of network create is rolled back by the next command', async (t, sb) => {
  await sb.ok('pont network prune -f');
  await crashEverywhere(t, sb, 'network create --subnet 10.20.0.0/16 web', 'pont network rm web');
});

sandboxTestEachBackend('a crash at any step of run (user network, published port, DNS) is rolled back by the next command', async (t, sb) => {
  await sb.ok('pont network create web && pont run -dit --name other --network web alpine');
  await crashEverywhere(t, sb, 'run -d --name c1 --network web --network-alias www -p 8000:80 nginx', 'pont rm -f c1');
});

sandboxTest('a crash at any step of network connect is rolled back by the next command', async (t, sb) => {
  await sb.ok('pont network create web && pont network create back && pont run -dit --name c1 --network web alpine');
  await crashEverywhere(t, sb, 'network connect --alias api back c1', 'pont network disconnect back c1', false);
});

/**
 * Crashes `cmd` at step 1, 2, … until it completes (no step N left). After each crash, gc either
 * rolls it back (the host exactly as before) or, past its point of no return, finishes it
 * (`forward` checks that, then `again` puts the starting point back). Returns the step count.
 */
async function crashEach(t: ExecutionContext, sb: Sandbox, cmd: string, opts: { forward?: () => Promise<void>; again?: string } = {}): Promise<number> {
  let start = await snap(sb);
  for (let n = 1; n < 60; n++) {
    const crashed = await crash(sb, cmd, n);
    if (crashed.exitCode === 0) return n - 1;
    t.is(crashed.exitCode, 137, `${cmd}: crash at step ${n}`);
    const gc = await sb.pont('system gc');
    t.is(gc.exitCode, 0, gc.stderr);
    const check = await sb.pont('system check');
    t.is(check.exitCode, 0, `${cmd}: check after a crash at step ${n}: ${check.stdout}`);
    if (/^pont: rolled back/m.test(gc.stderr)) {
      t.is(await snap(sb), start, `${cmd}: crash at step ${n}, rolled back: exactly as before`);
      continue;
    }
    t.regex(gc.stderr, /^pont: finished 'pont .+', which was interrupted after its point of no return$/m, `${cmd}: crash at step ${n}`);
    t.truthy(opts.forward, `${cmd}: only a command with a point of no return is finished (step ${n})`);
    await opts.forward?.();
    if (opts.again) await sb.ok(opts.again);
    start = await snap(sb);
  }
  throw new Error(`${cmd}: more than 60 steps?`);
}

sandboxTest('a crash at any step of network rm, prune and disconnect is rolled back exactly', async (t, sb) => {
  await sb.ok('pont network create --subnet 10.30.0.0/16 -o com.docker.network.bridge.enable_icc=false web && pont network create back && pont network create spare');
  t.true((await crashEach(t, sb, 'network rm web')) >= 3);
  t.true((await crashEach(t, sb, 'network prune -f')) >= 3);
  await sb.ok('pont network create web && pont network create back && pont run -dit --name c1 --network web alpine && pont network connect --alias api back c1');
  t.true((await crashEach(t, sb, 'network disconnect back c1')) >= 3);
});

sandboxTest('a crash at any step of start and rm is rolled back exactly', async (t, sb) => {
  await sb.ok('pont network create web && pont run -d --name c1 --network web -p 8000:80 nginx && pont stop c1');
  t.true((await crashEach(t, sb, 'start c1')) >= 3);
  t.is((await sb.ok("pont inspect -f '{{.State.Running}}' c1")).trim(), 'true');
  await sb.ok('pont stop c1');
  t.true((await crashEach(t, sb, 'rm c1')) >= 3);
  t.is((await sb.pont('inspect c1')).exitCode, 1, 'rm c1 completed at the end');
});

sandboxTestEachBackend('a crash of rm -f before its kill is rolled back exactly, after it is finished', async (t, sb) => {
  const run = 'pont run -d --name c1 --network web -p 8000:80 nginx';
  await sb.ok(`pont network create web && ${run}`);
  let forward = 0;
  const steps = await crashEach(t, sb, 'rm -f c1', {
    forward: async () => {
      forward++;
      t.is((await sb.pont('inspect c1')).exitCode, 1, 'the container is gone');
      t.is((await sb.ok('(ip netns list; find /etc/netns /run/pont/containers -mindepth 1; ip -o link | grep pv) 2>/dev/null | wc -l')).trim(), '0', 'nothing of it is left');
    },
    again: run,
  });
  t.true(steps >= 8, `rm -f has ${steps} steps`);
  t.true(forward >= 1 && forward < steps, `some crashes rolled forward (${forward} of ${steps})`);
});

// A journal is there all the while its command runs: a read-only command calls it interrupted
// only when no one holds the store's lock as it reads it (CI saw `pont wait` call a running
// `container-exited` interrupted, 2026-12-03). Here a crashed command's journal, and the lock
// held by hand as a running command would hold it.
sandboxTest('a read-only command calls a journal interrupted only while no process holds the store', async (t, sb) => {
  await sb.ok('pont network create n1');
  t.is((await crash(sb, 'network create n2', 2)).exitCode, 137);
  t.regex((await sb.pont('network ls')).stderr, /^pont: 'pont network create n2' was interrupted; the next mutating command rolls it back/m, 'no holder: a crash');
  const held = 'flock -n /var/lib/pont/lock true; [ $? = 1 ]';
  await sb.ok(`setsid flock /var/lib/pont/lock sleep 3 >/dev/null 2>&1 & for i in $(seq 50); do ${held} && exit 0; sleep 0.05; done; exit 1`);
  const busy = await sb.pont('network ls');
  t.is(busy.exitCode, 0);
  t.is(busy.stderr, '', 'a holder: a command running, nothing said');
  t.regex(busy.stdout, /\bn1\b/);
  await sb.ok(`for i in $(seq 100); do ${held} || exit 0; sleep 0.05; done; exit 1`);
  t.regex((await sb.pont('network ls')).stderr, /was interrupted; the next mutating command rolls it back/, 'the holder gone: a crash again');
  t.regex((await sb.pont('system gc')).stderr, /^pont: rolled back 'pont network create n2'/m);
});
