// A crash (SIGKILL just before step N, PONT_CRASH_AT_STEP) at every step of a mutating command:
// the next mutating command (here `pont system gc`) rolls it back from the journal, leaving the
// kernel and the store exactly as before, `pont system check` clean, and the same command works.
// Commands that remove things cannot put back what was deleted before the crash: for them the
// rollback leaves a consistent store (check passes) and redoing the command leaves nothing.
import type { ExecutionContext } from 'ava';
import { sandboxTest } from '../helpers/root-test.js';
import type { Sandbox } from '../helpers/sandbox.js';

const FILES = 'find /etc/netns /run/pont/containers -mindepth 1 2>/dev/null | sort';
/** `pont cmd` killed at step n: run under a shell that waits for it, so its exit status is bash's 137. */
const crash = (sb: Sandbox, cmd: string, n: number) => sb.sh(`pont ${cmd}; s=$?; exit $s`, { env: { PONT_CRASH_AT_STEP: String(n) } });
const snap = async (sb: Sandbox, store = true) => `${await sb.snapshot({ store })}\n${await sb.ok(FILES)}`;

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

sandboxTest('a crash at any step of run (user network, published port, DNS) is rolled back by the next command', async (t, sb) => {
  await sb.ok('pont network create web && pont run -dit --name other --network web alpine');
  await crashEverywhere(t, sb, 'run -d --name c1 --network web --network-alias www -p 8000:80 nginx', 'pont rm -f c1');
});

sandboxTest('a crash at any step of network connect is rolled back by the next command', async (t, sb) => {
  await sb.ok('pont network create web && pont network create back && pont run -dit --name c1 --network web alpine');
  await crashEverywhere(t, sb, 'network connect --alias api back c1', 'pont network disconnect back c1', false);
});

sandboxTest('a crash at any step of rm -f leaves a store that matches the kernel, and rm -f then leaves nothing', async (t, sb) => {
  await sb.ok('pont network create web');
  const empty = await snap(sb);
  const steps = await stepCount(sb, 'rm -f c1', 'true').catch(() => 0);
  t.is(steps, 0, 'rm -f of a missing container fails at every step count');
  await sb.ok('pont run -d --name c1 --network web -p 8000:80 nginx');
  const r = await sb.pont('rm -f c1', { env: { PONT_FAIL_AT_STEP: '1' } });
  t.not(r.exitCode, 0);
  let n = 1;
  for (; n < 40; n++) {
    const crashed = await crash(sb, 'rm -f c1', n);
    if (crashed.exitCode === 0) break;
    t.is(crashed.exitCode, 137);
    await sb.ok('pont system gc');
    // what rm -f removed before the crash (its process first) cannot be put back: check names it
    const check = await sb.pont('system check');
    const findings = check.stdout.split('\n').filter((l) => l && !l.startsWith('    ') && l !== 'the kernel matches the store');
    t.true(findings.every((l) => /^container c1: /.test(l)), `only the half-removed container differs: ${check.stdout}`);
    await sb.ok('pont rm -f c1');
    t.is((await sb.pont('system check')).exitCode, 0);
    t.is(await snap(sb), empty, `crash of rm -f at step ${n}, then rm -f: nothing left`);
    await sb.ok('pont run -d --name c1 --network web -p 8000:80 nginx');
  }
  t.true(n > 3, `rm -f has ${n - 1} steps`);
});
