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
    // a new boot (or namespace): the store outlived the kernel objects it describes
    const restored = await planRestore(ctx, next);
    steps.push(...restored.steps);
    next = restored.state;
  }
  if (!next.networks.some((n) => n.predefined)) {
    const defaults = defaultNetworks(await hostPrefixes(ctx, next));
    for (const n of defaults.networks) steps.push(...driverFor(n.driver).planCreate(n));
    next = { ...next, networks: [...defaults.networks, ...next.networks], poolCursor: defaults.cursor };
  }
  return { steps, state: next };
}

/**
 * Brings back the networks the store describes whose links are gone (after a reboot, Docker's
 * daemon re-creates its networks the same way at start), and records as exited the containers
 * whose namespace is gone with their processes (a --rm one is forgotten).
 */
async function planRestore(ctx: Context, state: State): Promise<{ steps: Step[]; state: State }> {
  const links = new Set((await ctx.kernel.listLinks()).map((l) => l.name));
  const steps: Step[] = [];
  for (const n of state.networks) {
    const missing = n.driver === 'bridge' ? !links.has(n.bridge!) : Boolean(n.createdParent && !links.has(n.parent!));
    if (missing) steps.push(...driverFor(n.driver).planCreate(n));
  }
  const dead = state.containers.filter((c) => c.netns && c.running && !ctx.kernel.netnsExists(c.netns));
  if (!dead.length) return { steps, state };
  const gone = new Set(dead.filter((c) => c.autoRemove).map((c) => c.id));
  const released = new Map<string, Set<string>>();
  for (const c of dead) if (gone.has(c.id)) for (const e of c.endpoints) (released.get(e.networkId) ?? released.set(e.networkId, new Set()).get(e.networkId)!).add(e.ipAddress);
  return {
    steps,
    state: {
      ...state,
      networks: state.networks.map((n) => (released.has(n.id) ? { ...n, book: { allocated: n.book.allocated.filter((a) => !released.get(n.id)!.has(a)) } } : n)),
      containers: state.containers
        .filter((c) => !gone.has(c.id))
        .map((c) => (dead.includes(c) ? { ...c, running: false, pid: 0, monitorPid: 0, pidStart: undefined, monitorPidStart: undefined, exitCode: 255, finishedAt: c.startedAt } : c)),
    },
  };
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
