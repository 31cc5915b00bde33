// `pont run`: a container is a named network namespace with a process in it, attached to its
// network through an endpoint; its files under /etc/netns/NAME, its run directory, its resolver.
import { accessSync, constants, statSync } from 'node:fs';
import { daemonError, PontError } from '../../core/errors.js';
import { BUILTIN_IMAGES, builtinImage } from '../../core/images.js';
import { parseIPv4 } from '../../core/ipv4.js';
import { blankContainer, type ContainerRecord, type State } from '../../core/model.js';
import { VALID_NAME } from '../../core/names.js';
import { planPublishAll, type ExposedPort, type PortBinding, type Proto } from '../../core/ports/portspec.js';
import { randomName } from '../../core/random-name.js';
import type { Step } from '../../core/steps.js';
import { driverFor } from '../../drivers/registry.js';
import type { Started } from '../../kernel/process.js';
import type { Context } from '../context.js';
import { dnsReadyStep } from '../dns.js';
import { planAttach, planDefaultRoute, planEndpointLinks, replaceNetwork } from '../endpoints.js';
import { etcDir, planEtcFiles, usesEmbeddedDns } from '../etc-files.js';
import { findNetwork } from '../lookup.js';
import { findByLead } from '../../store/layout.js';
import { withRecord } from '../../core/record-list.js';
import { transact } from '../transaction.js';
import { atStart } from './errors.js';
import { NO_HOST_PORTS, planPorts, portKey, storedBinding } from './ports.js';
import { overlayAttach, planGatewayBridge, retryAddressRace } from '../overlay.js';
import { startStep, withStarted } from './process.js';
import { planNamespace, runDirStep } from './teardown.js';

export interface RunRequest {
  name?: string;
  network?: string;
  ip?: string;
  hostname?: string;
  mac?: string;
  aliases: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  extraHosts: string[];
  detach: boolean;
  interactive: boolean;
  tty: boolean;
  autoRemove: boolean;
  /** -e and --env-file values, resolved (NAME=VALUE). */
  env: string[];
  /** First positional argument and the rest, as typed. */
  args: string[];
  /** -p, parsed; --expose, parsed; -P. */
  publish: PortBinding[];
  expose: ExposedPort[];
  publishAll: boolean;
  /** Config.Labels (`--label`, or the Docker API's create): recorded, shown, filtered on. */
  labels?: Record<string, string>;
  /**
   * false: the Docker API's `create`. The container gets its namespace, endpoints and files, its
   * links down and no process, as a stopped one; `start` publishes its ports and starts it.
   */
  start?: boolean;
}

export interface RunResult {
  container: ContainerRecord;
  /** The started processes; in the foreground, `child` is the monitor to wait for. */
  started?: Started;
}

/**
 * `alpine`, `nginx`… stand for their default command; anything else is the command itself, and
 * must be one of this host's: an image pont does not know (`funkwhale/all-in-one:1.2.9`) is
 * refused before anything is made, where Docker would pull it.
 */
export function resolveCommand(args: string[]): { image: string; cmd: string[]; exposed: ExposedPort[] } {
  const image = args.length ? builtinImage(args[0]) : undefined;
  if (image) {
    const exposed = image.image.exposed.map((e) => ({ port: Number(e.split('/')[0]), proto: e.split('/')[1] as Proto }));
    return { image: image.name, cmd: args.length > 1 ? args.slice(1) : image.image.cmd, exposed };
  }
  if (args.length && !isHostCommand(args[0])) {
    throw daemonError(
      `No such image: ${args[0]} (pont has no images: ${Object.keys(BUILTIN_IMAGES).join(', ')} stand for their default command, anything else must be a command of this host)`,
      'not-found',
    );
  }
  return { image: '', cmd: args.length ? args : ['/bin/sh'], exposed: [] };
}

/** An executable file, by path or found on PATH as the container's shell will look for it. */
function isHostCommand(cmd: string): boolean {
  const executable = (f: string) => {
    try {
      accessSync(f, constants.X_OK);
      return statSync(f).isFile();
    } catch {
      return false;
    }
  };
  if (cmd.includes('/')) return executable(cmd);
  return (process.env.PATH || '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':').some((d) => d !== '' && executable(`${d}/${cmd}`));
}

/** /run/netns/NAME or /etc/netns/NAME exists and no container of pont's has that namespace (`ours`, when the caller looked already). */
function foreignNetns(ctx: Context, state: State, name: string, ours = findByLead(state.containers, ['netns', name]) !== undefined): boolean {
  return !ours && (ctx.kernel.netnsExists(name) || ctx.files.exists(etcDir(name)));
}

export async function runContainer(ctx: Context, req: RunRequest): Promise<RunResult> {
  if (req.name !== undefined && !VALID_NAME.test(req.name)) {
    throw daemonError(`Invalid container name (${req.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, 'usage');
  }
  if (req.ip !== undefined && parseIPv4(req.ip) === null) throw daemonError(`invalid IPv4 address: ${req.ip}`, 'usage');
  if (req.network === undefined) {
    // Docker ignores --ip and --network-alias when no --network is given
    req = { ...req, ip: undefined, aliases: [] };
  }
  const { image, cmd, exposed: imageExposed } = resolveCommand(req.args);
  const exposed = [...new Map([...imageExposed, ...req.expose, ...req.publish.map((b) => ({ port: b.containerPort, proto: b.proto }))].map((e) => [portKey(e), e])).values()];
  const bindings = req.publishAll ? planPublishAll(exposed, req.publish) : req.publish;
  const host = bindings.length ? ctx.hostPorts() : NO_HOST_PORTS;
  return retryAddressRace(() => transact<RunResult>(ctx, async (state) => {
    const name = req.name ?? randomName((n) => findByLead(state.containers, ['name', n]) !== undefined || foreignNetns(ctx, state, n));
    // the name's owner, and whether a container of pont's has that namespace: searched in the
    // store's index, not looked up record by record (store/layout.ts)
    const clash = findByLead(state.containers, ['name', name]);
    const ours = findByLead(state.containers, ['netns', name]) !== undefined;
    if (clash) {
      throw daemonError(
        `Conflict. The container name "/${name}" is already in use by container "${clash.id}". You have to remove (or rename) that container to be able to reuse that name`,
      );
    }
    const netRef = req.network ?? 'bridge';
    const net = findNetwork(state, netRef);
    if (!net) throw atStart(daemonError(`network ${netRef} not found`, 'not-found'));
    // an overlay container's way out, and its published ports, go through this host's gateway bridge
    const gw = net.driver === 'overlay' && !net.internal ? await planGatewayBridge(ctx, state) : undefined;
    if (gw) state = gw.state;
    const portNet = gw?.net ?? net;
    // the name becomes /run/netns/NAME and /etc/netns/NAME: another tool's must stay as they are
    if (net.driver !== 'host' && foreignNetns(ctx, state, name, ours)) {
      throw daemonError(`Conflict. The network namespace "${name}" already exists on this host (made by another tool): choose another --name`);
    }
    // no endpoint of its own on host and none: an address asked for would be dropped unsaid
    if (req.ip !== undefined && (net.driver === 'host' || net.driver === 'null')) {
      throw atStart(daemonError('user specified IP address is supported on user defined networks only', 'usage'));
    }
    if (req.aliases.length && net.predefined) {
      throw new PontError('network-scoped alias is supported only for containers in user defined networks', { category: 'usage', exitCode: 125 });
    }
    const id = ctx.newId();
    const hostNet = net.driver === 'host';
    let ctr: ContainerRecord = blankContainer({
      id,
      name,
      created: ctx.now(),
      netns: hostNet ? '' : name,
      networkMode: req.network ?? 'default',
      image,
      hostname: req.hostname ?? (hostNet ? '' : id.slice(0, 12)),
      cmd,
      env: req.env,
      tty: req.tty,
      interactive: req.interactive,
      autoRemove: req.autoRemove,
      dns: req.dns,
      dnsSearch: req.dnsSearch,
      dnsOptions: req.dnsOptions,
      extraHosts: req.extraHosts,
      ...(net.driver === 'host' || net.driver === 'null' ? { modeEndpointId: ctx.newId() } : {}),
      exposed: exposed.map(portKey),
      portBindings: bindings.map(storedBinding),
      publishAll: req.publishAll,
      ...(req.labels && Object.keys(req.labels).length ? { labels: req.labels } : {}),
      // host, none and internal networks have no way in: Docker ignores their published ports
      ports: req.start !== false && driverFor(portNet.driver).capabilities.ports && !portNet.internal ? planPorts(state, portNet, bindings, name, host, ctx.newId) : [],
    });
    const steps: Step[] = [];
    let networks = state.networks;
    if (!hostNet) {
      steps.push(...planNamespace(ctr.netns));
      const before = ctr;
      let a;
      try {
        a = planAttach(ctr, net, { ip: req.ip, aliases: req.aliases, mac: req.mac, connected: false, newId: ctx.newId, ...(await overlayAttach(ctx, state, net, ctr)) });
      } catch (e) {
        throw atStart(e);
      }
      ctr = a.container;
      networks = replaceNetwork(state, a.network);
      if (gw) {
        const g = planAttach(ctr, gw.net, { aliases: [], connected: false, newId: ctx.newId });
        steps.unshift(...gw.steps);
        a = { ...a, steps: [...a.steps, ...g.steps] };
        ctr = g.container;
        networks = networks.map((n) => (n.id === g.network.id ? g.network : n));
      }
      steps.push(...a.steps, ...planDefaultRoute(before, ctr, networks));
      steps.push(...planEtcFiles(ctr, networks));
    }
    steps.push(runDirStep(id));
    if (req.start === false) {
      // created, as Docker's `create`: no process and no published port until `start`
      steps.push(...planEndpointLinks(ctr, networks, false));
      const created = ctr;
      return { steps, next: { ...state, networks, containers: withRecord(state.containers, created) }, result: { container: created } };
    }
    if (ctr.netns && usesEmbeddedDns(ctr, networks)) {
      steps.push(dnsReadyStep(ctr));
    }
    steps.push(startStep(ctr, req.detach));
    const record = ctr;
    const next = (c: ContainerRecord): State => ({ ...state, networks, containers: withRecord(state.containers, c) });
    return {
      steps,
      next: next(record),
      result: { container: record },
      finish: (outputs) => {
        const { record: running, started } = withStarted(record, outputs, ctx.now());
        return { next: next(running), result: { container: running, started } };
      },
    };
  }));
}
