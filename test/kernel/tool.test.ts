// Running a tool as the firewall batches do (kernel/tool.ts): posix_spawn where koffi is, its
// input on stdin, its output back, its failure as a KernelError. `sh` stands in for the tool:
// nothing here touches a network.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { KernelError } from '../../src/core/errors.js';
import { canPosixSpawn } from '../../src/kernel/spawn.js';
import { runTool } from '../../src/kernel/tool.js';

test('this machine takes the posix_spawn path (glibc, koffi)', (t) => {
  t.true(canPosixSpawn());
});

test('stdin in, stdout back; the environment is inherited', async (t) => {
  process.env.PONT_TOOL_TEST = 'seen';
  t.is(await runTool('sh', ['-c', 'cat; printf " $PONT_TOOL_TEST"'], 'line 1\nline 2\n'), 'line 1\nline 2\n seen');
  t.is(await runTool('sh', ['-c', 'cat'], ''), '', 'no input: stdin closed at once');
});

test('an input larger than a pipe, echoed back while it is written', async (t) => {
  const big = 'x'.repeat(3 * 1024 * 1024);
  t.is((await runTool('sh', ['-c', 'cat'], big)).length, big.length);
});

test('a failure names the command and says what it wrote on stderr, else its exit code', async (t) => {
  const e = await t.throwsAsync(runTool('sh', ['-c', 'echo "bad rule" >&2; exit 3'], 'x'), { instanceOf: KernelError });
  t.is(e.message, 'kernel refused: sh -c echo "bad rule" >&2; exit 3: bad rule');
  const quiet = await t.throwsAsync(runTool('sh', ['-c', 'exit 4']), { instanceOf: KernelError });
  t.regex(quiet.message, /: exit 4$/);
  const killed = await t.throwsAsync(runTool('sh', ['-c', 'kill -9 $$']), { instanceOf: KernelError });
  t.regex(killed.message, /: killed by signal 9$/);
});

test('a tool that exits without reading its input, and a missing tool', async (t) => {
  t.is(await runTool('sh', ['-c', 'echo early'], 'y'.repeat(1024 * 1024)), 'early\n');
  const e = await t.throwsAsync(runTool('pont-no-such-tool', ['-x']), { instanceOf: KernelError });
  t.is(e.message, 'kernel refused: pont-no-such-tool -x: spawn pont-no-such-tool ENOENT');
});

test('the child starts with default signal actions (Node ignores SIGPIPE; the child must not)', async (t) => {
  // SigIgn is the mask of ignored signals: none, glibc's internal 32 and 33 included (sigfillset
  // leaves them out, and posix_spawn would leave them ignored)
  t.regex(await runTool('sh', ['-c', 'grep SigIgn /proc/self/status']), /^SigIgn:\s+0{16}\n$/);
});

test('a tool that writes more than a pipe holds on stderr before its stdout ends still gets its error told', async (t) => {
  const e = await t.throwsAsync(runTool('sh', ['-c', 'head -c 200000 /dev/zero | tr "\\0" e >&2; echo out; exit 1'], 'x'), { instanceOf: KernelError });
  t.true(e.message.endsWith(`: ${'e'.repeat(200000)}`));
});

test('PATH is searched as execvp does: a directory of the same name earlier is passed over', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-path-'));
  const saved = process.env.PATH;
  try {
    mkdirSync(`${dir}/a/pont-tool-test`, { recursive: true }); // a directory: not the tool
    mkdirSync(`${dir}/b`);
    writeFileSync(`${dir}/b/pont-tool-test`, '#!/bin/sh\necho found\n', { mode: 0o755 });
    process.env.PATH = `${dir}/a:${dir}/b:${saved}`;
    t.is(await runTool('pont-tool-test', []), 'found\n');
  } finally {
    process.env.PATH = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fds handed to a child (keep) are its fds 3…, open until it ends: a flock on one is held while it runs', async (t) => {
  const { closeSync, openSync } = await import('node:fs');
  const { flock, LOCK_EX, tryFlockExclusive } = await import('../../src/kernel/syscalls.js');
  const { posixSpawn, reapChild } = await import('../../src/kernel/spawn.js');
  const dir = mkdtempSync(join(tmpdir(), 'pont-keep-'));
  try {
    const lock = join(dir, 'lock');
    const fd = openSync(lock, 'a');
    flock(fd, LOCK_EX);
    const devNull = openSync('/dev/null', 'r+');
    // the child proves fd 3 is the file, then holds it a while
    const pid = posixSpawn('sh', ['-c', `[ "$(readlink /proc/self/fd/3)" = "${lock}" ] && sleep 0.3`], { stdio: [devNull, devNull, devNull], env: process.env, keep: [fd] });
    closeSync(devNull);
    closeSync(fd);
    const other = openSync(lock, 'a');
    t.false(tryFlockExclusive(other), 'held by the child after this process closed its fd');
    let exit = reapChild(pid);
    while (!exit) {
      await new Promise((r) => setTimeout(r, 10));
      exit = reapChild(pid);
    }
    t.is(exit.code, 0, 'fd 3 in the child is the lock file');
    t.true(tryFlockExclusive(other), 'free once the child has ended');
    closeSync(other);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
