// `pont run`: flags into a typed request, then the engine starts the container; a foreground
// one's exit code becomes pont's.
import type { Command } from 'commander';
import { daemonError, PontError } from '../../core/errors.js';
import { parseIPv4 } from '../../core/ipv4.js';
import { parseExpose, parsePublish, requireIPv4HostIps, type ExposedPort, type PortBinding } from '../../core/ports/portspec.js';
import {
  parseAddHost, parseAlias, parseContainerName, parseDns, parseDnsOption, parseDnsSearch, parseHostname, parseMac,
} from '../../core/validate/container-flags.js';
import { printable } from '../../core/validate/flag-error.js';
import { parseLabels } from '../../core/validate/network-flags.js';
import { argCountError, collect, parseFlags, refuseControl } from '../args.js';
import { withContext } from '../context.js';
import { readEnv } from './env-flags.js';
import { say, writeErr } from '../../kernel/stdio.js';

export function registerRun(program: Command, group: string): void {
  program
    .command('run')
    .description('Run a command in a new container')
    .usage('[OPTIONS] IMAGE [COMMAND] [ARG...]')
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
    .option('-l, --label <k=v>', 'Set meta data on a container', collect)
    .option('--dry-run', 'Print the equivalent ip/iptables commands, change nothing')
    .option('--explain', 'Apply the change, and print the equivalent commands on stderr')
    .action(async (args: string[], o) => {
      // flag values first (Docker's CLI refuses them while parsing flags), then the run-time checks
      const flags = parseFlags(`${group}run`, () => parseRunFlags(o));
      // an image is required, as Docker's CLI says (observed: exit 1, its usage)
      if (args.length === 0) throw argCountError(`${group}run`, 'at least 1 argument', '[OPTIONS] IMAGE [COMMAND] [ARG...]', 'Run a command in a new container');
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
      const env = readEnv(o.env ?? [], o.envFile ?? [], `${group}run`, (e) => runError(e, `${group}run`));
      if (o.network?.[0] === 'host' && (publish.length || o.publishAll)) {
        writeErr('WARNING: Published ports are discarded when using host network mode\n');
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
      const { runContainer } = await import('../../engine/container/index.js');
      if (!req.detach) {
        // The terminal's Ctrl-C goes to the container; pont waits for it to end.
        process.on('SIGINT', () => {});
      }
      const { container: ctr, started } = await withContext({ dryRun: o.dryRun, explain: o.explain }, (ctx) => runContainer(ctx, req)).catch((e) => runError(e, `${group}run`));
      if (o.dryRun) return;
      if (req.detach) {
        say(ctr.id);
        return;
      }
      const code = await new Promise<number>((resolve) => {
        const child = started!.child!;
        if (child.exitCode !== null) resolve(child.exitCode);
        else child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
      });
      process.exitCode = code;
    });
}

/**
 * `docker run` reports daemon errors as "docker: <msg>." plus a help line, exit 125. A failure of
 * pont's own machinery (kernel, store, cluster store) keeps its message and exit code 1.
 */
function runError(e: unknown, command: string): never {
  if (e instanceof PontError && !['internal', 'kernel', 'store', 'cluster'].includes(e.category)) {
    const msg = e.message.endsWith('.') ? e.message : `${e.message}.`;
    const help = e.atStart ? '' : `\nSee 'pont ${command} --help'.`;
    throw new PontError(`pont: ${msg}${help}`, { category: e.category, exitCode: 125, hints: e.hints, cause: e });
  }
  throw e;
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
    labels: parseLabels('--label', list(o.label)),
  };
}
