// The step runner: observed inverses recorded before each step, exact unwinding, fault injection.
// Runs on an in-memory host (files only), in parallel: no state is shared between tests.
import test from 'ava';
import type { Step } from '../../src/core/steps.js';
import type { Files } from '../../src/kernel/host.js';
import type { StepHost } from '../../src/kernel/ops.js';
import { explainSteps, runSteps } from '../../src/engine/steps.js';

function memoryHost(initial: Record<string, string> = {}): { host: StepHost; files: Map<string, string> } {
  const files = new Map(Object.entries(initial));
  const fs: Files = {
    read: (p) => files.get(p) ?? null,
    write: (p, c) => {
      if (c.includes('FAIL')) throw new Error(`cannot write ${p}`);
      files.set(p, c);
    },
    remove: (p) => void files.delete(p),
    makeDir: () => undefined,
    removeDir: () => 'gone',
    removeTree: () => undefined,
    listFiles: () => [],
    exists: (p) => files.has(p),
  };
  const host = { files: fs, kernel: {}, procs: {}, since: 0, services: {} } as unknown as StepHost;
  return { host, files };
}

const write = (path: string, content: string | null): Step => ({ op: 'file.write', path, content });

test('a failure unwinds exactly the applied steps, in reverse, to what was there', async (t) => {
  const { host, files } = memoryHost({ '/a': 'old a' });
  await t.throwsAsync(runSteps(host, [write('/a', 'new a'), write('/b', 'new b'), write('/c', 'FAIL'), write('/d', 'd')]), { message: 'cannot write /c' });
  t.deepEqual(Object.fromEntries(files), { '/a': 'old a' });
});

test('each inverse is recorded before its step runs', async (t) => {
  const { host } = memoryHost({ '/a': 'old' });
  const recorded: [number, Step[]][] = [];
  await runSteps(host, [write('/a', 'new'), write('/b', 'b')], { record: (i, inv) => recorded.push([i, inv]) });
  t.deepEqual(recorded, [
    [0, [write('/a', 'old')]],
    [1, [write('/b', null)]],
  ]);
});

test('PONT_FAIL_AT_STEP=N fails step N before it is applied, counted across runs of one command', async (t) => {
  const { host, files } = memoryHost();
  const faults = { failAt: 3, crashAt: 0, count: 0 };
  await runSteps(host, [write('/a', 'a'), write('/b', 'b')], { faults });
  await t.throwsAsync(runSteps(host, [write('/c', 'c'), write('/d', 'd')], { faults }), { message: /injected failure at step 3/ });
  t.deepEqual(Object.fromEntries(files), { '/a': 'a', '/b': 'b' });
});

test('a failing commit undoes every step', async (t) => {
  const { host, files } = memoryHost();
  await t.throwsAsync(
    runSteps(host, [write('/a', 'a')], {
      commit: () => {
        throw new Error('disk full');
      },
    }),
    { message: 'disk full' },
  );
  t.deepEqual(Object.fromEntries(files), {});
});

test('dry run prints explanations and applies nothing', (t) => {
  const printed: string[] = [];
  explainSteps([write('/a', 'x'), { op: 'netns.add', name: 'c1' }], 'iptables', (l) => printed.push(l));
  t.deepEqual(printed, ["printf %s x > /a", 'ip netns add c1']);
});
