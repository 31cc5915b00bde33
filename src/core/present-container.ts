// Docker's shapes for containers: `inspect` (the fields pont has, in Docker's key order) and
// `ps` rows with Docker's human durations. Pure.
import { containerState, type ContainerRecord, type NetworkRecord } from './model.js';
import { goTimeString } from './present-network.js';


// HostConfig fields pont has no say in, with the values Docker 20.10 shows for a plain `run`,
// so that the JSON has Docker's full shape (see docs/reference/docker-20.10-observed.md).
const HOST_CONFIG_HEAD = { Binds: null, ContainerIDFile: '', LogConfig: { Type: 'json-file', Config: {} } };
const HOST_CONFIG_TAIL = {
  ReadonlyRootfs: false, SecurityOpt: null, UTSMode: '', UsernsMode: '', ShmSize: 67108864, Runtime: 'runc', ConsoleSize: [0, 0],
  Isolation: '', CpuShares: 0, Memory: 0, NanoCpus: 0, CgroupParent: '', BlkioWeight: 0, BlkioWeightDevice: [],
  BlkioDeviceReadBps: null, BlkioDeviceWriteBps: null, BlkioDeviceReadIOps: null, BlkioDeviceWriteIOps: null,
  CpuPeriod: 0, CpuQuota: 0, CpuRealtimePeriod: 0, CpuRealtimeRuntime: 0, CpusetCpus: '', CpusetMems: '', Devices: [],
  DeviceCgroupRules: null, DeviceRequests: null, KernelMemory: 0, KernelMemoryTCP: 0, MemoryReservation: 0, MemorySwap: 0,
  MemorySwappiness: null, OomKillDisable: false, PidsLimit: null, Ulimits: null, CpuCount: 0, CpuPercent: 0,
  IOMaximumIOps: 0, IOMaximumBandwidth: 0,
  MaskedPaths: ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware'],
  ReadonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
};

/** The host's network namespace, as pont shows it for `--network host` containers. */
export const HOST_NETNS_PATH = '/proc/1/ns/net';

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
      // a pont addition on CNI networks: the plugins' result (interfaces, addresses, routes, dns)
      ...(ep.cniResult ? { CNIResult: ep.cniResult } : {}),
    };
  }
  const mode = c.networkMode === 'default' ? 'bridge' : c.networkMode;
  if (mode === 'host' || (mode === 'none' && !c.leftNone)) {
    const n = networks.find((x) => x.name === mode);
    if (n) nets[mode] = { IPAMConfig: null, Links: null, Aliases: null, NetworkID: n.id, EndpointID: c.modeEndpointId ?? '', Gateway: '', IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, MacAddress: '', DriverOpts: null };
  }
  // Docker fills the top-level fields from the default bridge's endpoint only.
  const bridge = networks.find((n) => n.name === 'bridge');
  const top = c.endpoints.find((e) => e.networkId === bridge?.id);
  const status = containerState(c);
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
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: {
      ...HOST_CONFIG_HEAD,
      NetworkMode: c.networkMode,
      PortBindings: portBindings(c),
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
      AutoRemove: c.autoRemove,
      VolumeDriver: '',
      VolumesFrom: null,
      CapAdd: null,
      CapDrop: null,
      CgroupnsMode: 'host',
      Dns: c.dns,
      DnsOptions: c.dnsOptions,
      DnsSearch: c.dnsSearch,
      ExtraHosts: c.extraHosts.length ? c.extraHosts : null,
      GroupAdd: null,
      IpcMode: 'private',
      Cgroup: '',
      Links: null,
      OomScoreAdj: 0,
      PidMode: '',
      Privileged: false,
      PublishAllPorts: c.publishAll,
      ...HOST_CONFIG_TAIL,
    },
    GraphDriver: { Data: null, Name: 'none' },
    Mounts: [],
    Config: {
      Hostname: c.hostname,
      Domainname: '',
      User: '',
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      ...(c.exposed.length ? { ExposedPorts: sortedKeys(Object.fromEntries(c.exposed.map((p) => [p, {}]))) } : {}),
      Tty: c.tty,
      OpenStdin: c.interactive,
      StdinOnce: false,
      Env: null,
      Cmd: c.cmd,
      Image: c.image,
      Volumes: null,
      WorkingDir: '',
      Entrypoint: null,
      OnBuild: null,
      Labels: c.labels ?? {},
    },
    NetworkSettings: {
      Bridge: '',
      SandboxID: c.netns || c.networkMode === 'host' ? c.id : '',
      HairpinMode: false,
      LinkLocalIPv6Address: '',
      LinkLocalIPv6PrefixLen: 0,
      Ports: ports(c),
      // A host-network container lives in the host's namespace, which /run/netns does not name;
      // /proc/1/ns/net is the kernel's handle to it (`nsenter --net=/proc/1/ns/net`).
      SandboxKey: c.netns ? `/run/netns/${c.netns}` : c.networkMode === 'host' ? HOST_NETNS_PATH : '',
      SecondaryIPAddresses: null,
      SecondaryIPv6Addresses: null,
      EndpointID: top?.endpointId ?? '',
      Gateway: top?.gateway ?? '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      IPAddress: top?.ipAddress ?? '',
      IPPrefixLen: top?.prefixLen ?? 0,
      IPv6Gateway: '',
      MacAddress: top?.macAddress ?? '',
      Networks: nets,
    },
  };
}

/** Go marshals maps in key order ("7000/tcp" before "80/tcp"). */
const sortedKeys = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function portBindings(c: ContainerRecord): Record<string, unknown> {
  const out: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const b of c.portBindings) (out[`${b.containerPort}/${b.proto}`] ??= []).push({ HostIp: b.hostIp, HostPort: b.hostPort });
  return sortedKeys(out);
}

function ports(c: ContainerRecord): Record<string, unknown> {
  const out: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
  if (!c.running) return out;
  for (const e of c.exposed) out[e] = null;
  for (const p of c.ports) {
    const key = `${p.containerPort}/${p.proto}`;
    (out[key] ??= []);
    out[key]!.push({ HostIp: p.hostIp || '0.0.0.0', HostPort: String(p.hostPort) });
  }
  return sortedKeys(out);
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
  const state = containerState(c);
  const status = state === 'running'
    ? `Up ${humanDuration(now - Date.parse(c.startedAt))}`
    : state === 'created'
      ? 'Created'
      : `Exited (${c.exitCode}) ${humanDuration(now - Date.parse(c.finishedAt))} ago`;
  const mode = c.networkMode === 'default' ? 'bridge' : c.networkMode;
  const netNames = c.endpoints.length ? c.endpoints.map((e) => byId.get(e.networkId) ?? '').join(',') : mode === 'host' || mode === 'none' ? mode : '';
  // keys in Go's JSON order for `--format '{{json .}}'`
  return {
    Command: `"${shown}"`,
    CreatedAt: goTimeString(c.created.replace(/\.\d+Z$/, 'Z')),
    ID: opts.noTrunc ? c.id : c.id.slice(0, 12),
    Image: c.image,
    Labels: Object.entries(c.labels ?? {}).map(([k, v]) => `${k}=${v}`).sort().join(','),
    LocalVolumes: '0',
    Mounts: '',
    Names: c.name,
    Networks: netNames,
    Ports: c.running ? opts.ports : '',
    RunningFor: `${humanDuration(now - Date.parse(c.created))} ago`,
    Size: '0B',
    State: state,
    Status: status,
  };
}
