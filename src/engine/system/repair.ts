// `pont system reload` and `pont system gc`: plans built from the difference between the store and
// the kernel, applied like any other command (lock, steps, all or nothing). The firewall part is
// done by every mutating command's prelude (transaction.ts); these add the rest.
import type { State } from '../../core/model.js';
import type { LinkInfo } from '../../kernel/kernel.js';
import type { Context } from '../context.js';
import type { Step } from '../../core/steps.js';
import { transact } from '../transaction.js';
import { planRestore } from '../world.js';
import { orphanLinks } from './check.js';

/** Re-applies what the store describes: firewall, missing or downed bridges, the resolver. */
export async function reloadSystem(ctx: Context): Promise<void> {
  await transact(ctx, async (state) => {
    const restored = await planRestore(ctx.kernel, state);
    const links = new Map((await ctx.kernel.listLinks()).map((l) => [l.name, l]));
    const up = state.networks.filter((n) => n.bridge && links.get(n.bridge) && !links.get(n.bridge)!.up).map((n): Step => ({ op: 'link.set', name: n.bridge!, up: true }));
    return { steps: [...restored.steps, ...up, ...planReattach(state, links)], next: restored.state, result: undefined, after: ctx.dns.ensure };
  });
}

/**
 * A bridge deleted by hand loses its ports; the containers' veths survive it. Once the bridge is
 * back (the restore steps run first), each host end is enslaved to it again.
 */
function planReattach(state: State, links: Map<string, LinkInfo>): Step[] {
  const steps: Step[] = [];
  for (const c of state.containers) {
    for (const e of c.endpoints) {
      const net = state.networks.find((n) => n.id === e.networkId);
      const host = e.hostIfname ? links.get(e.hostIfname) : undefined;
      if (!net?.bridge || !host) continue;
      const bridge = links.get(net.bridge);
      if (bridge && host.master === bridge.index) continue;
      steps.push({ op: 'link.master', name: host.name, master: net.bridge }, { op: 'link.hairpin', name: host.name, on: true });
    }
  }
  return steps;
}

/**
 * Deletes host links with pont's names that no record owns (leftovers of a crash or a hand edit);
 * then, for each CNI network, the list's GC with the attachments pont's records hold (spec 1.1:
 * DEL for cached attachments no record holds, GC for plugins that have it), said on stderr.
 */
export async function collectGarbage(ctx: Context): Promise<string[]> {
  const removed = await transact(ctx, async (state) => {
    const orphans = orphanLinks(state, await ctx.kernel.listLinks());
    // nothing owned them: no `recreate`, nothing to put back
    const steps: Step[] = orphans.map((l) => ({ op: 'link.del', name: l.name }));
    return { steps, next: state, result: orphans.map((l) => l.name) };
  });
  if (!ctx.dryRun) await collectCniGarbage(ctx);
  return removed;
}

async function collectCniGarbage(ctx: Context): Promise<void> {
  const state = ctx.store.read();
  const nets = state.networks.filter((n) => n.driver === 'cni' && n.cni);
  if (!nets.length) return;
  const [{ gcNetworkList }, { parseConfList }] = await Promise.all([import('../../cni/runtime/chain.js'), import('../../cni/runtime/config.js')]);
  for (const n of nets) {
    const valid = state.containers.flatMap((c) => c.endpoints.filter((e) => e.networkId === n.id).map((e) => ({ containerId: c.id, ifname: e.ifname })));
    const report = await gcNetworkList(parseConfList(n.cni!.text, n.cni!.source), valid);
    for (const d of report.deleted) ctx.err(`pont: CNI network ${n.name}: deleted the stale attachment ${d}`);
    for (const p of report.ran) ctx.err(`pont: CNI network ${n.name}: GC ran in plugin ${p}`);
    for (const s of report.skipped) ctx.err(`pont: CNI network ${n.name}: no GC for ${s}`);
  }
}
