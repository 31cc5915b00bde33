// `pont network prune`: every user network no container uses, in one transaction.
import type { NetworkRecord } from '../../core/model.js';
import { driverFor } from '../../drivers/registry.js';
import type { Context } from '../context.js';
import { transact } from '../transaction.js';

/**
 * Removes every user network no container uses; returns the names removed. Overlay networks are
 * the cluster's, used by other hosts' containers this host cannot see: `network rm` removes them.
 */
export async function pruneNetworks(ctx: Context, filter: (n: NetworkRecord) => boolean = () => true): Promise<string[]> {
  return transact(ctx, (state) => {
    const unused = state.networks.filter(
      (n) => !n.predefined && n.driver !== 'overlay' && filter(n) && !state.containers.some((c) => c.endpoints.some((e) => e.networkId === n.id)),
    );
    return {
      steps: unused.flatMap((n) => driverFor(n.driver).planDelete(n)),
      next: { ...state, networks: state.networks.filter((n) => !unused.includes(n)) },
      result: unused.map((n) => n.name),
      after: ctx.dns.stopIfUnused,
    };
  });
}
