// `pont network create`: every flag into a typed request, then the engine creates it.
import type { Command } from 'commander';
import { daemonError, usageError } from '../../core/errors.js';
import { parseAuxAddresses, parseDriverOptions, parseLabels, parseNetworkName } from '../../core/validate/network-flags.js';
import type { CreateNetworkRequest } from '../../engine/network/index.js';
import { argCountError, collect, parseFlags, refuseControl } from '../args.js';
import { withContext } from '../context.js';
import { say } from '../../kernel/stdio.js';

export function registerNetworkCreate(network: Command): void {
  network
    .command('create')
    .description('Create a network')
    .argument('[name...]')
    .option('-d, --driver <driver>', 'Driver to manage the Network', 'bridge')
    .option('--subnet <cidr>', 'Subnet in CIDR format that represents a network segment', collect)
    .option('--gateway <ip>', 'IPv4 Gateway for the master subnet', collect)
    .option('--ip-range <cidr>', 'Allocate container ip from a sub-range', collect)
    .option('--aux-address <name=ip>', 'Auxiliary IPv4 addresses used by Network driver', collect)
    .option('--internal', 'Restrict external access to the network')
    .option('--attachable', 'Enable manual container attachment')
    .option('--label <k=v>', 'Set metadata on a network', collect)
    .option('-o, --opt <k=v>', 'Set driver specific options', collect)
    .option('--ipam-driver <string>', 'IP Address Management Driver (default "default")')
    .option('--ipam-opt <k=v>', 'Set IPAM driver specific options', collect)
    .option('--scope <string>', "Control the network's scope")
    .option('--dry-run', 'Print the equivalent ip/iptables/sysctl commands, change nothing')
    .option('--explain', 'Apply the change, and print the equivalent commands on stderr')
    .action(async (names: string[], o) => {
      // flags first, as Docker's CLI parses them before it counts arguments
      const parsed = parseFlags('network create', () => parseCreateFlags(o));
      if (names.length !== 1) {
        const hint =
          names.length === 2 && ['bridge', 'host', 'none', 'macvlan', 'ipvlan', 'overlay'].includes(names[0])
            ? [`hint: to choose the driver, write: pont network create --driver ${names[0]} ${names[1]}`]
            : [];
        throw argCountError('network create', 'exactly 1 argument', '[OPTIONS] NETWORK', 'Create a network', hint);
      }
      if ((o.gateway?.length ?? 0) > 1 || (o.ipRange?.length ?? 0) > 1) {
        throw usageError('every ip-range or gateway must have a corresponding subnet');
      }
      if ((o.subnet?.length ?? 0) > 1) throw daemonError(`${o.driver} driver doesn't support multiple subnets`, 'usage');
      const { createNetwork } = await import('../../engine/network/index.js');
      const id = await withContext({ dryRun: o.dryRun, explain: o.explain }, (ctx) =>
        createNetwork(ctx, { ...parsed, name: parseNetworkName(names[0]) }),
      );
      if (!o.dryRun) say(id);
    });
}

/** Every create flag as a typed value (the name is checked after the argument count). */
function parseCreateFlags(o: Record<string, string[] | string | boolean | undefined>): Omit<CreateNetworkRequest, 'name'> {
  const list = (v: unknown) => (v as string[] | undefined) ?? [];
  refuseControl('--subnet', list(o.subnet));
  refuseControl('--gateway', list(o.gateway));
  refuseControl('--ip-range', list(o.ipRange));
  refuseControl('-d, --driver', [o.driver as string]);
  refuseControl('--ipam-driver', [o.ipamDriver as string | undefined]);
  refuseControl('--scope', [o.scope as string | undefined]);
  const aux = list(o.auxAddress);
  return {
    // an empty --driver is the default one, as in Docker
    driver: (o.driver as string) || 'bridge',
    subnet: list(o.subnet)[0],
    gateway: list(o.gateway)[0],
    ipRange: list(o.ipRange)[0],
    auxAddresses: aux.length ? parseAuxAddresses(aux) : undefined,
    internal: Boolean(o.internal),
    attachable: Boolean(o.attachable),
    labels: parseLabels('--label', list(o.label)),
    options: parseDriverOptions('-o, --opt', list(o.opt)),
    ipamDriver: o.ipamDriver as string | undefined,
    ipamOptions: parseDriverOptions('--ipam-opt', list(o.ipamOpt)),
    scope: o.scope as string | undefined,
  };
}
