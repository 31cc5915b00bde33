// What pont records about networks and containers. The store (store/store.ts) persists a
// State; every kernel object pont made can be derived from it (names, rules, addresses).
import type { AddressBook, IpamConfig } from './ipam.js';
import { STORE_VERSION } from './state-schema.js';

export type DriverName = 'bridge' | 'host' | 'null' | 'macvlan' | 'ipvlan' | 'overlay' | 'cni';

export interface NetworkRecord {
  id: string;
  name: string;
  driver: DriverName;
  created: string;
  internal: boolean;
  attachable: boolean;
  labels: Record<string, string>;
  /** Driver options exactly as given (-o), as Docker shows them in "Options". */
  options: Record<string, string>;
  /** --ipam-opt, by key, as Docker shows them in IPAM.Options (its default IPAM reads none: neither does pont's). */
  ipamOptions?: Record<string, string>;
  ipam: IpamConfig[];
  /** The predefined networks (bridge, host, none) cannot be removed. */
  predefined: boolean;
  /** Kernel device for bridge networks. */
  bridge?: string;
  /** macvlan/ipvlan: the parent link, and what pont created for it (a VLAN or dummy link). */
  parent?: string;
  createdParent?: { kind: 'vlan' | 'dummy'; base?: string; vlanId?: number };
  /** macvlan with pont.host_shim: the host's own macvlan link and its address. */
  shim?: { ifname: string; address: string };
  /**
   * overlay: its VXLAN id. The network lives in the cluster store (src/cluster/keys.ts); the local
   * record is a copy, refreshed by every command, and its `book` stays empty: addresses are taken
   * cluster-wide.
   */
  vni?: number;
  /**
   * cni: the network configuration list its plugins run with, as read at create (a later edit of
   * the file changes nothing for this network, as libcni keeps the config of each attachment).
   */
  cni?: { source: string; text: string };
  book: AddressBook;
}

export interface EndpointRecord {
  networkId: string;
  endpointId: string;
  ifname: string;
  /** Host end of the veth, for bridge networks. */
  hostIfname?: string;
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
  aliases: string[];
  /** Set when the user asked for this address (--ip): shown as IPAMConfig like Docker. */
  requestedIp?: string;
  /** Attached by `network connect` rather than at run (Docker then shows IPAMConfig {}). */
  connected?: boolean;
  /** On a CNI network: the plugin chain's result (interfaces, IPs, routes, DNS), as ADD printed it. */
  cniResult?: unknown;
}

export interface PublishedPort {
  /** The network whose endpoint receives the traffic (the one given at run). */
  networkId: string;
  hostIp: string;
  hostPort: number;
  containerPort: number;
  proto: 'tcp' | 'udp' | 'sctp';
}

export interface ContainerRecord {
  id: string;
  name: string;
  created: string;
  /** Network namespace under /run/netns: the container's name, so `ip netns exec NAME` works. */
  netns: string;
  /** --network as given ("default" when omitted, as Docker records it). */
  networkMode: string;
  image: string;
  hostname: string;
  cmd: string[];
  /** -e and --env-file values, resolved at run time (absent in records of older versions). */
  env?: string[];
  tty: boolean;
  interactive: boolean;
  autoRemove: boolean;
  /** Main process, and the monitor that waits for it (0 when not running). */
  pid: number;
  monitorPid: number;
  /**
   * Their start times (field 22 of /proc/PID/stat, clock ticks since boot): a pid is signalled
   * only while it still names the process pont started. Absent in records of older versions.
   */
  pidStart?: number;
  monitorPidStart?: number;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  running: boolean;
  endpoints: EndpointRecord[];
  /** Disconnected from its --network none (it may then join other networks, as in Docker). */
  leftNone?: boolean;
  /** On host/none, Docker still gives the container an endpoint id on that network. */
  modeEndpointId?: string;
  /** Next ethN index: Docker does not reuse an index while the container lives. */
  nextIfIndex: number;
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  extraHosts: string[];
  /** Ports the container exposes ("80/tcp"), from --expose and the image. */
  exposed: string[];
  /** -p bindings as given (before random ports are chosen), for HostConfig.PortBindings. */
  portBindings: { hostIp: string; hostPort: string; containerPort: number; proto: string }[];
  publishAll: boolean;
  /** Config.Labels (absent: none). */
  labels?: Record<string, string>;
  /** Host ports in effect: DNAT rules exist for exactly these. */
  ports: PublishedPort[];
  /**
   * Attached by a CNI runtime through pont's CNI plugin (src/cni): the namespace and the process
   * are the runtime's, pont owns only the endpoints. Running while attached; pid 0.
   */
  external?: ExternalAttachment;
}

export interface ExternalAttachment {
  /** CNI_CONTAINERID: the runtime's id; an endpoint's ifname is the attachment's CNI_IFNAME. */
  containerId: string;
  /** CNI_NETNS as given (its basename is `netns`). */
  netnsPath: string;
}

export interface State {
  /** The store layout it was read in (core/state-schema.ts STORE_VERSION): written always in this pont's. */
  version: number;
  networks: NetworkRecord[];
  containers: ContainerRecord[];
  /** Index of the predefined pool handed out last (Docker's round-robin cursor); -1 for none. */
  poolCursor?: number;
  /** boot id + host netns inode for which pont's base firewall chains were checked. */
  firewallMarker?: string;
  /** The backend pont's firewall for these records is written with (absent: iptables, as before it was recorded). */
  firewallBackend?: 'iptables' | 'nftables';
}

export const emptyState = (): State => ({ version: STORE_VERSION, networks: [], containers: [] });

/** Go's zero time, as Docker shows a container's StartedAt/FinishedAt before it happened. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Docker's State.Status word for a container: never started ("created"), running, or exited. */
export function containerState(c: Pick<ContainerRecord, 'running' | 'startedAt'>): 'created' | 'running' | 'exited' {
  if (c.running) return 'running';
  return c.startedAt === ZERO_TIME ? 'created' : 'exited';
}

/**
 * A container with nothing yet: no process, endpoint, port or DNS setting. `run`, the CNI plugin's
 * ADD and tests build theirs on it, naming only what differs.
 */
export function blankContainer(fields: Pick<ContainerRecord, 'id' | 'name' | 'created' | 'netns' | 'networkMode' | 'image'> & Partial<ContainerRecord>): ContainerRecord {
  return {
    hostname: '', cmd: [], tty: false, interactive: false, autoRemove: false, pid: 0, monitorPid: 0,
    startedAt: ZERO_TIME, finishedAt: ZERO_TIME, exitCode: 0, running: false, endpoints: [], nextIfIndex: 0,
    dns: [], dnsSearch: [], dnsOptions: [], extraHosts: [], exposed: [], portBindings: [], publishAll: false, ports: [],
    ...fields,
  };
}
