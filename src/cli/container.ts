// `pont run | exec | ps | stop | rm | inspect | logs` and the monitor's `container-exited`.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { containerEnv, DEFAULT_PATH, parseEnvFile, parseEnvOption } from '../core/env.js';
import { daemonError, PontError } from '../core/errors.js';
import type { ContainerRecord, State } from '../core/model.js';
import { findContainer, findNetwork } from '../engine/lookup.js';
import { readState } from '../engine/read-state.js';
import { argCountError, collect, eachName, parseFlags, refuseControl } from './args.js';
import { planContainerFilter } from '../core/filters/container.js';
import { parseIPv4 } from '../core/ipv4.js';
import { printable } from '../core/validate/flag-error.js';
import {
  parseAddHost, parseAlias, parseContainerName, parseDns, parseDnsOption, parseDnsSearch, parseHostname, parseMac,
} from '../core/validate/container-flags.js';
import { parseExpose, parsePublish, requireIPv4HostIps, type ExposedPort, type PortBinding } from '../core/ports/portspec.js';
import { withContext } from './context.js';

// Loaded when a command runs (see cli/network.ts).
const containers = () => import('../engine/container/index.js');
const processes = () => import('../kernel/process.js');

/** `docker run` reports daemon errors as "docker: <msg>." plus a help line, exit 125. */
function runError(e: unknown, command = 'run'): never {
  if (e instanceof PontError && e.category !== 'internal' && e.category !== 'kernel' && e.category !== 'store') {
    const msg = e.message.endsWith('.') ? e.message : `${e.message}.`;
    const help = e.atStart ? '' : `\nSee 'pont ${command} --help'.`;
    throw new PontError(`pont: ${msg}${help}`, { category: e.category, exitCode: 125, hints: e.hints, cause: e });
  }
  throw e;
}

/** --env-file values, then -e values, as docker/cli orders them. */
function readEnv(values: string[], files: string[], command: string): string[] {
  const lookup = (name: string) => process.env[name];
  const out: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (e) {
      runError(new PontError(`open ${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`, { category: 'usage' }), command);
    }
    try {
      out.push(...parseEnvFile(text, lookup));
    } catch (e) {
      runError(e, command);
    }
  }
  for (const v of values) {
    try {
      const e = parseEnvOption(v, lookup);
      if (e !== null) out.push(e);
    } catch (e) {
      // a flag error, worded as cobra's
      throw new PontError(`invalid argument "${v}" for "-e, --env" flag: ${(e as Error).message}\nSee 'pont ${command} --help'.`, { category: 'usage', exitCode: 125 });
    }
  }
  return out;
}

/**
 * The container commands, at the top level (`pont run`, `pont ps`, ...) and again under
 * `pont container` (`pont container stop`, `pont container ls`, ...) as Docker has both.
 */
export function registerContainerCommands(program: Command): void {
  registerOn(program, '');
  registerOn(program.command('container').description('Manage containers').enablePositionalOptions(), 'container ');

  program
    .command('dns')
    .description('Run the embedded DNS resolver in the foreground (pont starts it by itself when needed)')
    .option('--supervise', 'Run the supervisor, which restarts the resolver if it dies')
    .action(async (o) => {
      const { runDnsCommand } = await import('../dns/index.js');
      process.exitCode = await runDnsCommand({ supervise: Boolean(o.supervise) });
    });

  program
    .command('container-exited', { hidden: true })
    .description("internal: the monitor reports a container's exit")
    .argument('<id>')
    .argument('<code>')
    .action(async (id: string, code: string) => {
      const { containerExited } = await containers();
      await withContext({}, (ctx) => containerExited(ctx, id, Number(code)));
      process.exitCode = Number(code);
    });
}

/** `group` is '' at the top level, 'container ' under `pont container` (it names the command in errors). */
function registerOn(program: Command, group: string): void {
  const inGroup = group !== '';
  program
    .command('run')
    .description('Run a command in a new container')
    .usage('[OPTIONS] [IMAGE] [COMMAND] [ARG...]')
    .argument('[args...]')
    .passThroughOptions()
    .option('-d, --detach', 'Run container in background and print container ID')
    .option('-i, --interactive', 'Keep STDIN open even if not attached')
    .option('-t, --tty', 'Allocate a pseudo-TTY')
    .option('--rm', 'Automatically remove the container when it exits')
    .option('--name <name>', 'Assign a name to the container')
    .option('--network <network>', 'Connect a container to a network', collect)
    .option('--ip <ip>', 'IPv4 address (e.g., 172.30.100.104)')
    .option('-h, --hostname <name>', 'Container host name')
    .option('--mac-address <mac>', 'Container MAC address (e.g., 92:d0:c6:0a:29:33)')
    .option('--network-alias <alias>', 'Add network-scoped alias for the container', collect)
    .option('--dns <ip>', 'Set custom DNS servers', collect)
    .option('--dns-search <domain>', 'Set custom DNS search domains', collect)
    .option('--dns-option <opt>', 'Set DNS options', collect)
    .option('--add-host <host:ip>', 'Add a custom host-to-IP mapping (host:ip)', collect)
    .option('-p, --publish <spec>', "Publish a container's port(s) to the host", collect)
    .option('--expose <port>', 'Expose a port or a range of ports', collect)
    .option('-P, --publish-all', 'Publish all exposed ports to random ports')
    .option('-e, --env <var>', 'Set environment variables', collect)
    .option('--env-file <file>', 'Read in a file of environment variables', collect)
    .option('--dry-run', 'Print the equivalent ip/iptables commands, change nothing')
    .action(async (args: string[], o) => {
      // flag values first (Docker's CLI refuses them while parsing flags), then the run-time checks
      const flags = parseFlags(`${group}run`, () => parseRunFlags(o));
      let publish: PortBinding[] = [];
      let expose: ExposedPort[] = [];
      let mac: string | undefined;
      let name: string | undefined;
      try {
        mac = o.macAddress === undefined ? undefined : parseMac(o.macAddress);
        publish = requireIPv4HostIps((o.publish ?? []).flatMap((s: string) => parsePublish(s)));
        expose = (o.expose ?? []).flatMap((s: string) => parseExpose(s));
        if (o.network?.includes('')) throw new PontError('no name set for network', { category: 'usage' });
        name = o.name === undefined ? undefined : parseContainerName(o.name);
        if (o.ip !== undefined && parseIPv4(o.ip) === null) throw daemonError(`invalid IPv4 address: ${printable(o.ip)}`, 'usage');
      } catch (e) {
        runError(e, `${group}run`);
      }
      const env = readEnv(o.env ?? [], o.envFile ?? [], `${group}run`);
      if (o.network?.[0] === 'host' && (publish.length || o.publishAll)) {
        process.stderr.write('WARNING: Published ports are discarded when using host network mode\n');
      }
      const nets: string[] = o.network ?? [];
      if (nets.length > 1) {
        runError(new PontError(`Error response from daemon: Container cannot be connected to network endpoints: ${[...nets].sort().join(', ')}`, { category: 'usage' }), `${group}run`);
      }
      if ((o.networkAlias ?? []).length && nets[0] === 'bridge') {
        runError(new PontError('network-scoped aliases are only supported for user-defined networks', { category: 'usage' }), `${group}run`);
      }
      const req = {
        publish,
        expose,
        publishAll: Boolean(o.publishAll),
        name,
        network: nets[0],
        ip: o.ip,
        mac,
        ...flags,
        detach: Boolean(o.detach),
        interactive: Boolean(o.interactive),
        tty: Boolean(o.tty),
        autoRemove: Boolean(o.rm),
        env,
        args: args[0] === '--' ? args.slice(1) : args,
      };
      const { runContainer } = await containers();
      if (!req.detach) {
        // The terminal's Ctrl-C goes to the container; pont waits for it to end.
        process.on('SIGINT', () => {});
      }
      const { container: ctr, started } = await withContext({ dryRun: o.dryRun }, (ctx) => runContainer(ctx, req)).catch((e) => runError(e, `${group}run`));
      if (o.dryRun) return;
      if (req.detach) {
        console.log(ctr.id);
        return;
      }
      const code = await new Promise<number>((resolve) => {
        const child = started!.child!;
        if (child.exitCode !== null) resolve(child.exitCode);
        else child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
      });
      process.exitCode = code;
    });

  program
    .command('exec')
    .description('Run a command in a running container')
    .argument('[args...]')
    .passThroughOptions()
    .option('-i, --interactive', 'Keep STDIN open even if not attached')
    .option('-t, --tty', 'Allocate a pseudo-TTY')
    .option('-d, --detach', 'Detached mode: run command in the background')
    .action(async (args: string[], o) => {
      if (args.length < 2) throw argCountError(`${group}exec`, 'at least 2 arguments', '[OPTIONS] CONTAINER COMMAND [ARG...]', 'Run a command in a running container');
      const [ref, ...rest] = args;
      refuseControl('', [ref]);
      const cmd = rest[0] === '--' ? rest.slice(1) : rest;
      const [state, { isAlive }, { withContainerCaps }] = await Promise.all([readState(), processes(), import('../core/steps.js')]);
      const ctr = findContainer(state, ref);
      if (!ctr) throw new PontError(`Error: No such container: ${ref}`, { category: 'not-found' });
      if (!ctr.running || !isAlive(ctr)) throw new PontError(`Error response from daemon: Container ${ctr.id} is not running`, { category: 'conflict' });
      // Docker's exec environment is the container's, with TERM for the exec's own -t
      // and the container's capabilities only, as its main process (process.ts)
      const inEnv = withContainerCaps(['env', '-i', '--', ...containerEnv(ctr, Boolean(o.tty), hostname()), ...cmd]);
      const argv = ctr.netns ? ['ip', 'netns', 'exec', ctr.netns, 'nsenter', '-t', String(ctr.pid), '--uts', '--', ...inEnv] : inEnv;
      const child = spawn(argv[0], argv.slice(1), { stdio: o.detach ? 'ignore' : 'inherit', detached: Boolean(o.detach), env: { PATH: DEFAULT_PATH } });
      if (o.detach) {
        child.unref();
        return;
      }
      process.on('SIGINT', () => {});
      process.exitCode = await new Promise<number>((resolve) => {
        child.on('error', () => resolve(126));
        child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
      });
    });

  program
    .command(inGroup ? 'ls' : 'ps')
    .aliases(inGroup ? ['ps', 'list'] : [])
    .description('List containers')
    .option('-a, --all', 'Show all containers (default shows just running)')
    .option('-q, --quiet', 'Only display container IDs')
    .option('--format <template>', 'Pretty-print containers using a Go template')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .option('--no-trunc', "Don't truncate output")
    .action(async (o) => {
      const filter = parseFlags(`${group}ps`, () => planContainerFilter(o.filter ?? []));
      const state = await readState();
      const keep = filter(state);
      const now = Date.now();
      const list = state.containers
        .filter((c) => (o.all || c.running) && keep(c))
        .sort((a, b) => b.created.localeCompare(a.created));
      const { formatPsPorts } = await import('./ports-format.js');
      const { psRow } = await import('../core/present-container.js');
      const rows = list.map((c) => psRow(c, state.networks, now, { noTrunc: !o.trunc, ports: formatPsPorts(c) }));
      const { printList } = await import('./format.js');
      printList(rows, o, 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}', {
        ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED', Ports: 'PORTS', Status: 'STATUS', State: 'STATE', Names: 'NAMES', Networks: 'NETWORKS', Labels: 'LABELS', Mounts: 'MOUNTS', LocalVolumes: 'LOCAL VOLUMES', Size: 'SIZE',
      });
    });

  program
    .command('stop')
    .description('Stop one or more running containers')
    .argument('[containers...]')
    .option('-t, --time <seconds>', 'Seconds to wait for stop before killing it', '10')
    .action(async (refs: string[], o) => {
      if (!refs.length) throw argCountError(`${group}stop`, 'at least 1 argument', '[OPTIONS] CONTAINER [CONTAINER...]', 'Stop one or more running containers');
      refuseControl('', refs);
      const { stopContainer } = await containers();
      await withContext({}, (ctx) =>
        eachName(refs, async (ref) => {
          await stopContainer(ctx, ref, Number(o.time));
          console.log(ref);
        }),
      );
    });

  program
    .command('start')
    .description('Start one or more stopped containers')
    .argument('[containers...]')
    .action(async (refs: string[]) => {
      if (!refs.length) throw argCountError(`${group}start`, 'at least 1 argument', '[OPTIONS] CONTAINER [CONTAINER...]', 'Start one or more stopped containers');
      refuseControl('', refs);
      const { startContainer } = await containers();
      await withContext({}, (ctx) =>
        eachName(
          refs,
          async (ref) => {
            await startContainer(ctx, ref);
            console.log(ref);
          },
          (failed) => `Error: failed to start containers: ${failed.join(', ')}`,
        ),
      );
    });

  program
    .command('restart')
    .description('Restart one or more containers')
    .argument('[containers...]')
    .option('-t, --time <seconds>', 'Seconds to wait for stop before killing the container', '10')
    .action(async (refs: string[], o) => {
      if (!refs.length) throw argCountError(`${group}restart`, 'at least 1 argument', '[OPTIONS] CONTAINER [CONTAINER...]', 'Restart one or more containers');
      refuseControl('', refs);
      const { startContainer, stopContainer } = await containers();
      await withContext({}, (ctx) =>
        eachName(refs, async (ref) => {
          await stopContainer(ctx, ref, Number(o.time));
          await startContainer(ctx, ref);
          console.log(ref);
        }),
      );
    });

  program
    .command('rm')
    .description('Remove one or more containers')
    .argument('[containers...]')
    .option('-f, --force', 'Force the removal of a running container (uses SIGKILL)')
    .option('--dry-run', 'Print the equivalent ip/iptables commands, change nothing')
    .action(async (refs: string[], o) => {
      if (!refs.length) throw argCountError(`${group}rm`, 'at least 1 argument', '[OPTIONS] CONTAINER [CONTAINER...]', 'Remove one or more containers');
      refuseControl('', refs);
      const { removeContainers } = await containers();
      const ok = await withContext({ dryRun: o.dryRun }, (ctx) => removeContainers(ctx, refs, Boolean(o.force)));
      if (!ok) throw new PontError('', { exitCode: 1 });
    });

  const inspect = program
    .command('inspect')
    .description(inGroup ? 'Display detailed information on one or more containers' : 'Return low-level information on containers and networks')
    .argument('[names...]')
    .option('-f, --format <template>', 'Format the output using the given Go template');
  if (!inGroup) inspect.option('--type <type>', 'Return JSON for specified type');
  inspect.action(async (refs: string[], o) => {
    if (!refs.length) {
      throw inGroup
        ? argCountError('container inspect', 'at least 1 argument', '[OPTIONS] CONTAINER [CONTAINER...]', 'Display detailed information on one or more containers')
        : argCountError('inspect', 'at least 1 argument', '[OPTIONS] NAME|ID [NAME|ID...]', 'Return low-level information on Docker objects');
    }
    const state = await readState();
    await printObjects(state, refs, o.format, inGroup ? 'container' : o.type);
  });

  program
    .command('logs')
    .description('Fetch the logs of a container')
    .argument('<container>')
    .action(async (ref: string) => {
      const [state, { logPath }] = await Promise.all([readState(), processes()]);
      const ctr = findContainer(state, ref);
      if (!ctr) throw new PontError(`Error: No such container: ${ref}`, { category: 'not-found' });
      try {
        process.stdout.write(readFileSync(logPath(ctr.id)));
      } catch {
        // a foreground container has no log file: its output went to the terminal
      }
    });

  program
    .command('port')
    .description('List port mappings or a specific mapping for the container')
    .argument('<container>')
    .argument('[private]')
    .action(async (ref: string, priv: string | undefined) => {
      const state = await readState();
      const ctr = findContainer(state, ref);
      if (!ctr) throw new PontError(`Error: No such container: ${ref}`, { category: 'not-found' });
      const [port, proto = 'tcp'] = (priv ?? '').split('/');
      // a stopped container publishes nothing
      const list = ctr.running ? ctr.ports.filter((p) => !priv || (String(p.containerPort) === port && p.proto === proto)) : [];
      if (priv && !list.length) throw new PontError(`Error: No public port '${port}/${proto}' published for ${ref}`, { category: 'not-found' });
      for (const p of list) console.log(priv ? `${p.hostIp || '0.0.0.0'}:${p.hostPort}` : `${p.containerPort}/${p.proto} -> ${p.hostIp || '0.0.0.0'}:${p.hostPort}`);
    });
}

async function printObjects(state: State, refs: string[], format: string | undefined, type: string | undefined): Promise<void> {
  const [{ inspectContainer }, { inspectNetwork }, { RUN_DIR }] = await Promise.all([
    import('../core/present-container.js'),
    import('../core/present-network.js'),
    processes(),
  ]);
  const docs: Record<string, unknown>[] = [];
  const missing: string[] = [];
  for (const ref of refs) {
    const c = type === 'network' ? undefined : findContainer(state, ref);
    const n = c || type === 'container' ? undefined : findNetwork(state, ref);
    if (c) docs.push(inspectContainer(c, state.networks, { run: RUN_DIR }));
    else if (n) docs.push(inspectNetwork(n, state.containers));
    else missing.push(ref);
  }
  if (format) {
    const { renderTemplate } = await import('./format.js');
    for (const d of docs) console.log(renderTemplate(format, d));
  } else console.log(JSON.stringify(docs, null, 4));
  const what = type === 'container' ? 'container' : type === 'network' ? 'network' : 'object';
  if (missing.length) throw new PontError(missing.map((m) => `Error: No such ${what}: ${m}`).join('\n'), { category: 'not-found' });
}

/** The run flags that feed /etc/hosts, resolv.conf, the hostname and DNS names, as typed values. */
function parseRunFlags(o: Record<string, string[] | string | undefined>) {
  const list = (v: unknown) => (v as string[] | undefined) ?? [];
  refuseControl('--network', list(o.network));
  refuseControl('-p, --publish', list(o.publish));
  refuseControl('--expose', list(o.expose));
  return {
    hostname: o.hostname === undefined ? undefined : parseHostname(o.hostname as string),
    aliases: list(o.networkAlias).map((a) => parseAlias('--network-alias', a)),
    dns: list(o.dns).map(parseDns),
    dnsSearch: list(o.dnsSearch).map(parseDnsSearch),
    dnsOptions: list(o.dnsOption).map(parseDnsOption),
    // stored as Docker shows them in HostConfig.ExtraHosts
    extraHosts: list(o.addHost).map(parseAddHost).map((h) => `${h.host}:${h.ip}`),
  };
}
