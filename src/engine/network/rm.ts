// `pont network rm`: the driver's teardown, the exact inverse of its create.
import { daemonError, PontError } from '../../core/errors.js';
import { driverFor } from '../../drivers/registry.js';
import type { Context } from '../context.js';
import { findNetwork } from '../lookup.js';
import { transact } from '../transaction.js';
import type { ClusterKv, Step } from '../../core/steps.js';
import { mustCluster, networkKvs } from '../overlay.js';
import { recordsMentioning } from '../../store/layout.js';
import { ipamPrefix } from '../../cluster/keys.js';
import { claimOf } from '../../cluster/reaper.js';

const PREDEFINED_RM: Record<string, string> = {
  bridge: 'bridge is a pre-defined network and cannot be removed',
  host: 'host is a pre-defined network and cannot be removed',
  none: 'none is a pre-defined network and cannot be removed',
};

/** Removes one network; Docker's CLI removes each name in turn and reports each failure. */
export async function removeNetwork(ctx: Context, ref: string): Promise<void> {
  await transact(ctx, async (state) => {
    const net = findNetwork(state, ref);
    if (!net) throw new PontError(`Error: No such network: ${ref}`, { category: 'not-found' });
    if (net.predefined) throw daemonError(PREDEFINED_RM[net.name] ?? `${net.name} is a pre-defined network and cannot be removed`, 'forbidden');
    const users = recordsMentioning(state.containers, net.id).filter((c) => c.endpoints.some((e) => e.networkId === net.id));
    const busy = () => daemonError(`error while removing network: network ${net.name} id ${net.id} has active endpoints`);
    if (users.length) throw busy();
    let clusterSteps: Step[] = [];
    if (net.driver === 'overlay') {
      // any host's endpoint keeps it, and any address of a live host (one whose lease lapsed has
      // no endpoint key until its agent writes it again); only the keys that still name this
      // network are removed, with the addresses that hosts gone left on it
      const cluster = await mustCluster(ctx);
      if ((await cluster.endpoints(net.id)).length) throw busy();
      const [claims, hosts] = await Promise.all([cluster.etcd.range(ipamPrefix(net.id)), cluster.hosts()]);
      const live = new Set(hosts.map((h) => h.id));
      if (claims.kvs.some((kv) => live.has(claimOf(kv.value)?.host ?? ''))) throw busy();
      const kvs = await Promise.all(networkKvs(net).map(async (kv) => ({ key: kv.key, value: (await cluster.etcd.get(kv.key))?.value })));
      const mine = kvs.filter((kv): kv is ClusterKv => kv.value !== undefined && (kv.value === net.id || kv.key.endsWith(`/networks/${net.id}`)));
      const left = claims.kvs.map((kv) => ({ key: kv.key, value: kv.value }));
      clusterSteps = mine.length || left.length ? [{ op: 'cluster.delete', kvs: [...left, ...mine] }] : [];
    }
    return {
      steps: [...clusterSteps, ...driverFor(net.driver).planDelete(net)],
      next: { ...state, networks: state.networks.filter((n) => n.id !== net.id) },
      result: undefined,
      after: ctx.dns.stopIfUnused,
    };
  });
}
