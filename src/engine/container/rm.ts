// `pont rm [-f]`: the teardown of a container, its process killed last of what can be undone.
// Past that kill (the point of no return), a crash is finished by the next command, not undone.
import { daemonError, PontError } from '../../core/errors.js';
import type { ContainerRecord } from '../../core/model.js';
import type { Context } from '../context.js';
import { mustFindContainer } from '../lookup.js';
import { refuseExternal } from '../cni/attachment.js';
import { planExternalTeardown } from '../cni/del.js';
import { transact } from '../transaction.js';
import { killStep } from './process.js';
import { heresFor } from '../overlay.js';
import { planTeardown } from './teardown.js';
import { withoutRecord } from '../../core/record-list.js';

/** One container, or its error (the Docker API's DELETE /containers/{id}). */
export async function removeContainer(ctx: Context, ref: string, force: boolean): Promise<void> {
  await transact(ctx, async (state) => {
    const ctr = mustFindContainer(state, ref);
    if (ctr.external) {
      // the namespace and the process are the runtime's: -f takes the container off pont's networks only
      if (!force) refuseExternal(ctr, 'remove', ', or pont rm -f to take it off pont\'s networks (the runtime\'s DEL then finds nothing to do)');
      return { ...(await planExternalTeardown(ctx, state, ctr)), result: undefined, after: ctx.dns.stopIfUnused };
    }
    const alive = ctr.running && ctx.procs.alive(ctr);
    if (alive && !force) {
      throw daemonError(`You cannot remove a running container ${ctr.id}. Stop the container before attempting removal or force remove`);
    }
    const t = planTeardown(state, ctr, alive ? [killStep(ctr)] : [], await heresFor(ctx, state, ctr));
    return {
      steps: t.steps,
      next: { ...state, networks: t.networks, containers: withoutRecord(state.containers, ctr) },
      result: undefined,
      after: ctx.dns.stopIfUnused,
    };
  });
}

/**
 * `container prune`: every container whose process is not running and that `keep` keeps, each
 * removed as `rm` removes it (its own change, all or nothing; a record still saying running over a
 * dead process, after a reboot, is finished by that change first); the ids removed. One that
 * cannot be removed is said on stderr and the others still go, as dockerd logs it and goes on. A
 * CNI runtime's container (external) is the runtime's to remove.
 */
export async function pruneContainers(ctx: Context, keep: (c: ContainerRecord) => boolean): Promise<string[]> {
  const removed: string[] = [];
  for (const c of ctx.store.read().containers) {
    if (c.external || (c.running && ctx.procs.alive(c)) || !keep(c)) continue;
    try {
      await removeContainer(ctx, c.id, false);
      removed.push(c.id);
    } catch (e) {
      if (!(e instanceof PontError)) throw e;
      ctx.err(`cannot remove container ${c.name}: ${e.message}`);
    }
  }
  return removed;
}

/** Docker's CLI removes each in turn, reports each failure, and fails at the end. */
export async function removeContainers(ctx: Context, refs: string[], force: boolean): Promise<boolean> {
  let ok = true;
  for (const ref of refs) {
    try {
      await removeContainer(ctx, ref, force);
      if (!ctx.dryRun) ctx.out(ref);
    } catch (e) {
      if (!(e instanceof PontError)) throw e;
      const missing = /No such container/.test(e.message);
      ctx.err(missing ? `Error: No such container: ${ref}` : e.message);
      // `docker rm -f nosuch` reports it but succeeds
      if (!(missing && force)) ok = false;
    }
  }
  return ok;
}
