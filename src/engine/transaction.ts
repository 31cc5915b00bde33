// A mutating command: lock the store, read it, make sure pont's firewall and the predefined
// networks are in place, plan, then apply every step and the store write all-or-nothing.
// A dry run only reads: it takes no lock (the lock file would be a change of its own) and
// prints the steps, those that would lay down the predefined networks included.
import type { State } from '../core/model.js';
import type { Context } from './context.js';
import { firewallMarker } from './firewall-base.js';
import { readForwarding, warnIfForwardingOpened } from './forwarding.js';
import { runSteps, type Step } from './steps.js';
import { storeStep } from './store.js';
import { planFirewallRepair } from './system/firewall.js';
import { planWorld } from './world.js';

export { hostPrefixes } from './world.js';

export interface Plan<T> {
  steps: Step[];
  next: State;
  result: T;
  /** Runs after the store is written, still under its lock (e.g. stop the resolver if unused). */
  after?: (next: State) => Promise<void> | void;
}

export async function transact<T>(ctx: Context, plan: (state: State) => Promise<Plan<T>> | Plan<T>): Promise<T> {
  if (!ctx.dryRun) ctx.store.lock();
  try {
    const before = ctx.store.read();
    const prelude = await prepare(ctx, before);
    const p = await plan(prelude.state);
    const steps = [...prelude.steps, ...p.steps, storeStep(ctx.store, before, p.next)];
    if (ctx.dryRun) {
      await runSteps(ctx.kernel, steps, { dryRun: true, print: ctx.out });
      return p.result;
    }
    const forwarding = readForwarding(ctx.kernel);
    await runSteps(ctx.kernel, steps);
    await warnIfForwardingOpened(ctx, forwarding);
    if (p.after) await p.after(p.next);
    return p.result;
  } finally {
    ctx.store.unlock();
  }
}

/**
 * What every mutating command starts with: pont's firewall as the store implies it (a flush, a
 * firewalld reload or a reboot removed it; one iptables-save tells), and after a reboot the
 * networks brought back and the dead containers recorded; on a fresh host, the predefined networks.
 */
async function prepare(ctx: Context, state: State): Promise<{ steps: Step[]; state: State }> {
  const marker = firewallMarker();
  const restore = state.firewallMarker !== marker;
  const repair = await planFirewallRepair(ctx.kernel, state);
  const world = await planWorld(ctx.kernel, restore ? { ...state, firewallMarker: marker } : state, { restore });
  return { steps: [...repair, ...world.steps], state: world.state };
}
