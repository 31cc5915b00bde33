import test from 'ava';
import { runSteps, type Step, resetStepCounter } from '../../src/engine/steps.js';
import type { Kernel } from '../../src/kernel/kernel.js';

/** A step that records into a log; `fail` makes apply throw. */
function recStep(log: string[], name: string, fail = false): Step {
  return {
    explain: () => [`do ${name}`],
    explainUndo: () => [`undo ${name}`],
    apply: async () => {
      if (fail) throw new Error(`${name} failed`);
      log.push(`+${name}`);
    },
    undo: async () => {
      log.push(`-${name}`);
    },
  };
}
const k = {} as Kernel;

test.serial('a failure unwinds exactly the applied steps, in reverse', async (t) => {
  const log: string[] = [];
  resetStepCounter();
  await t.throwsAsync(runSteps(k, [recStep(log, 'a'), recStep(log, 'b'), recStep(log, 'c', true), recStep(log, 'd')]), {
    message: 'c failed',
  });
  t.deepEqual(log, ['+a', '+b', '-b', '-a']);
});

test.serial('PONT_FAIL_AT_STEP=N fails step N before it is applied', async (t) => {
  const log: string[] = [];
  resetStepCounter();
  process.env.PONT_FAIL_AT_STEP = '2';
  try {
    await t.throwsAsync(runSteps(k, [recStep(log, 'a'), recStep(log, 'b'), recStep(log, 'c')]), { message: /injected failure at step 2/ });
  } finally {
    delete process.env.PONT_FAIL_AT_STEP;
  }
  t.deepEqual(log, ['+a', '-a']);
});

test.serial('dry run prints explanations and applies nothing', async (t) => {
  const log: string[] = [];
  const printed: string[] = [];
  await runSteps(k, [recStep(log, 'a'), recStep(log, 'b')], { dryRun: true, print: (l) => printed.push(l) });
  t.deepEqual(log, []);
  t.deepEqual(printed, ['do a', 'do b']);
});
