// The service's way into the engine, the same modules the CLI reaches. Each mutating request
// gets an engine context of its own (its output collected, not printed) whose store waits for
// the lock without blocking the event loop: requests, and CLI commands beside them, take turns
// on the store's flock as separate CLI processes do, and a slow one (a stop waiting for its
// container) delays no other.
import { readFileSync } from 'node:fs';
import type { Context } from '../engine/context.js';
import type { State } from '../core/model.js';

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

/** Runs `fn` with a fresh engine context. */
export async function mutate<T>(fn: (ctx: Context, said: Collected) => Promise<T>): Promise<T> {
  const [{ createContext }, { runsResident }] = await Promise.all([import('../engine/context.js'), import('../kernel/spawn.js')]);
  runsResident();
  const ctx = await createContext({});
  ctx.store.waitWithoutBlocking = true;
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
