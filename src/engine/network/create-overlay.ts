// `pont network create -d overlay`: a network of the cluster. Its name, VNI and subnet are taken
// in the cluster store in one transaction with its record, so two hosts creating at once cannot
// both win; the loser's command fails with Docker's "already exists", or (a VNI or subnet taken
// between its read and its write) tries again with fresh choices. No device is made here: a host
// makes the network's bridge and VXLAN device with its first endpoint on it.
import { daemonError } from '../../core/errors.js';
import { emptyBook, planIpamConfig } from '../../core/ipam.js';
import { cidrFromString } from '../../core/ipv4.js';
import type { NetworkRecord } from '../../core/model.js';
import { ClusterConflict } from '../../cluster/client.js';
import { overlayDriver } from '../../drivers/overlay.js';
import type { Context } from '../context.js';
import { chooseOverlaySubnet, chooseVni, mustCluster, networkKvs } from '../overlay.js';
import { transact } from '../transaction.js';
import { storedIpamOptions, type CreateNetworkRequest } from './create.js';

const ATTEMPTS = 5;

export async function createOverlayNetwork(ctx: Context, req: CreateNetworkRequest): Promise<string> {
  const cluster = await mustCluster(ctx);
  for (let attempt = 1; ; attempt++) {
    try {
      return await transact(ctx, async (state) => {
        if (state.networks.some((n) => n.name === req.name)) throw daemonError(`network with name ${req.name} already exists`);
        const [vnis, subnets] = await Promise.all([cluster.keys('vni'), cluster.keys('subnets')]);
        const clusterSubnets = subnets.map((kv) => cidrFromString(kv.key.split('/subnets/')[1]));
        const used = [...state.networks.flatMap((n) => n.ipam.map((c) => cidrFromString(c.subnet))), ...clusterSubnets];
        const { config } = planIpamConfig({ ...req, subnet: req.subnet ?? chooseOverlaySubnet(used) }, used, []);
        if (!req.subnet) {
          // chosen, not given: shown as Docker shows a pool's subnet (no --ip on it, a plain gateway)
          delete config.implicitGateway;
          delete config.userSubnet;
        }
        let net: NetworkRecord = {
          id: ctx.newId(),
          name: req.name,
          driver: 'overlay',
          created: ctx.now(),
          internal: req.internal,
          attachable: req.attachable,
          labels: req.labels,
          options: req.options,
          ...storedIpamOptions(req.ipamOptions),
          ipam: [config],
          predefined: false,
          vni: chooseVni(new Set(vnis.map((kv) => Number(kv.key.split('/vni/')[1])))),
          book: emptyBook(),
        };
        net = await overlayDriver.validate(net, state.networks, ctx.kernel);
        return {
          steps: [{ op: 'cluster.create', kvs: networkKvs(net) }],
          next: { ...state, networks: [...state.networks, net] },
          result: net.id,
          after: ctx.dns.ensure,
        };
      });
    } catch (e) {
      if (!(e instanceof ClusterConflict)) throw e;
      if (e.key.includes('/names/')) throw daemonError(`network with name ${req.name} already exists`);
      // a VNI or a subnet another host took meanwhile: choose again
      if (attempt >= ATTEMPTS || (req.subnet && e.key.includes('/subnets/'))) throw daemonError(e.key.includes('/subnets/') ? 'Pool overlaps with other one on this address space' : `could not take ${e.key} in the cluster store after ${attempt} attempts`);
    }
  }
}
