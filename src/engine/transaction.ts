// A mutating command: lock the store, read it, make sure pont's firewall and the predefined
// networks are in place, plan, then apply every step and the store write all-or-nothing.
// A dry run only reads: it takes no lock (the lock file would be a change of its own) and
// prints the steps, those that would lay down the predefined networks included.
import type { State } from '../core/model.js';
import type { Context } from './context.js';
import { PontError } from '../core/errors.js';
import { firewallMarker } from './firewall-base.js';
import { stopDnsIfUnused } from './dns.js';
import { dropJournal, recoverJournal, writeJournal } from './journal.js';
import { readForwarding, warnIfForwardingOpened } from './forwarding.js';
import { runSteps, type Step } from './steps.js';
import { storeStep } from './store.js';
import { planFirewallRepair, restoreFirewallOrder } from './system/firewall.js';
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
    const recovered = ctx.dryRun ? null : await recoverJournal(ctx.store, ctx.kernel);
    if (recovered) ctx.err(recovered);
    const before = ctx.store.read();
    if (recovered) await stopDnsIfUnused(before);
    const prelude = await prepare(ctx, before, { restore: Boolean(recovered) });
    const p = await plan(prelude.state);
    const steps = [...prelude.steps, ...p.steps, storeStep(ctx.store, before, p.next)];
    if (ctx.dryRun) {
      await runSteps(ctx.kernel, steps, { dryRun: true, print: ctx.out });
      return p.result;
    }
    const forwarding = readForwarding(ctx.kernel);
    await writeJournal(ctx.store, ctx.kernel, before, p.next, steps);
    try {
      await runSteps(ctx.kernel, steps);
    } catch (e) {
      // undone: the journal has nothing left to do (an incomplete undo keeps it for the next command)
      if (!(e instanceof PontError && /^cleanup incomplete/.test(e.message))) {
        if (prelude.savedFirewall !== null) await restoreFirewallOrder(ctx.kernel, before, prelude.savedFirewall);
        dropJournal(ctx.store);
      }
      throw e;
    }
    dropJournal(ctx.store);
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
async function prepare(ctx: Context, state: State, opts: { restore: boolean }): Promise<{ steps: Step[]; state: State; savedFirewall: string | null }> {
  const marker = firewallMarker();
  // after a rollback too: what the crashed command removed (a bridge, say) is brought back
  const restore = opts.restore || state.firewallMarker !== marker;
  const repair = await planFirewallRepair(ctx.kernel, state);
  const world = await planWorld(ctx.kernel, restore ? { ...state, firewallMarker: marker } : state, { restore });
  return { steps: [...repair.steps, ...world.steps], state: world.state, savedFirewall: repair.saved };
}
