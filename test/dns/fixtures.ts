// Store records for DNS tests and the benchmark: the runtime that fills state.containers is
// written elsewhere, so these build the records it will write, with only what DNS reads varying.
import type { ContainerRecord, NetworkRecord, State } from '../../src/core/model.js';

export interface NetSpec {
  name: string;
  subnet: string; // "10.88.0.0/24"
  driver?: NetworkRecord['driver'];
  predefined?: boolean;
}

/** A 64-hex id whose first 12 hex are derived from `seed`, so tests can predict them. */
export function hexId(seed: number): string {
  return seed.toString(16).padStart(12, '0') + 'f'.repeat(52);
}

export function network(spec: NetSpec, seed: number): NetworkRecord {
  const base = spec.subnet.split('/')[0].split('.');
  return {
    id: hexId(0xe0000 + seed),
    name: spec.name,
    driver: spec.driver ?? 'bridge',
    created: '2024-01-01T00:00:00.000000000Z',
    internal: false,
    attachable: false,
    labels: {},
    options: {},
    ipam: [{ subnet: spec.subnet, gateway: `${base[0]}.${base[1]}.${base[2]}.1` }],
    predefined: spec.predefined ?? false,
    bridge: `br-${spec.name}`,
    book: { allocated: [] },
  };
}

export interface AttachSpec {
  net: NetworkRecord;
  ip: string;
  aliases?: string[];
}

export function container(name: string, seed: number, attach: AttachSpec[], opts: { running?: boolean; netns?: string } = {}): ContainerRecord {
  const id = hexId(seed);
  // the runtime's record keeps growing; DNS reads only id, name, netns, running and endpoints,
  // so a record missing newer fields is still a faithful input (satisfies catches typos)
  const record = {
    id,
    name,
    created: '2024-01-01T00:00:00.000000000Z',
    netns: opts.netns ?? name,
    networkMode: attach[0]?.net.name ?? 'none',
    hostname: id.slice(0, 12),
    cmd: ['sleep', 'infinity'],
    tty: false,
    interactive: false,
    autoRemove: false,
    pid: 0,
    startedAt: '2024-01-01T00:00:00.000000000Z',
    finishedAt: '0001-01-01T00:00:00Z',
    exitCode: 0,
    running: opts.running ?? true,
    endpoints: attach.map((a, i) => ({
      networkId: a.net.id,
      endpointId: hexId(0xd00000 + seed * 16 + i),
      ifname: `eth${i}`,
      ipAddress: a.ip,
      prefixLen: Number(a.net.ipam[0].subnet.split('/')[1]),
      gateway: a.ip.replace(/\.\d+$/, '.1'),
      macAddress: '02:42:' + a.ip.split('.').map((b) => Number(b).toString(16).padStart(2, '0')).join(':'),
      aliases: [...(a.aliases ?? []), id.slice(0, 12)],
    })),
    nextIfIndex: attach.length,
    image: 'busybox',
    monitorPid: 0,
    dns: [],
    dnsSearch: [],
    dnsOptions: [],
    extraHosts: [],
    exposed: [],
    portBindings: [],
    publishAll: false,
    ports: [],
  } satisfies Partial<ContainerRecord>;
  return record as unknown as ContainerRecord;
}

export const state = (networks: NetworkRecord[], containers: ContainerRecord[]): State => ({ version: 1, networks, containers });

/**
 * The world most DNS tests use:
 *   net1 10.88.0.0/24: c1 .2, c2 .3 (alias "db"), c4 .4
 *   net2 10.89.0.0/24: c3 .2, c2 .3, c4 .4
 *   bridge (predefined, default): c5 172.17.0.2, which gets no resolver
 */
export function world(): { state: State; net1: NetworkRecord; net2: NetworkRecord; bridge: NetworkRecord } {
  const net1 = network({ name: 'net1', subnet: '10.88.0.0/24' }, 1);
  const net2 = network({ name: 'net2', subnet: '10.89.0.0/24' }, 2);
  const bridge = network({ name: 'bridge', subnet: '172.17.0.0/16', predefined: true }, 3);
  const containers = [
    container('c1', 1, [{ net: net1, ip: '10.88.0.2' }]),
    container('c2', 2, [
      { net: net1, ip: '10.88.0.3', aliases: ['db'] },
      { net: net2, ip: '10.89.0.3' },
    ]),
    container('c3', 3, [{ net: net2, ip: '10.89.0.2' }]),
    container('c4', 4, [
      { net: net1, ip: '10.88.0.4' },
      { net: net2, ip: '10.89.0.4' },
    ]),
    container('c5', 5, [{ net: bridge, ip: '172.17.0.2' }]),
  ];
  return { state: state([net1, net2, bridge], containers), net1, net2, bridge };
}
