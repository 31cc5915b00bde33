// A mutating command: lock the store, finish a crashed command's journal, read the store, make
// sure pont's firewall and the predefined networks are in place, plan, journal the plan, then
// apply every step and write the store all-or-nothing.
// A dry run only reads: it takes no lock (the lock file would be a change of its own) and
// prints the steps, those that would lay down the predefined networks included.
import type { State } from '../core/model.js';
import type { Step } from '../core/steps.js';
import type { ClusterSteps, StepHost } from '../kernel/ops.js';
import { PontError } from '../core/errors.js';
import type { Context } from './context.js';
import { firewallMarker } from './firewall-base.js';
import { Store } from '../store/store.js';
import { layoutSize } from '../store/layout.js';
import { diffState } from '../core/state-patch.js';
import { describeCommand, dropJournal, recoverJournal, writeJournal } from './journal.js';
import { readForwarding, warnAboutForwarding } from './forwarding.js';
import { CleanupError, explainSteps, runSteps, SimulatedCrash } from './steps.js';
import { deletedRulePositions, planFirewallRepair, restoreFirewallPositions } from './system/firewall.js';
import { firewallTransactions, isNftBased, orderAfter, readSeal, updateSeal } from './system/seal.js';
import { planWorld } from './world.js';

export { hostPrefixes } from './world.js';

export interface Plan<T> {
  steps: Step[];
  next: State;
  result: T;
  /**
   * What the steps' outputs (in plan order: a started process's pids…) change in the store and
   * the result; without it, `next` and `result` stand.
   */
  finish?: (outputs: unknown[]) => { next: State; result: T };
  /** Runs after the store is written, still under its lock (e.g. stop the resolver if unused). */
  after?: (next: State) => Promise<void> | void;
  /**
   * The command is past its point of no return from its first step (its process is gone
   * already): after a crash it is finished, never undone. A kill step sets that point too.
   */
  rollForward?: boolean;
}

/**
 * The host as steps see it, with the engine's services bound to this transaction: its store as
 * it was (`before`) and the one it plans (`planned`: dns.ready is given its networks and, set
 * running, the container it names).
 */
export function stepHost(ctx: Context, before: () => State, planned: () => State | undefined = () => undefined): StepHost {
  return {
    kernel: ctx.kernel,
    firewall: ctx.firewall,
    files: ctx.files,
    procs: ctx.procs,
    since: ctx.since(),
    lockFd: () => ctx.store.heldLock,
    services: {
      async dnsReady(netns, id) {
        const next = planned();
        if (!next) return;
        // the container alone is read, found from the end, where a run adds it: each look through
        // every record (here and then twice in ctx.dns.ready) cost ~0.2 ms beside 500 containers
        for (let i = next.containers.length - 1; i >= 0; i--) {
          const c = next.containers[i];
          if (c.id === id) return ctx.dns.ready(netns, id, { ...next, containers: [{ ...c, running: true }] });
        }
      },
      restoreStore: () => ctx.store.write(before()),
      cluster: clusterSteps(ctx),
    },
  };
}

/** Cluster steps reach the store through the command's connection, made when the first one runs. */
function clusterSteps(ctx: Context): ClusterSteps {
  const steps = async () => {
    const c = await ctx.cluster();
    if (!c) throw new PontError('this command has cluster steps, and /etc/pont/config.json names no "cluster-store"', { category: 'usage' });
    return c.steps();
  };
  return {
    create: async (kvs) => (await steps()).create(kvs),
    remove: async (kvs) => (await steps()).remove(kvs),
    holding: async (kvs) => (await steps()).holding(kvs),
    sync: async (network, vxlan) => (await steps()).sync(network, vxlan),
  };
}

export async function transact<T>(ctx: Context, plan: (state: State) => Promise<Plan<T>> | Plan<T>): Promise<T> {
  if (!ctx.dryRun) await ctx.store.acquire();
  try {
    let before = ctx.store.read();
    let planned: State | undefined;
    const host = stepHost(ctx, () => before, () => planned);
    const recovered = ctx.dryRun ? null : await recoverJournal(ctx.store, host);
    if (recovered) {
      ctx.err(recovered);
      before = ctx.store.read();
      await ctx.dns.stopIfUnused(before);
    }
    // read before the firewall is: what moves it after counts (a seal needs an exact count)
    const generation = ctx.dryRun ? null : await ctx.kernel.firewallGeneration();
    const prelude = await prepare(ctx, before, { restore: Boolean(recovered), generation });
    const p = await plan(prelude.state);
    planned = p.next;
    const steps = [...prelude.steps, ...p.steps];
    // sealed, the firewall was not read; an undone deletion needs the order it had (iptables):
    // the seal carries it, or it is read
    if (prelude.sealed && ctx.firewall.name === 'iptables' && steps.some((s) => s.op === 'fw.del')) prelude.savedFirewall = prelude.sealedOrder ?? await ctx.kernel.saveFirewall();
    if (ctx.dryRun) {
      const { withCniExplanations } = await import('./cni-results.js');
      explainSteps(await withCniExplanations(steps), ctx.firewall.name, ctx.out);
      ctx.out(`# record the change in ${ctx.store.file}`);
      return p.result;
    }
    const forwarding = readForwarding(ctx.kernel);
    const positions = deletedRulePositions(ctx.firewall.name, prelude.savedFirewall, steps);
    const noReturn = p.rollForward ? 0 : steps.findIndex((s) => s.op === 'proc.kill');
    // only what a rollback or roll-forward needs: the journal's size stays that of the plan
    const journal = writeJournal(ctx.store, {
      version: 3, command: describeCommand(), firewallBackend: ctx.firewall.name, steps,
      ...(noReturn >= 0 ? { pointOfNoReturn: noReturn, afterPatch: diffState(before, p.next) } : {}),
      // where the rules it deletes stood (iptables): what a rollback after a crash puts back
      ...(positions.length ? { firewallPositions: positions } : {}),
    });
    let done = { next: p.next, result: p.result };
    const cniResults = steps.some((s) => s.op === 'cni.add') ? (await import('./cni-results.js')).withCniResults : null;
    try {
      await runSteps(host, steps, {
        faults: ctx.faults,
        record: journal.step,
        // the store write is the last change: if it fails (a full disk), every step is undone
        commit: (outputs) => {
          if (p.finish) done = p.finish(outputs.slice(prelude.steps.length));
          // a CNI plugin chain chose the endpoint's address: recorded from its result
          if (cniResults) done = { ...done, next: cniResults(done.next, steps, outputs) };
          const layout = Store.layout(done.next);
          journal.commit(ctx.store.identityNow(), layoutSize(layout));
          ctx.store.write(done.next, layout);
        },
      });
    } catch (e) {
      // undone: the journal has nothing left to do (an incomplete undo keeps it for the next command)
      if (!(e instanceof CleanupError || e instanceof SimulatedCrash)) {
        await restoreFirewallPositions(host, positions);
        dropJournal(ctx.store);
      }
      throw e;
    }
    dropJournal(ctx.store);
    if (prelude.nftBased) {
      const order = orderAfter(prelude.savedFirewall ?? prelude.sealedOrder, ctx.firewall.name, steps);
      updateSeal(ctx.firewall.name, { before: generation, after: await ctx.kernel.firewallGeneration(), batches: firewallTransactions(ctx.firewall.name, steps), store: ctx.store.stamp, order });
    }
    if (ctx.explain && steps.length) {
      // what was done, as pasteable commands; stderr, so that stdout stays what scripts read (an id)
      ctx.err(`# pont: ${describeCommand()} did, as commands:`);
      const { withCniExplanations } = await import('./cni-results.js');
      explainSteps(await withCniExplanations(steps), ctx.firewall.name, ctx.err);
    }
    if (prelude.movedFrom) ctx.err(`pont: moved pont's firewall from ${prelude.movedFrom} to ${ctx.firewall.name}, as /etc/pont/config.json says`);
    await warnAboutForwarding(ctx, forwarding, steps);
    if (p.after) await p.after(done.next);
    return done.result;
  } finally {
    ctx.store.unlock();
  }
}

/**
 * What every mutating command starts with: pont's firewall as the store implies it (a flush, a
 * firewalld reload or a reboot removed it: one iptables-save or nft listing tells, unless the
 * seal says nothing moved since the last command left it whole; or it is
 * written with the other backend than /etc/pont/config.json names: it moves), and after a reboot
 * the networks brought back and the dead containers recorded; on a fresh host, the predefined
 * networks.
 */
async function prepare(
  ctx: Context,
  state: State,
  opts: { restore: boolean; generation: number | null },
): Promise<{ steps: Step[]; state: State; savedFirewall: string | null; movedFrom: string | null; sealed: boolean; sealedOrder: string | null; nftBased: boolean }> {
  state = await withClusterNetworks(ctx, state);
  const marker = firewallMarker();
  // after a rollback too: what the crashed command removed (a bridge, say) is brought back
  const restore = opts.restore || state.firewallMarker !== marker;
  // untouched since a command left it whole (seal.ts): nothing to read, nothing to repair or move
  const seal = restore ? { sealed: false, order: null } : readSeal(ctx.firewall.name, opts.generation, ctx.store.stamp);
  const sealed = seal.sealed;
  // with a move to the config's backend when the store's firewall is written with the other
  const repair = sealed ? { steps: [], saved: null, movedFrom: null } : await planFirewallRepair(ctx.firewall, ctx.kernel, state);
  const world = await planWorld(ctx.kernel, restore ? { ...state, firewallMarker: marker } : state, { restore });
  return {
    steps: [...repair.steps, ...world.steps],
    state: { ...world.state, firewallBackend: ctx.firewall.name },
    savedFirewall: repair.saved,
    movedFrom: repair.movedFrom,
    sealed,
    sealedOrder: seal.order,
    nftBased: sealed || isNftBased(ctx.firewall.name, repair.saved),
  };
}

/**
 * The cluster's overlay networks, copied into the store this command writes. An unreachable
 * cluster store stops only what needs it: other commands go on with the copies as last seen.
 */
async function withClusterNetworks(ctx: Context, state: State): Promise<State> {
  let cluster;
  try {
    cluster = await ctx.cluster();
    if (!cluster) return state;
    const { syncOverlayNetworks } = await import('./overlay.js');
    return syncOverlayNetworks(state, await cluster.networks());
  } catch (e) {
    if (!(e instanceof PontError)) throw e;
    ctx.err(`pont: ${e.message}; overlay networks as this host last saw them`);
    return state;
  }
}
