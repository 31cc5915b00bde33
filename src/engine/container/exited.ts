// `pont container-exited`, called by the monitor when the process ends: record it, withdraw its
// ports and bring its links down, or remove a --rm container. The process is gone already, so a
// crash of this command is finished by the next one, never undone.
import type { ContainerRecord } from '../../core/model.js';
import type { Context } from '../context.js';
import { planEndpointLinks } from '../endpoints.js';
import { findContainer } from '../lookup.js';
import { transact } from '../transaction.js';
import { planUnpublishAll } from './ports.js';
import { NO_PROCESS } from './process.js';
import { planTeardown } from './teardown.js';
import { heresFor } from '../overlay.js';
import { recordExit } from './exit-codes.js';
import { replaceRecord, withoutRecord } from '../../core/record-list.js';

export async function containerExited(ctx: Context, id: string, code: number): Promise<void> {
  await transact(ctx, async (state) => {
    const ctr = findContainer(state, id);
    if (!ctr) return { steps: [], next: state, result: undefined };
    if (ctr.autoRemove) {
      if (!ctx.dryRun) recordExit(ctr.id, code);
      const t = planTeardown(state, ctr, [], await heresFor(ctx, state, ctr));
      const next = { ...state, networks: t.networks, containers: withoutRecord(state.containers, ctr) };
      return { steps: t.steps, next, result: undefined, after: ctx.dns.stopIfUnused, rollForward: true };
    }
    const done: ContainerRecord = { ...ctr, running: false, ...NO_PROCESS, exitCode: code, finishedAt: ctx.now(), ports: [] };
    return {
      steps: [...planUnpublishAll(state, ctr), ...planEndpointLinks(ctr, state.networks, false)],
      next: { ...state, containers: replaceRecord(state.containers, ctr, done) },
      result: undefined,
      after: ctx.dns.stopIfUnused,
      rollForward: true,
    };
  });
}
