// A container's namespace as run makes it, and the teardown of everything it has: its exact
// inverse, so an undo (a failed rm) makes it all again as it was.
import type { ContainerRecord, NetworkRecord, State } from '../../core/model.js';
import { inverse, type Step } from '../../core/steps.js';
import { planDefaultRoute, planDetach } from '../endpoints.js';
import { ETC_FILES, etcDir } from '../etc-files.js';
import { containerRunDir } from '../../kernel/run-dir.js';
import type { Here } from '../../drivers/driver.js';

/** The container's namespace, as run makes it before any endpoint. */
export function planNamespace(netns: string): Step[] {
  return [
    { op: 'netns.add', name: netns },
    // pont networks are IPv4: like Docker, no IPv6 (not even ::1 or link-local) in the container
    { op: 'sysctl', key: 'net.ipv6.conf.all.disable_ipv6', value: '1', netns },
    { op: 'sysctl', key: 'net.ipv6.conf.default.disable_ipv6', value: '1', netns },
    { op: 'link.set', name: 'lo', netns, up: true },
  ];
}

/** The run directory: the process's pid file, log and stdin. */
export const runDirStep = (id: string): Step => ({ op: 'dir.add', path: containerRunDir(id) });

/**
 * Every step that undoes a container's network: endpoints, files, namespace. `beforeNamespace`
 * (killing the process) runs after everything that can be undone and before the namespace
 * goes, so a failure up to it leaves the container whole, its process included.
 */
export function planTeardown(state: State, ctr: ContainerRecord, beforeNamespace: Step[] = [], hereOf: (net: NetworkRecord) => Here | undefined = () => undefined): { steps: Step[]; networks: NetworkRecord[] } {
  // First a step whose undo runs last, once the interfaces are back: a running container's
  // default route goes (and comes back). A stopped one's links are down: the detach's
  // `link set down` then observes that, and its undo leaves them down.
  const steps: Step[] = ctr.running ? planDefaultRoute(ctr, { ...ctr, endpoints: [] }, state.networks) : [];
  let networks = state.networks;
  let c = ctr;
  for (const ep of [...ctr.endpoints].reverse()) {
    const net = networks.find((n) => n.id === ep.networkId);
    if (!net) continue;
    const d = planDetach(c, net, hereOf(net));
    steps.push(...d.steps);
    c = d.container;
    networks = networks.map((n) => (n.id === net.id ? d.network : n));
  }
  if (ctr.netns) steps.push(...inverse([{ op: 'dir.add', path: etcDir(ctr.netns), owned: [...ETC_FILES] }]));
  // the run directory holds the process's pid file, log and stdin: it goes once the process has
  steps.push(...beforeNamespace, ...inverse([runDirStep(ctr.id)]));
  // the whole namespace set-up, so that an undo makes it again as run did
  if (ctr.netns) steps.push(...inverse(planNamespace(ctr.netns)));
  return { steps, networks };
}
