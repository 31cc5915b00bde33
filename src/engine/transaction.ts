// A mutating command: lock the store, read it, make sure the predefined networks and pont's
// base chains exist, plan, then apply every step and the store write all-or-nothing.
import type { HostPrefix } from '../core/ipam.js';
import { cidrFromString } from '../core/ipv4.js';
import type { State } from '../core/model.js';
import { firewallStep } from '../kernel/steps.js';
import type { Context } from './context.js';
import { defaultNetworks } from './defaults.js';
import { planBaseFirewall } from './firewall-base.js';
import { driverFor } from '../drivers/registry.js';
import { runSteps, type Step } from './steps.js';
import { storeStep } from './store.js';

export interface Plan<T> {
  steps: Step[];
  next: State;
  result: T;
  /** Runs after the store is written, still under its lock (e.g. stop the resolver if unused). */
  after?: (next: State) => Promise<void> | void;
}

export async function transact<T>(ctx: Context, plan: (state: State) => Promise<Plan<T>> | Plan<T>): Promise<T> {
  ctx.store.lock();
  try {
    const before = ctx.store.read();
    const prelude = await prepare(ctx, before);
    const p = await plan(prelude.state);
    const steps = [...prelude.steps, ...p.steps, storeStep(ctx.store, before, p.next)];
    await runSteps(ctx.kernel, steps, { dryRun: ctx.dryRun, print: ctx.out });
    if (!ctx.dryRun && p.after) await p.after(p.next);
    return p.result;
  } finally {
    ctx.store.unlock();
  }
}

async function prepare(ctx: Context, state: State): Promise<{ steps: Step[]; state: State }> {
  const steps: Step[] = [];
  let next = state;
  const base = await planBaseFirewall(ctx.kernel, state.firewallMarker);
  if (base) {
    steps.push(firewallStep(base.batch));
    next = { ...next, firewallMarker: base.marker };
  }
  if (!next.networks.some((n) => n.predefined)) {
    const defaults = defaultNetworks(await hostPrefixes(ctx, next));
    for (const n of defaults.networks) steps.push(...driverFor(n.driver).planCreate(n));
    next = { ...next, networks: [...defaults.networks, ...next.networks], poolCursor: defaults.cursor };
  }
  return { steps, state: next };
}

/** Routes and addresses of the host that are not pont's own: auto-chosen pools avoid them. */
export async function hostPrefixes(ctx: Context, state: State): Promise<HostPrefix[]> {
  const mine = new Set(state.networks.map((n) => n.bridge).filter(Boolean));
  const [routes, addrs] = await Promise.all([ctx.kernel.listRoutes(), ctx.kernel.listAddresses()]);
  const out: HostPrefix[] = [];
  for (const r of routes) {
    if (r.dst === 'default' || (r.dev && mine.has(r.dev))) continue;
    out.push({ cidr: cidrFromString(r.dst), what: `route ${r.dst}${r.dev ? ` dev ${r.dev}` : ''}` });
  }
  for (const a of addrs) {
    if (mine.has(a.dev) || a.dev === 'lo') continue;
    out.push({ cidr: cidrFromString(a.cidr.split('/')[0] + '/32'), what: `address ${a.cidr} on ${a.dev}` });
  }
  return out;
}
