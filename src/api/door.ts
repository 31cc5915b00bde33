// The service's way into the engine, the same modules the CLI reaches. Mutating requests take
// turns: the store's lock is a flock, which one process holding it twice would wait on forever,
// and the engine context of a request is its own (its output collected, not printed).
import { readFileSync } from 'node:fs';
import type { Context } from '../engine/context.js';
import type { State } from '../core/model.js';

let queue: Promise<unknown> = Promise.resolve();
let afterMutate: () => void = () => {};

/** Called after each mutating request (the service's event log reads the store then). */
export function setAfterMutate(fn: () => void): void {
  afterMutate = fn;
}

/** Lines the engine wrote (warnings, notices) while it served a request. */
export interface Collected {
  out: string[];
  err: string[];
}

/** Runs `fn` with a fresh engine context, after every mutating request before it has finished. */
export function mutate<T>(fn: (ctx: Context, said: Collected) => Promise<T>): Promise<T> {
  const run = async () => {
    const { createContext } = await import('../engine/context.js');
    const ctx = await createContext({});
    const said: Collected = { out: [], err: [] };
    // what this request starts is younger than now: a rollback kills only that (kernel/process.ts)
    const since = uptimeTicks();
    Object.assign(ctx, { out: (l: string) => said.out.push(l), err: (l: string) => said.err.push(l), since: () => since });
    try {
      return await fn(ctx, said);
    } finally {
      ctx.kernel.close();
      afterMutate();
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** The store as read-only commands see it: no lock, nothing touched. */
export async function readState(): Promise<State> {
  return (await import('../engine/read-state.js')).readState();
}

/** Clock ticks since boot (USER_HZ is 100 on Linux), as /proc/PID/stat counts a start. */
function uptimeTicks(): number {
  const seconds = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Math.floor(seconds * 100);
}
