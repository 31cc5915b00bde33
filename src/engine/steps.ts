// One reversible-step model for every change pont makes. A Step is plain data with three
// renderings: apply, undo, and explain (the equivalent ip / iptables / sysctl line).
// runSteps applies in order and, on any failure, undoes exactly the applied steps in reverse.
// Fault injection for tests lives here and nowhere else: PONT_FAIL_AT_STEP=N makes step N
// (1-based, counted across the whole command) fail before it is applied, PONT_CRASH_AT_STEP=N
// kills the process with SIGKILL just before it.
import type { Kernel } from '../kernel/kernel.js';
import { PontError } from '../core/errors.js';
import type { FirewallBatch } from '../core/firewall/rules.js';

export interface Step {
  /** Equivalent shell commands, shown by --dry-run and explain output. */
  explain(): string[];
  /** The equivalent commands of undo(), for teardown explanations. */
  explainUndo(): string[];
  apply(k: Kernel): Promise<void>;
  /** Best-effort and idempotent: undoing what is already gone succeeds. */
  undo(k: Kernel): Promise<void>;
  /** A firewall step's batch: what the store implies of the firewall is read from the plans. */
  readonly firewall?: FirewallBatch;
  /** The kernel object or directory this step creates, recorded in the journal before it runs. */
  readonly creates?: Created;
}

/** Something a step brings into existence, which the rollback of a crashed command removes. */
export type Created = { kind: 'netns' | 'link' | 'dir'; name: string };

export class InjectedFault extends PontError {
  constructor(n: number) {
    super(`injected failure at step ${n} (PONT_FAIL_AT_STEP)`, { category: 'internal' });
  }
}

export interface RunOptions {
  dryRun?: boolean;
  /** Where explanations go in dry-run mode. */
  print?: (line: string) => void;
}

let stepCounter = 0;
/** Steps are numbered across one process (a command may run several transactions). */
export function resetStepCounter(): void {
  stepCounter = 0;
}

export async function runSteps(k: Kernel, steps: Step[], opts: RunOptions = {}): Promise<void> {
  if (opts.dryRun) {
    for (const s of steps) for (const line of s.explain()) (opts.print ?? console.log)(line);
    return;
  }
  const failAt = Number(process.env.PONT_FAIL_AT_STEP ?? 0);
  // a crash (kill -9, power loss) just before step N: what the journal's rollback must survive
  const crashAt = Number(process.env.PONT_CRASH_AT_STEP ?? 0);
  const applied: Step[] = [];
  try {
    for (const s of steps) {
      stepCounter++;
      if (crashAt && stepCounter === crashAt) process.kill(process.pid, 'SIGKILL');
      if (failAt && stepCounter === failAt) throw new InjectedFault(failAt);
      await s.apply(k);
      applied.push(s);
    }
  } catch (err) {
    await undoAll(k, applied.reverse());
    throw err;
  }
}

/** Teardown: run every undo, keep going past failures, report them all at the end. */
export async function undoAll(k: Kernel, steps: Step[]): Promise<void> {
  const failures: string[] = [];
  for (const s of steps) {
    try {
      await s.undo(k);
    } catch (e) {
      failures.push(`${s.explain().join('; ')}: ${(e as Error).message}`);
    }
  }
  if (failures.length) {
    throw new PontError(`cleanup incomplete: ${failures.join(' | ')}`, { category: 'kernel' });
  }
}

/** The inverse of a list of steps, as steps: used by teardown paths (network rm). */
export function inverse(steps: Step[]): Step[] {
  return [...steps].reverse().map((s) => ({
    explain: () => s.explainUndo(),
    explainUndo: () => s.explain(),
    apply: (k: Kernel) => s.undo(k),
    undo: (k: Kernel) => s.apply(k),
  }));
}
