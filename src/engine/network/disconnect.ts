// `pont network disconnect`: the default route moves first, then the driver's detach.
import { daemonError } from '../../core/errors.js';
import type { Context } from '../context.js';
import { planDefaultRoute, planDetach, replaceNetwork } from '../endpoints.js';
import { hostsStep } from '../etc-files.js';
import { findContainer, findNetwork, mustFindContainer } from '../lookup.js';
import { transact } from '../transaction.js';
import { HOST } from './refusals.js';
import { heresFor } from '../overlay.js';
import { replaceRecord } from '../../core/record-list.js';

export async function disconnectContainer(ctx: Context, netRef: string, ctrRef: string, force = false): Promise<void> {
  await transact(ctx, async (state) => {
    // with -f Docker looks for the endpoint, not the container
    if (force && !findContainer(state, ctrRef)) throw daemonError(`endpoint ${ctrRef} not found`, 'not-found');
    const ctr = mustFindContainer(state, ctrRef);
    const net = findNetwork(state, netRef);
    if (!net) throw daemonError(`network ${netRef} not found`, 'not-found');
    if (net.driver === 'host') throw daemonError(HOST);
    if (net.driver === 'null' && ctr.networkMode === 'none' && !ctr.leftNone) {
      // leaving `none` changes nothing in the kernel; afterwards the container may join networks
      const left = { ...ctr, leftNone: true };
      return { steps: [], next: { ...state, containers: replaceRecord(state.containers, ctr, left) }, result: undefined };
    }
    const d = planDetach(ctr, net, (await heresFor(ctx, state, ctr))(net));
    const networks = replaceNetwork(state, d.network);
    return {
      // the default route moves first, while the old interface is there: undone last, after the
      // interface is back, the old route can be put back through it
      steps: [...(ctr.running ? planDefaultRoute(ctr, d.container, networks) : []), ...d.steps, hostsStep(d.container)],
      next: { ...state, networks, containers: replaceRecord(state.containers, ctr, d.container) },
      result: undefined,
      after: ctx.dns.stopIfUnused,
    };
  });
}
