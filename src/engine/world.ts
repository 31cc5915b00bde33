// The world every command expects: the predefined networks, and after a reboot the networks the
// store describes brought back and the containers that died with it recorded. planWorld only
// reads the kernel: a mutating command applies its steps (transaction.ts), a read-only command
// shows its state and changes nothing (read-state.ts).
import { type HostPrefix, releaseAddresses } from '../core/ipam.js';
import { cidrFromString } from '../core/ipv4.js';
import type { State } from '../core/model.js';
import { driverFor } from '../drivers/registry.js';
import type { Kernel } from '../kernel/kernel.js';
import { defaultNetworks, hostOrigin } from './defaults.js';
import type { Step } from '../core/steps.js';

export async function planWorld(k: Kernel, state: State, opts: { restore: boolean }): Promise<{ steps: Step[]; state: State }> {
  const steps: Step[] = [];
  let next = state;
  if (opts.restore) {
    // a new boot (or namespace): the store outlived the kernel objects it describes
    const restored = await planRestore(k, next);
    steps.push(...restored.steps);
    next = restored.state;
  }
  if (!next.networks.some((n) => n.predefined)) {
    const defaults = defaultNetworks(await hostPrefixes({ kernel: k }, next), hostOrigin());
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
export async function planRestore(k: Kernel, state: State): Promise<{ steps: Step[]; state: State }> {
  const links = new Set((await k.listLinks()).map((l) => l.name));
  const steps: Step[] = [];
  for (const n of state.networks) {
    const missing = n.driver === 'bridge' ? !links.has(n.bridge!) : Boolean(n.createdParent && !links.has(n.parent!));
    // its firewall rules are the firewall repair's to restore (transaction.ts), not these steps'
    if (missing) steps.push(...driverFor(n.driver).planCreate(n).filter((s) => s.op !== 'fw.add'));
  }
  const dead = state.containers.filter((c) => c.netns && c.running && !k.netnsExists(c.netns));
  if (!dead.length) return { steps, state };
  const gone = new Set(dead.filter((c) => c.autoRemove).map((c) => c.id));
  const released = new Map<string, Set<string>>();
  for (const c of dead) if (gone.has(c.id)) for (const e of c.endpoints) (released.get(e.networkId) ?? released.set(e.networkId, new Set()).get(e.networkId)!).add(e.ipAddress);
  return {
    steps,
    state: {
      ...state,
      networks: state.networks.map((n) => (released.has(n.id) ? { ...n, book: releaseAddresses(n.book, released.get(n.id)!) } : n)),
      containers: state.containers
        .filter((c) => !gone.has(c.id))
        .map((c) => (dead.includes(c) ? { ...c, running: false, pid: 0, monitorPid: 0, pidStart: undefined, monitorPidStart: undefined, exitCode: 255, finishedAt: c.startedAt } : c)),
    },
  };
}

/** Routes and addresses of the host that are not pont's own: auto-chosen pools avoid them. */
export async function hostPrefixes(ctx: { kernel: Kernel }, state: State): Promise<HostPrefix[]> {
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
