// `pont network …`: parse flags into typed requests, call the engine, print like Docker.
import type { Command } from 'commander';
import { daemonError, PontError, usageError } from '../core/errors.js';
import type { NetworkRecord, State } from '../core/model.js';
import { withContext } from './context.js';
import { argCountError, collect, eachName, parseFlags, refuseControl } from './args.js';
import { parseAlias } from '../core/validate/container-flags.js';
import { parseAuxAddresses, parseDriverOptions, parseLabels, parseNetworkName } from '../core/validate/network-flags.js';
import type { CreateNetworkRequest } from '../engine/networks.js';

// The engine is imported when a command runs, not when the commands are registered, so each
// command loads only the modules it uses: module loading is a large part of a short command.
const networks = () => import('../engine/networks.js');
const reader = () => import('../engine/read-state.js');
const lookup = () => import('../engine/lookup.js');
const connect = () => import('../engine/connect.js');
const present = () => import('../core/present-network.js');
const filters = () => import('../core/filters/network.js');

export function registerNetworkCommands(program: Command): void {
  const network = program.command('network').description('Manage networks');

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
    .option('--dry-run', 'Print the equivalent ip/iptables/sysctl commands, change nothing')
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
      const { createNetwork } = await networks();
      const id = await withContext({ dryRun: o.dryRun }, (ctx) =>
        createNetwork(ctx, { ...parsed, name: parseNetworkName(names[0]) }),
      );
      if (!o.dryRun) console.log(id);
    });

  network
    .command('ls')
    .alias('list')
    .description('List networks')
    .option('-q, --quiet', 'Only display network IDs')
    .option('-f, --filter <filter>', 'Provide filter values (e.g. \'driver=bridge\')', collect)
    .option('--format <template>', 'Pretty-print networks using a Go template')
    .option('--no-trunc', 'Do not truncate the output')
    .action(async (o) => {
      const [{ readState }, { planNetworkListFilter }, { naturalLess, networkRow }] = await Promise.all([reader(), filters(), present()]);
      const filter = parseFlags('network ls', () => planNetworkListFilter(o.filter ?? []));
      const state = await readState();
      const keep = filter(state);
      const rows = state.networks
        .filter(keep)
        .sort((a, b) => naturalLess(a.name, b.name))
        .map((n) => networkRow(n, !o.trunc));
      const { printList } = await import('./format.js');
      printList(rows, o, 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}', {
        ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', IPv6: 'IPV6', Internal: 'INTERNAL', Labels: 'LABELS', CreatedAt: 'CREATED AT',
      });
    });

  network
    .command('inspect')
    .description('Display detailed information on one or more networks')
    .argument('[network...]')
    .option('-f, --format <template>', 'Format the output using the given Go template')
    .option('-v, --verbose', 'Verbose output for diagnostics')
    .action(async (refs: string[], o) => {
      if (refs.length < 1) throw argCountError('network inspect', 'at least 1 argument', '[OPTIONS] NETWORK [NETWORK...]', 'Display detailed information on one or more networks');
      refuseControl('', refs);
      const state = await (await reader()).readState();
      await printInspect(state, refs, o.format);
    });

  network
    .command('rm')
    .alias('remove')
    .description('Remove one or more networks')
    .argument('[network...]')
    .option('--dry-run', 'Print the equivalent ip/iptables commands, change nothing')
    .action(async (refs: string[], o) => {
      if (refs.length < 1) throw argCountError('network rm', 'at least 1 argument', 'NETWORK [NETWORK...]', 'Remove one or more networks');
      refuseControl('', refs);
      const { removeNetwork } = await networks();
      await withContext({ dryRun: o.dryRun }, (ctx) =>
        eachName(refs, async (ref) => {
          await removeNetwork(ctx, ref);
          if (!o.dryRun) console.log(ref);
        }),
      );
    });

  network
    .command('connect')
    .description('Connect a container to a network')
    .argument('[args...]')
    .option('--ip <ip>', 'IPv4 address (e.g., 172.30.100.104)')
    .option('--alias <alias>', 'Add network-scoped alias for the container', collect)
    .option('--dry-run', 'Print the equivalent ip/iptables commands, change nothing')
    .action(async (args: string[], o) => {
      const aliases = parseFlags('network connect', () => {
        refuseControl('--ip', [o.ip]);
        return (o.alias ?? []).map((a: string) => parseAlias('--alias', a));
      });
      if (args.length !== 2) throw argCountError('network connect', 'exactly 2 arguments', '[OPTIONS] NETWORK CONTAINER', 'Connect a container to a network');
      refuseControl('', args);
      const { connectContainer } = await connect();
      await withContext({ dryRun: o.dryRun }, (ctx) => connectContainer(ctx, args[0], args[1], { ip: o.ip, aliases }));
    });

  network
    .command('disconnect')
    .description('Disconnect a container from a network')
    .argument('[args...]')
    .option('-f, --force', 'Force the container to disconnect from a network')
    .option('--dry-run', 'Print the equivalent ip/iptables commands, change nothing')
    .action(async (args: string[], o) => {
      if (args.length !== 2) throw argCountError('network disconnect', 'exactly 2 arguments', '[OPTIONS] NETWORK CONTAINER', 'Disconnect a container from a network');
      refuseControl('', args);
      const { disconnectContainer } = await connect();
      await withContext({ dryRun: o.dryRun }, (ctx) => disconnectContainer(ctx, args[0], args[1], Boolean(o.force)));
    });

  network
    .command('prune')
    .description('Remove all unused networks')
    .option('-f, --force', 'Do not prompt for confirmation')
    .option('--filter <filter>', "Provide filter values (e.g. 'until=<timestamp>')", collect)
    .option('--dry-run', 'Print the equivalent ip/iptables commands, change nothing')
    .action(async (o) => {
      const { planNetworkPruneFilter } = await filters();
      const keep = parseFlags('network prune', () => planNetworkPruneFilter(o.filter ?? []));
      if (!o.force && !(await confirm('WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] '))) {
        return;
      }
      const { pruneNetworks } = await networks();
      const removed = await withContext({ dryRun: o.dryRun }, (ctx) => pruneNetworks(ctx, keep));
      if (removed.length && !o.dryRun) console.log(`Deleted Networks:\n${removed.join('\n')}\n`);
    });
}

/** Every create flag as a typed value (the name is checked after the argument count). */
function parseCreateFlags(o: Record<string, string[] | string | boolean | undefined>): Omit<CreateNetworkRequest, 'name'> {
  const list = (v: unknown) => (v as string[] | undefined) ?? [];
  refuseControl('--subnet', list(o.subnet));
  refuseControl('--gateway', list(o.gateway));
  refuseControl('--ip-range', list(o.ipRange));
  refuseControl('-d, --driver', [o.driver as string]);
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
  };
}

async function printInspect(state: State, refs: string[], format: string | undefined): Promise<void> {
  const [{ findNetwork }, { inspectNetwork }] = await Promise.all([lookup(), present()]);
  const found: NetworkRecord[] = [];
  const missing: string[] = [];
  for (const ref of refs) {
    const n = findNetwork(state, ref);
    if (n) found.push(n);
    else missing.push(ref);
  }
  const docs = found.map((n) => inspectNetwork(n, state.containers));
  if (format) {
    const { renderTemplate } = await import('./format.js');
    for (const d of docs) console.log(renderTemplate(format, d));
  }
  else console.log(JSON.stringify(docs, null, 4));
  if (missing.length) throw new PontError(missing.map((m) => `Error: No such network: ${m}`).join('\n'), { category: 'not-found' });
}

async function confirm(question: string): Promise<boolean> {
  process.stdout.write(question);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (chunk.includes(10)) break;
  }
  const answer = Buffer.concat(chunks).toString().trim().toLowerCase();
  return answer === 'y' || answer === 'yes';
}
