// `pont start`: a stopped container gets its process back, in the namespace and with the
// addresses it kept (D-stopped-keeps-address), and its ports published again (fixed host ports
// as asked, others chosen anew, as Docker does).
import { daemonError } from '../../core/errors.js';
import type { ContainerRecord } from '../../core/model.js';
import type { Step } from '../../core/steps.js';
import { driverFor } from '../../drivers/registry.js';
import type { Context } from '../context.js';
import { dnsReadyStep } from '../dns.js';
import { planEndpointLinks } from '../endpoints.js';
import { usesEmbeddedDns } from '../etc-files.js';
import { mustFindContainer } from '../lookup.js';
import { refuseExternal } from '../cni/attachment.js';
import { transact } from '../transaction.js';
import { bindingOf, NO_HOST_PORTS, planPorts } from './ports.js';
import { startStep, withStarted } from './process.js';
import { replaceRecord } from '../../core/record-list.js';

export async function startContainer(ctx: Context, ref: string): Promise<void> {
  await transact(ctx, (state) => {
    const ctr = mustFindContainer(state, ref);
    refuseExternal(ctr, 'start');
    if (ctr.running && ctx.procs.alive(ctr)) return { steps: [], next: state, result: undefined };
    if (ctr.netns && !ctx.kernel.netnsExists(ctr.netns)) {
      throw daemonError(`container ${ctr.id} cannot start: its network namespace ${ctr.netns} is gone (the host restarted); remove it and run it again`, 'conflict');
    }
    // ports go on the first network that can publish them, as at run time
    const eligible = ctr.endpoints
      .map((ep) => ({ ep, net: state.networks.find((n) => n.id === ep.networkId) }))
      .find(({ net }) => net && driverFor(net.driver).capabilities.ports && !net.internal);
    const record: ContainerRecord = {
      ...ctr,
      ports: eligible ? planPorts(state, eligible.net!, ctr.portBindings.map(bindingOf), ctr.name, ctr.portBindings.length ? ctx.hostPorts() : NO_HOST_PORTS, ctx.newId) : [],
      exitCode: 0,
    };
    const steps: Step[] = planEndpointLinks(record, state.networks, true);
    if (eligible) steps.push(...(driverFor(eligible.net!.driver).planPublish?.(eligible.net!, record, eligible.ep) ?? []));
    // (its run directory, with its log, is there since `run` and stays until `rm`)
    if (record.netns && usesEmbeddedDns(record, state.networks)) {
      steps.push(dnsReadyStep(record));
    }
    steps.push(startStep(record, true));
    const next = (c: ContainerRecord) => ({ ...state, containers: replaceRecord(state.containers, ctr, c) });
    return {
      steps,
      next: next(record),
      result: undefined,
      finish: (outputs) => ({ next: next(withStarted(record, outputs, ctx.now()).record), result: undefined }),
    };
  });
}
