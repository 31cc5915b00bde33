// One read of the kernel for `network graph`: the host's links, addresses and routes, and the
// links and addresses inside each running container's namespace. Only list requests: nothing
// is created, changed or locked.
import type { State } from '../../core/model.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { KernelView } from './model.js';

export async function readKernelView(kernel: Kernel, state: State): Promise<KernelView> {
  const [links, addresses, routes] = await Promise.all([kernel.listLinks(), kernel.listAddresses(), kernel.listRoutes()]);
  const containers: KernelView['containers'] = {};
  for (const c of state.containers) {
    // a CNI runtime's namespace is not under /run/netns: its endpoints are shown as the store has them
    if (!c.running || c.external || !c.endpoints.length || !kernel.netnsExists(c.netns)) continue;
    const [l, a] = await Promise.all([kernel.listLinks(c.netns), kernel.listAddresses(c.netns)]);
    containers[c.netns] = { links: l, addresses: a };
  }
  return { host: { links, addresses, routes }, containers };
}
