// Docker's shapes for containers: `inspect` (the fields pont has, in Docker's key order) and
// `ps` rows with Docker's human durations. Pure.
import type { ContainerRecord, NetworkRecord } from './model.js';
import { goTimeString } from './present-network.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function inspectContainer(c: ContainerRecord, networks: NetworkRecord[], paths: { run: string }): Record<string, unknown> {
  const byId = new Map(networks.map((n) => [n.id, n]));
  const nets: Record<string, unknown> = {};
  for (const ep of c.endpoints) {
    const n = byId.get(ep.networkId);
    if (!n) continue;
    nets[n.name] = {
      IPAMConfig: ep.requestedIp ? { IPv4Address: ep.requestedIp } : ep.connected ? {} : null,
      Links: null,
      Aliases: n.predefined ? null : ep.aliases,
      NetworkID: n.id,
      EndpointID: ep.endpointId,
      Gateway: ep.gateway,
      IPAddress: ep.ipAddress,
      IPPrefixLen: ep.prefixLen,
      IPv6Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      MacAddress: ep.macAddress,
      DriverOpts: ep.connected ? {} : null,
    };
  }
  const mode = c.networkMode === 'default' ? 'bridge' : c.networkMode;
  if (mode === 'host' || mode === 'none') {
    const n = networks.find((x) => x.name === mode);
    if (n) nets[mode] = { IPAMConfig: null, Links: null, Aliases: null, NetworkID: n.id, EndpointID: '', Gateway: '', IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, MacAddress: '', DriverOpts: null };
  }
  // Docker fills the top-level fields from the default bridge's endpoint only.
  const bridge = networks.find((n) => n.name === 'bridge');
  const top = c.endpoints.find((e) => e.networkId === bridge?.id);
  const status = c.running ? 'running' : c.pid === 0 && c.startedAt === ZERO_TIME ? 'created' : 'exited';
  return {
    Id: c.id,
    Created: c.created,
    Path: c.cmd[0] ?? '',
    Args: c.cmd.slice(1),
    State: {
      Status: status,
      Running: c.running,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: c.running ? c.pid : 0,
      ExitCode: c.exitCode,
      Error: '',
      StartedAt: c.startedAt,
      FinishedAt: c.finishedAt,
    },
    Image: c.image,
    ResolvConfPath: c.netns ? `/etc/netns/${c.netns}/resolv.conf` : '/etc/resolv.conf',
    HostnamePath: c.netns ? `/etc/netns/${c.netns}/hostname` : '/etc/hostname',
    HostsPath: c.netns ? `/etc/netns/${c.netns}/hosts` : '/etc/hosts',
    LogPath: `${paths.run}/containers/${c.id}/container.log`,
    Name: `/${c.name}`,
    RestartCount: 0,
    Driver: 'pont',
    Platform: 'linux',
    HostConfig: {
      NetworkMode: c.networkMode,
      PortBindings: portBindings(c),
      AutoRemove: c.autoRemove,
      Dns: c.dns,
      DnsOptions: c.dnsOptions,
      DnsSearch: c.dnsSearch,
      ExtraHosts: c.extraHosts.length ? c.extraHosts : null,
      PublishAllPorts: c.publishAll,
    },
    Config: {
      Hostname: c.hostname,
      Domainname: '',
      User: '',
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      ...(c.exposed.length ? { ExposedPorts: Object.fromEntries(c.exposed.map((p) => [p, {}])) } : {}),
      Tty: c.tty,
      OpenStdin: c.interactive,
      StdinOnce: false,
      Env: null,
      Cmd: c.cmd,
      Image: c.image,
      Labels: {},
    },
    NetworkSettings: {
      Bridge: '',
      SandboxID: c.netns ? c.id : '',
      HairpinMode: false,
      Ports: ports(c),
      SandboxKey: c.netns ? `/run/netns/${c.netns}` : '',
      EndpointID: top?.endpointId ?? '',
      Gateway: top?.gateway ?? '',
      IPAddress: top?.ipAddress ?? '',
      IPPrefixLen: top?.prefixLen ?? 0,
      MacAddress: top?.macAddress ?? '',
      Networks: nets,
    },
  };
}

function portBindings(c: ContainerRecord): Record<string, unknown> {
  const out: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const b of c.portBindings) (out[`${b.containerPort}/${b.proto}`] ??= []).push({ HostIp: b.hostIp, HostPort: b.hostPort });
  return out;
}

function ports(c: ContainerRecord): Record<string, unknown> {
  const out: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
  for (const e of c.exposed) out[e] = null;
  for (const p of c.ports) {
    const key = `${p.containerPort}/${p.proto}`;
    (out[key] ??= []);
    out[key]!.push({ HostIp: p.hostIp || '0.0.0.0', HostPort: String(p.hostPort) });
  }
  return out;
}

/** Go's units.HumanDuration, as `docker ps` prints ages. */
export function humanDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.floor(ms / 60000);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(ms / 3600000);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  if (h < 24 * 7 * 2) return `${Math.floor(h / 24)} days`;
  if (h < 24 * 30 * 2) return `${Math.floor(h / 24 / 7)} weeks`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24 / 30)} months`;
  return `${Math.floor(h / 24 / 365)} years`;
}

export function psRow(c: ContainerRecord, networks: NetworkRecord[], now: number, opts: { noTrunc: boolean; ports: string }): Record<string, unknown> {
  const byId = new Map(networks.map((n) => [n.id, n.name]));
  const cmd = c.cmd.join(' ');
  const shown = opts.noTrunc || cmd.length <= 20 ? cmd : `${cmd.slice(0, 19)}…`;
  const status = c.running
    ? `Up ${humanDuration(now - Date.parse(c.startedAt))}`
    : c.startedAt.startsWith('0001')
      ? 'Created'
      : `Exited (${c.exitCode}) ${humanDuration(now - Date.parse(c.finishedAt))} ago`;
  const mode = c.networkMode === 'default' ? 'bridge' : c.networkMode;
  const netNames = c.endpoints.length ? c.endpoints.map((e) => byId.get(e.networkId) ?? '').join(',') : mode === 'host' || mode === 'none' ? mode : '';
  return {
    ID: opts.noTrunc ? c.id : c.id.slice(0, 12),
    Image: c.image,
    Command: `"${shown}"`,
    CreatedAt: goTimeString(c.created.replace(/\.\d+Z$/, 'Z')),
    RunningFor: `${humanDuration(now - Date.parse(c.created))} ago`,
    Ports: opts.ports,
    Status: status,
    State: c.running ? 'running' : 'exited',
    Names: c.name,
    Networks: netNames,
    Labels: '',
    Mounts: '',
    LocalVolumes: '0',
    Size: '0B',
  };
}
