// The step runner: applies a plan in order, recording before each step the inverse observed on
// the host (kernel/ops.ts) — in memory and in the journal — and on any failure applies exactly
// those inverses, last first. Fault injection for tests lives here and nowhere else:
// PONT_FAIL_AT_STEP=N makes step N (1-based, counted across the whole command) fail before it is
// applied, PONT_CRASH_AT_STEP=N kills the process with SIGKILL just before it.
// One overlap, for speed: a firewall batch is a child process (iptables-restore, nft) that takes
// 5–25 ms, and the teardown steps after it (a veth's or a bridge's deletion waits 15–45 ms in the
// kernel) need nothing from it, so they run while it lands (overlapsFirewall); so does the making
// of a veth pair after it, with what is done to the pair while it is still down. Anything else
// waits for the batch first, so nothing is brought up or started before its rules are in.
import { PontError } from '../core/errors.js';
import type { FirewallBackendName } from '../core/firewall/parts.js';
import { explain, type Step } from '../core/steps.js';
import { applyStep, observeInverse, type StepHost } from '../kernel/ops.js';

export type { Step } from '../core/steps.js';

export class InjectedFault extends PontError {
  constructor(n: number) {
    super(`injected failure at step ${n} (PONT_FAIL_AT_STEP)`, { category: 'internal' });
  }
}

/** The command's fault injection and its step count (one per command, carried by its Context). */
export interface Faults {
  failAt: number;
  crashAt: number;
  count: number;
  /** How the crash happens: SIGKILL of this process, or in unit tests a thrown SimulatedCrash. */
  crash?: () => never;
}

/** A crash in a unit test: thrown past every handler, as if the process had died there. */
export class SimulatedCrash extends Error {
  constructor(n: number) {
    super(`simulated crash before step ${n}`);
  }
}

export const faultsFromEnv = (env: NodeJS.ProcessEnv = process.env): Faults => ({
  failAt: Number(env.PONT_FAIL_AT_STEP ?? 0) || 0,
  crashAt: Number(env.PONT_CRASH_AT_STEP ?? 0) || 0,
  count: 0,
});

export interface RunOptions {
  faults?: Faults;
  /** Called with each step's observed inverse before the step is applied (the journal). */
  record?: (index: number, inverse: Step[]) => void;
  /** The last change, given the outputs: if it throws, every step is undone like a failed one. */
  commit?: (outputs: unknown[]) => void;
}

/** Prints the equivalent commands of a plan (--dry-run). */
export function explainSteps(steps: readonly Step[], firewall: FirewallBackendName, print: (line: string) => void): void {
  for (const s of steps) for (const line of explain(s, firewall)) print(line);
}

/** A step applied by a child process that the runner need not wait for at once. */
export const isFirewallBatch = (s: Step): boolean => s.op === 'fw.add' || s.op === 'fw.del' || s.op === 'fw.repair' || s.op === 'nft.table';

/** A link as `down` names it: "netns/name" ('' for the host's namespace). */
const linkKey = (name: string, netns?: string): string => `${netns ?? ''}/${name}`;

/**
 * Whether `s` may run while a firewall batch before it is still landing: what takes things down
 * (links, addresses, routes, neighbours, namespaces, directories), writes a file or makes a
 * directory of pont's, or sets a container's default route (its traffic leaves through its
 * network's rules, in place since the network was made; an endpoint's batch adds only its ports
 * (and, with nftables, its address's guard), and its link comes up after the batch anyway). And
 * what makes a veth pair, which the kernel makes down, or gives an address, a bridge or hairpin
 * mode, or a sysctl of its own to a link of `down` (made by this plan and not brought up yet):
 * nothing answers there before it is up. Nothing that brings a link up, starts or kills a
 * process, touches any other sysctl or the firewall, or waits on a service: those see the batch
 * in (a run's process starts after it, so its ports answer from the start).
 */
export function overlapsFirewall(s: Step, down: ReadonlySet<string> = new Set()): boolean {
  switch (s.op) {
    case 'veth.add':
      return true;
    case 'addr.add':
      return down.has(linkKey(s.dev, s.netns));
    case 'link.del':
    case 'addr.del':
    case 'route.del':
    case 'neigh.del':
    case 'fdb.del':
    case 'netns.del':
    case 'dir.del':
    case 'dir.add':
    case 'route.default':
    case 'file.write':
    case 'sysctl.leave': // changes nothing: it records the value an undo puts back
      return true;
    case 'link.set':
      return !s.up;
    case 'link.master':
      return s.master === null || down.has(linkKey(s.name));
    case 'link.hairpin':
      return !s.on || down.has(linkKey(s.name));
    case 'sysctl': {
      const link = /^net\.ipv[46]\.conf\.([^./]+)\./.exec(s.key)?.[1];
      return link !== undefined && down.has(linkKey(link, s.netns));
    }
    default:
      return false;
  }
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Applies `steps`; returns each step's output (a started process…). On a failure, the recorded
 * inverses are applied, last first, and the error is rethrown (a failed undo says so instead).
 */
export async function runSteps(h: StepHost, steps: readonly Step[], opts: RunOptions = {}): Promise<unknown[]> {
  const faults = opts.faults ?? { failAt: 0, crashAt: 0, count: 0 };
  const undo: Step[][] = [];
  const outputs: unknown[] = [];
  // the veth ends this plan made that are not up yet (overlapsFirewall)
  const down = new Set<string>();
  const track = (s: Step) => {
    if (s.op === 'veth.add') down.add(linkKey(s.name)).add(linkKey(s.peer, s.peerNetns));
    else if (s.op === 'link.set' && s.up) down.delete(linkKey(s.name, s.netns));
  };
  // the firewall batch still landing, and its index (settled at once: a rejection is held, not unhandled)
  let landing: { index: number; done: Promise<Settled> } | null = null;
  // the inverse of a link's deletion after a batch, read before the batch's child starts
  let ahead: { index: number; inverse: Step[] } | null = null;
  const land = async () => {
    if (!landing) return;
    const { index, done } = landing;
    landing = null;
    const r = await done;
    if (!r.ok) throw r.error;
    outputs[index] = r.value;
  };
  try {
    for (const [i, s] of steps.entries()) {
      if (landing && !overlapsFirewall(s, down)) await land();
      faults.count++;
      // a crash (kill -9, power loss) just before step N: what the journal's rollback must survive;
      // the steps before N done, a batch still landing included (one that a crash finds in flight
      // may land or not, overlapped or not: the same window as the batch's own run)
      if (faults.crashAt && faults.count === faults.crashAt) {
        await land();
        (faults.crash ?? (() => process.kill(process.pid, 'SIGKILL')))();
      }
      if (faults.failAt && faults.count === faults.failAt) throw new InjectedFault(faults.failAt);
      // recorded before it runs: a step that fails half-way is undone too (inverses tolerate it)
      const inv = ahead?.index === i ? ahead.inverse : await observeInverse(h, s);
      if (ahead?.index === i) ahead = null;
      undo.push(inv);
      opts.record?.(i, inv);
      track(s);
      if (isFirewallBatch(s) && i + 1 < steps.length && overlapsFirewall(steps[i + 1], down)) {
        // a link's deletion next: its inverse is read now (a link, its addresses, its sysctls),
        // so that those replies do not queue behind the child's start for the CPU (2 cores:
        // network rm's bridge deletion starts ~5 ms sooner); a batch changes no link, address
        // or sysctl, so this is what it would read after the batch
        // (past what changes nothing: network rm's `sysctl.leave` of forwarding comes between)
        let j: number = i + 1;
        while (steps[j]?.op === 'sysctl.leave') j++;
        const lookahead = steps[j]?.op === 'link.del' && overlapsFirewall(steps[j], down);
        // a failed read here is read again at its step: the batch's inverse is recorded already,
        // and an error now would undo a batch that never ran
        if (lookahead) ahead = await observeInverse(h, steps[j]).then((inverse) => ({ index: j, inverse }), () => null);
        outputs.push(undefined);
        landing = {
          index: i,
          done: applyStep(h, s).then(
            (value): Settled => ({ ok: true, value }),
            (error): Settled => ({ ok: false, error }),
          ),
        };
        // the batch's child started before the deletion: where that is one blocking netlink
        // request (inside a namespace, or in the resident service) it would hold the start back
        if (lookahead) await new Promise((r) => setImmediate(r));
        continue;
      }
      outputs.push(await applyStep(h, s));
    }
    await land();
    opts.commit?.(outputs);
  } catch (err) {
    // a batch still landing lands before anything is undone (its inverse is recorded already);
    // after a real crash it lands alone, within the next command's start-up
    const pending = landing as { done: Promise<Settled> } | null;
    const landed = pending ? await pending.done : null;
    // a dead process undoes nothing: what it did is the journal's to finish
    if (err instanceof SimulatedCrash) throw err;
    await undoSteps(h, undo.reverse().flat());
    // the batch's refusal is the cause to tell, before a teardown step's that failed beside it
    throw landed && !landed.ok && !(err instanceof InjectedFault) ? landed.error : err;
  }
  return outputs;
}

/** Applies inverses in the order given, past failures, and reports them all at the end. */
export async function undoSteps(h: StepHost, steps: readonly Step[]): Promise<void> {
  const failures: string[] = [];
  for (const s of steps) {
    try {
      await applyStep(h, s);
    } catch (e) {
      failures.push(`${explain(s, h.firewall.name).join('; ')}: ${(e as Error).message}`);
    }
  }
  if (failures.length) throw new CleanupError(failures);
}

export class CleanupError extends PontError {
  constructor(readonly failures: string[]) {
    super(`cleanup incomplete: ${failures.join(' | ')}`, { category: 'kernel' });
  }
}
