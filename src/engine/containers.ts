// `pont run | stop | rm` and the monitor's `container-exited`: a container is a named network
// namespace with a process in it, attached to networks through endpoints.
import { daemonError, PontError } from '../core/errors.js';
import { accessSync, constants, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { BUILTIN_IMAGES, builtinImage } from '../core/images.js';
import type { ContainerRecord, NetworkRecord, State } from '../core/model.js';
import { newId, rfc3339Nano, VALID_NAME } from '../core/names.js';
import { addNetnsStep, linkUpStep, sysctlStep, tolerateGone } from '../kernel/steps.js';
import type { Context } from './context.js';
import { planAttach, planDefaultRoute, planDetach, planEndpointLinks, replaceNetwork } from './endpoints.js';
import { ETC_FILES, etcDir, planEtcFiles, usesEmbeddedDns } from './etc-files.js';
import { dnsReadyStep, stopDnsIfUnused } from './dns.js';
import { findContainer, findNetwork, mustFindContainer } from './lookup.js';
import { explainKill, isAlive, killContainer, monitorAlive, pidPath, signalContainer, startProcess, withContainerCaps, type Started } from './process.js';
import { inverse, type Step } from './steps.js';
import { transact } from './transaction.js';
import { makeDirStep } from '../kernel/steps.js';
import { randomName } from '../core/random-name.js';
import { shellLine } from '../core/shell.js';
import { containerEnv } from '../core/env.js';
import { hostname } from 'node:os';
import { parseIPv4 } from '../core/ipv4.js';
import type { PublishedPort } from '../core/model.js';
import { PortAllocatorError } from '../core/ports/errors.js';
import { allocateHostPorts, planPublishAll, type ExposedPort, type PortBinding, type Proto } from '../core/ports/portspec.js';
import { ephemeralRange, hostBoundPorts } from '../kernel/sockets.js';
import { driverFor } from '../drivers/registry.js';
import { NETNS_DIR } from '../kernel/netns.js';

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

/**
 * Chooses host ports for the bindings (random ones from the ephemeral range, first free
 * ascending), refusing ports another container publishes or a host process holds.
 */
function planPorts(state: State, net: NetworkRecord, bindings: PortBinding[], name: string, host: HostPorts): PublishedPort[] {
  if (!bindings.length) return [];
  const inUse = new Set(host.bound);
  for (const c of state.containers) for (const p of c.ports) inUse.add(`${p.proto}:${p.hostIp || '0.0.0.0'}:${p.hostPort}`);
  let chosen: number[];
  try {
    chosen = allocateHostPorts(bindings, inUse, host.range);
  } catch (e) {
    if (!(e instanceof PortAllocatorError)) throw e;
    const msg = `driver failed programming external connectivity on endpoint ${name} (${newId()}): ${e.message}`;
    throw atStart(daemonError(msg.replace(/\.$/, '')));
  }
  return bindings.map((b, i) => ({ networkId: net.id, hostIp: b.hostIp, hostPort: chosen[i], containerPort: b.containerPort, proto: b.proto }));
}

/**
 * What the host holds, read before the store's lock is taken: host processes do not take it,
 * so reading under it would be no less racy, only longer.
 */
interface HostPorts {
  bound: Set<string>;
  range: { low: number; high: number };
}
const readHostPorts = (): HostPorts => ({ bound: hostBoundPorts(), range: ephemeralRange() });

const portKey = (e: ExposedPort) => `${e.port}/${e.proto}`;

/** /run/netns/NAME or /etc/netns/NAME exists and no container of pont's has that namespace. */
function foreignNetns(state: State, name: string): boolean {
  if (state.containers.some((c) => c.netns === name)) return false;
  return [`${NETNS_DIR}/${name}`, etcDir(name)].some((p) => existsSync(p));
}

/** Marks an error as found while starting the container (see PontError.atStart). */
function atStart(e: unknown): unknown {
  if (!(e instanceof PontError)) return e;
  return new PontError(e.message, { category: e.category, exitCode: e.exitCode, hints: e.hints, cause: e.cause, atStart: true });
}

/** The container's process as a shell line: in its namespace, with its own hostname (see process.ts). */
function processLine(ctr: ContainerRecord): string {
  const enter = ctr.netns ? ['ip', 'netns', 'exec', ctr.netns, 'unshare', '--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', ctr.hostname] : [];
  return shellLine([...enter, ...withContainerCaps(['env', '-i', '--', ...containerEnv(ctr, ctr.tty, hostname()), ...ctr.cmd])]);
}

/** A step that starts the process; it writes the pids into the record the store step will save. */
function startStep(ctr: ContainerRecord, onStart: (s: Started) => void): Step {
  let started: Started | undefined;
  // the pid file of an earlier run (start after stop): an undo puts it back as it was
  let pidFile: string | null = null;
  return {
    explain: () => [`${processLine(ctr)}${ctr.interactive ? '' : ' </dev/null'} &`],
    explainUndo: () => explainKill(ctr, true),
    apply: async () => {
      pidFile = readIfExists(pidPath(ctr.id));
      started = await startProcess({ id: ctr.id, netns: ctr.netns, hostname: ctr.hostname, cmd: ctr.cmd, env: containerEnv(ctr, ctr.tty, hostname()), detach: true, interactive: ctr.interactive });
      recordStarted(ctr, started);
      ctr.startedAt = rfc3339Nano();
      onStart(started);
    },
    undo: async () => {
      if (started) killContainer({ ...started, netns: ctr.netns }, true);
      if (pidFile === null) rmSync(pidPath(ctr.id), { force: true });
      else writeFileSync(pidPath(ctr.id), pidFile, { mode: 0o600 });
    },
  };
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export async function runContainer(ctx: Context, req: RunRequest, opts: { foreground?: (ctr: ContainerRecord) => Promise<Started> } = {}): Promise<ContainerRecord> {
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
  const host = readHostPorts();
  return transact(ctx, (state) => {
    const name = req.name ?? randomName((n) => state.containers.some((c) => c.name === n) || foreignNetns(state, n));
    const clash = state.containers.find((c) => c.name === name);
    if (clash) {
      throw daemonError(
        `Conflict. The container name "/${name}" is already in use by container "${clash.id}". You have to remove (or rename) that container to be able to reuse that name`,
      );
    }
    const netRef = req.network ?? 'bridge';
    const net = findNetwork(state, netRef);
    if (!net) throw atStart(daemonError(`network ${netRef} not found`, 'not-found'));
    // the name becomes /run/netns/NAME and /etc/netns/NAME: another tool's must stay as they are
    if (net.driver !== 'host' && foreignNetns(state, name)) {
      throw daemonError(`Conflict. The network namespace "${name}" already exists on this host (made by another tool): choose another --name`);
    }
    if (req.aliases.length && net.predefined) {
      throw new PontError('network-scoped alias is supported only for containers in user defined networks', { category: 'usage', exitCode: 125 });
    }
    const id = newId();
    const hostNet = net.driver === 'host';
    let ctr: ContainerRecord = {
      id,
      name,
      created: rfc3339Nano(),
      netns: hostNet ? '' : name,
      networkMode: req.network ?? 'default',
      image,
      hostname: req.hostname ?? (hostNet ? '' : id.slice(0, 12)),
      cmd,
      env: req.env,
      tty: req.tty,
      interactive: req.interactive,
      autoRemove: req.autoRemove,
      pid: 0,
      monitorPid: 0,
      startedAt: '0001-01-01T00:00:00Z',
      finishedAt: '0001-01-01T00:00:00Z',
      exitCode: 0,
      running: false,
      endpoints: [],
      nextIfIndex: 0,
      dns: req.dns,
      dnsSearch: req.dnsSearch,
      dnsOptions: req.dnsOptions,
      extraHosts: req.extraHosts,
      ...(net.driver === 'host' || net.driver === 'null' ? { modeEndpointId: newId() } : {}),
      exposed: exposed.map(portKey),
      portBindings: bindings.map(storedBinding),
      publishAll: req.publishAll,
      // host, none and internal networks have no way in: Docker ignores their published ports
      ports: driverFor(net.driver).capabilities.ports && !net.internal ? planPorts(state, net, bindings, name, host) : [],
    };
    const steps: Step[] = [];
    let networks = state.networks;
    if (!hostNet) {
      steps.push(...planNamespace(ctr.netns));
      const before = ctr;
      let a;
      try {
        a = planAttach(ctr, net, { ip: req.ip, aliases: req.aliases, mac: req.mac, connected: false });
      } catch (e) {
        throw atStart(e);
      }
      ctr = a.container;
      networks = replaceNetwork(state, a.network);
      steps.push(...a.steps, ...planDefaultRoute(before, ctr, networks));
      steps.push(...planEtcFiles(ctr, networks));
    }
    const record = ctr;
    steps.push(makeDirStep(`/run/pont/containers/${id}`));
    if (record.netns && usesEmbeddedDns(record, networks)) {
      const during = { ...state, networks, containers: [...state.containers, { ...record, running: true }] };
      steps.push(dnsReadyStep(ctx.store, state, during, record));
    }
    if (opts.foreground) {
      steps.push({
        explain: () => [processLine(record)],
        explainUndo: () => [],
        apply: async () => {
          recordStarted(record, await opts.foreground!(record));
          record.startedAt = rfc3339Nano();
        },
        undo: async () => killContainer(record, false),
      });
    } else {
      steps.push(startStep(record, () => {}));
    }
    return { steps, next: { ...state, networks, containers: [...state.containers, record] }, result: record };
  });
}

/** A teardown must work on what a crash left: bringing up a link that is gone is no error. */
const upIfThere = (s: Step): Step => ({ ...s, apply: (k) => tolerateGone(s.apply(k)) });

/** The container's namespace, as run makes it before any endpoint. */
function planNamespace(netns: string): Step[] {
  return [
    addNetnsStep(netns),
    // pont networks are IPv4: like Docker, no IPv6 (not even ::1 or link-local) in the container
    sysctlStep('net.ipv6.conf.all.disable_ipv6', '1', netns),
    sysctlStep('net.ipv6.conf.default.disable_ipv6', '1', netns),
    linkUpStep('lo', netns),
  ];
}

/**
 * Every step that undoes a container's network: endpoints, files, namespace. `beforeNamespace`
 * (killing the process) runs after everything that can be undone and before the namespace
 * goes, so a failure up to it leaves the container whole, its process included.
 */
export function planTeardown(state: State, ctr: ContainerRecord, beforeNamespace: Step[] = []): { steps: Step[]; networks: NetworkRecord[] } {
  // First a step whose undo runs last, once the interfaces are back: for a running container its
  // default route goes (and comes back); a stopped one's links were down, and go down again.
  const steps: Step[] = ctr.running
    ? planDefaultRoute(ctr, { ...ctr, endpoints: [] }, state.networks)
    : ctr.netns ? ctr.endpoints.filter((e) => e.ifname).map((e) => upIfThere(linkUpStep(e.ifname, ctr.netns))) : [];
  let networks = state.networks;
  let c = ctr;
  for (const ep of [...ctr.endpoints].reverse()) {
    const net = networks.find((n) => n.id === ep.networkId);
    if (!net) continue;
    const d = planDetach(c, net);
    steps.push(...d.steps);
    c = d.container;
    networks = networks.map((n) => (n.id === net.id ? d.network : n));
  }
  if (ctr.netns) steps.push(...inverse([makeDirStep(etcDir(ctr.netns), ETC_FILES)]));
  // the run directory holds the process's pid file, log and stdin: it goes once the process has
  steps.push(...beforeNamespace, ...inverse([makeDirStep(`/run/pont/containers/${ctr.id}`)]));
  // the whole namespace set-up, so that an undo makes it again as run did
  if (ctr.netns) steps.push(...inverse(planNamespace(ctr.netns)));
  return { steps, networks };
}

async function removeOne(ctx: Context, ref: string, force: boolean): Promise<void> {
  await transact(ctx, (state) => {
    const ctr = mustFindContainer(state, ref);
    const alive = ctr.running && isAlive(ctr);
    if (alive && !force) {
      throw daemonError(`You cannot remove a running container ${ctr.id}. Stop the container before attempting removal or force remove`);
    }
    const kill: Step = {
      explain: () => (alive ? explainKill(ctr, true) : []),
      explainUndo: () => [],
      apply: async () => {
        if (alive) killContainer(ctr, true);
      },
      undo: async () => {},
    };
    const t = planTeardown(state, ctr, [kill]);
    return {
      steps: t.steps,
      next: { ...state, networks: t.networks, containers: state.containers.filter((c) => c.id !== ctr.id) },
      result: undefined,
      after: stopDnsIfUnused,
    };
  });
}

/** Docker's CLI removes each in turn, reports each failure, and fails at the end. */
export async function removeContainers(ctx: Context, refs: string[], force: boolean): Promise<boolean> {
  let ok = true;
  for (const ref of refs) {
    try {
      await removeOne(ctx, ref, force);
      if (!ctx.dryRun) ctx.out(ref);
    } catch (e) {
      if (!(e instanceof PontError)) throw e;
      const missing = /No such container/.test(e.message);
      ctx.err(missing ? `Error: No such container: ${ref}` : e.message);
      // `docker rm -f nosuch` reports it but succeeds
      if (!(missing && force)) ok = false;
    }
  }
  return ok;
}

/** Called by the monitor when the process ends: record it, and remove a --rm container. */
export async function containerExited(ctx: Context, id: string, code: number): Promise<void> {
  await transact(ctx, (state) => {
    const ctr = findContainer(state, id);
    if (!ctr) return { steps: [], next: state, result: undefined };
    if (ctr.autoRemove) {
      const t = planTeardown(state, ctr);
      return { steps: t.steps, next: { ...state, networks: t.networks, containers: state.containers.filter((c) => c.id !== ctr.id) }, result: undefined, after: stopDnsIfUnused };
    }
    const done: ContainerRecord = { ...ctr, running: false, ...NO_PROCESS, exitCode: code, finishedAt: rfc3339Nano(), ports: [] };
    return { steps: [...planUnpublishAll(state, ctr), ...planEndpointLinks(ctr, state.networks, false)], next: { ...state, containers: state.containers.map((c) => (c.id === id ? done : c)) }, result: undefined, after: stopDnsIfUnused };
  });
}

/** HostConfig.PortBindings as Docker stores them: HostPort "" (any), "8000" or "8000-8010". */
function storedBinding(b: PortBinding): ContainerRecord['portBindings'][number] {
  const hostPort = b.hostPortRange ? `${b.hostPortRange.start}-${b.hostPortRange.end}` : b.hostPort === null ? '' : String(b.hostPort);
  return { hostIp: b.hostIp, hostPort, containerPort: b.containerPort, proto: b.proto };
}

/** The inverse of storedBinding, for `start`. */
function bindingOf(b: ContainerRecord['portBindings'][number]): PortBinding {
  const range = /^(\d+)-(\d+)$/.exec(b.hostPort);
  return {
    hostIp: b.hostIp,
    hostPort: range || b.hostPort === '' ? null : Number(b.hostPort),
    containerPort: b.containerPort,
    proto: b.proto as Proto,
    ...(range ? { hostPortRange: { start: Number(range[1]), end: Number(range[2]) } } : {}),
  };
}

/**
 * `pont start`: a stopped container gets its process back, in the namespace and with the
 * addresses it kept (D-stopped-keeps-address), and its ports published again (fixed host ports
 * as asked, others chosen anew, as Docker does).
 */
export async function startContainer(ctx: Context, ref: string): Promise<void> {
  const host = readHostPorts();
  await transact(ctx, (state) => {
    const ctr = mustFindContainer(state, ref);
    if (ctr.running && isAlive(ctr)) return { steps: [], next: state, result: undefined };
    if (ctr.netns && !ctx.kernel.netnsExists(ctr.netns)) {
      throw daemonError(`container ${ctr.id} cannot start: its network namespace ${ctr.netns} is gone (the host restarted); remove it and run it again`, 'conflict');
    }
    // ports go on the first network that can publish them, as at run time
    const eligible = ctr.endpoints
      .map((ep) => ({ ep, net: state.networks.find((n) => n.id === ep.networkId) }))
      .find(({ net }) => net && driverFor(net.driver).capabilities.ports && !net.internal);
    const record: ContainerRecord = {
      ...ctr,
      ports: eligible ? planPorts(state, eligible.net!, ctr.portBindings.map(bindingOf), ctr.name, host) : [],
      exitCode: 0,
      finishedAt: ctr.finishedAt,
    };
    const steps: Step[] = planEndpointLinks(record, state.networks, true);
    if (eligible) steps.push(...(driverFor(eligible.net!.driver).planPublish?.(eligible.net!, record, eligible.ep) ?? []));
    // (its run directory, with its log, is there since `run` and stays until `rm`)
    if (record.netns && usesEmbeddedDns(record, state.networks)) {
      const during = { ...state, containers: state.containers.map((c) => (c.id === ctr.id ? { ...record, running: true } : c)) };
      steps.push(dnsReadyStep(ctx.store, state, during, record));
    }
    steps.push(startStep(record, () => {}));
    return { steps, next: { ...state, containers: state.containers.map((c) => (c.id === ctr.id ? record : c)) }, result: undefined };
  });
}

/**
 * A stopped container publishes nothing: as Docker does on stop, its port rules go and its host
 * ports are free for others (its address stays, see D-stopped-keeps-address).
 */
function planUnpublishAll(state: State, ctr: ContainerRecord): Step[] {
  const steps: Step[] = [];
  for (const ep of ctr.endpoints) {
    const net = state.networks.find((n) => n.id === ep.networkId);
    if (net) steps.push(...(driverFor(net.driver).planUnpublish?.(net, ctr, ep) ?? []));
  }
  return steps;
}

/** SIGTERM, then SIGKILL after `timeout` seconds, as `docker stop` does. */
export async function stopContainer(ctx: Context, ref: string, timeout: number): Promise<void> {
  const ctr = mustFindContainer(ctx.store.read(), ref);
  if (!ctr.running) return;
  if (!isAlive(ctr)) {
    // its process is gone (or its pid now names another process) and no monitor will report:
    // record it as exited, as a restart finds it
    if (!ctx.dryRun && !monitorAlive(ctr)) await containerExited(ctx, ctr.id, 255);
    return;
  }
  if (ctx.dryRun) {
    ctx.out(`kill -TERM ${ctr.pid}`);
    return;
  }
  signalContainer(ctr, 'SIGTERM');
  const deadline = Date.now() + timeout * 1000;
  while (isAlive(ctr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (isAlive(ctr)) killContainer({ ...ctr, monitorPid: 0 }, false);
  // wait for the monitor to record the exit (and remove a --rm container); on a loaded machine
  // its `pont container-exited` may take a few seconds to start
  const recorded = Date.now() + 15_000;
  while (Date.now() < recorded) {
    const now = ctx.store.read().containers.find((c) => c.id === ctr.id);
    if (!now || !now.running) return;
    if (!monitorAlive(ctr)) {
      await containerExited(ctx, ctr.id, 137);
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

const NO_PROCESS = { pid: 0, monitorPid: 0, pidStart: undefined, monitorPidStart: undefined };

function recordStarted(ctr: ContainerRecord, s: Started): void {
  ctr.pid = s.pid;
  ctr.monitorPid = s.monitorPid;
  ctr.pidStart = s.pidStart;
  ctr.monitorPidStart = s.monitorPidStart;
  ctr.running = true;
}
