// CNI DEL and GC through pont: the endpoints go as `network disconnect` takes them (default route
// first, then the driver's detach, the address back to the network's book); the record goes with
// its last endpoint. Idempotent: an attachment pont does not know is already deleted. A namespace
// the runtime removed already took the container's ends with it: only the host's side is undone.
import type { ContainerRecord, State } from '../../core/model.js';
import type { Step } from '../../core/steps.js';
import type { Context } from '../context.js';
import { planDefaultRoute, planDetach } from '../endpoints.js';
import { heresFor } from '../overlay.js';
import { transact } from '../transaction.js';
import { type CniDetachRequest, externalRecord } from './attachment.js';
import { replaceRecord, withoutRecord } from '../../core/record-list.js';

export async function cniDel(ctx: Context, req: CniDetachRequest): Promise<void> {
  await transact(ctx, async (state) => {
    const ctr = externalRecord(state, req.containerId);
    if (!ctr || !ctr.endpoints.some((e) => e.ifname === req.ifname)) return { steps: [], next: state, result: undefined };
    const d = await planDetachExternal(ctx, state, ctr, [req.ifname]);
    return { ...d, result: undefined, after: ctx.dns.stopIfUnused };
  });
}

/**
 * CNI GC: every attachment of a runtime's container to `network` that is not in `valid` is
 * deleted (SPEC: the runtime lists the attachments still valid). Returns how many went.
 */
export async function cniGc(ctx: Context, req: { network: string; valid: { containerId: string; ifname: string }[] }): Promise<number> {
  const keep = new Set(req.valid.map((a) => `${a.containerId}\0${a.ifname}`));
  return transact(ctx, async (state) => {
    const net = state.networks.find((n) => n.name === req.network || n.id === req.network);
    if (!net) return { steps: [], next: state, result: 0 };
    let next = state;
    const steps: Step[] = [];
    let count = 0;
    for (const ctr of state.containers.filter((c) => c.external)) {
      const stale = ctr.endpoints.filter((e) => e.networkId === net.id && !keep.has(`${ctr.external!.containerId}\0${e.ifname}`)).map((e) => e.ifname);
      if (!stale.length) continue;
      const d = await planDetachExternal(ctx, next, next.containers.find((c) => c.id === ctr.id)!, stale);
      steps.push(...d.steps);
      next = d.next;
      count += stale.length;
    }
    return { steps, next, result: count, after: ctx.dns.stopIfUnused };
  });
}

/** Every endpoint of a runtime's container (`pont rm -f` of it), the record with them. */
export const planExternalTeardown = (ctx: Context, state: State, ctr: ContainerRecord) => planDetachExternal(ctx, state, ctr, ctr.endpoints.map((e) => e.ifname));

async function planDetachExternal(ctx: Context, state: State, ctr: ContainerRecord, ifnames: string[]): Promise<{ steps: Step[]; next: State }> {
  const hereOf = await heresFor(ctx, state, ctr);
  const nsThere = ctx.kernel.netnsExists(ctr.netns);
  let after = ctr;
  let networks = state.networks;
  const detach: Step[] = [];
  for (const ep of ctr.endpoints.filter((e) => ifnames.includes(e.ifname))) {
    const net = networks.find((n) => n.id === ep.networkId);
    if (!net) continue;
    const d = planDetach(after, net, hereOf(net));
    detach.push(...d.steps);
    after = d.container;
    networks = networks.map((n) => (n.id === net.id ? d.network : n));
  }
  // the default route moves first, while the old interface is there (as disconnect does)
  let steps = [...planDefaultRoute(ctr, after, networks), ...detach];
  if (!nsThere) steps = steps.filter((s) => !('netns' in s) || s.netns !== ctr.netns);
  const containers = after.endpoints.length ? replaceRecord(state.containers, ctr, after) : withoutRecord(state.containers, ctr);
  return { steps, next: { ...state, networks, containers } };
}
