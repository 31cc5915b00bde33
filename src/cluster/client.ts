// The engine's side of the cluster store: this host's identity, the overlay networks, addresses
// and endpoints the store holds, the host's lease, and the services cluster steps call
// (kernel/ops.ts). One Etcd client per command; nothing here runs unless the config names a
// cluster store, and commands that touch no overlay network do not wait on it.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { PontError } from '../core/errors.js';
import { parseIPv4 } from '../core/ipv4.js';
import type { ClusterKv } from '../core/steps.js';
import type { Kernel } from '../kernel/kernel.js';
import type { ClusterSteps } from '../kernel/ops.js';
import { flockPolled, writeFileWhole } from '../store/store.js';
import type { ClusterConfig } from '../store/config.js';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { Etcd, parseClusterStore, type KeyValue } from './etcd.js';
import { EtcdError } from './etcd-error.js';
import { GRPC } from './etcd-wire.js';
import { decode, encode, endpointsPrefix, hostKey, ipamPrefix, PREFIX, type EndpointEntry, type HostEntry, type NetworkEntry } from './keys.js';
import { syncOverlayOnce } from './reconcile.js';

/** Another host (or command) holds one of the keys: the name, VNI, subnet or address is taken. */
export class ClusterConflict extends PontError {
  constructor(readonly key: string) {
    super(`the cluster store already holds ${key}`, { category: 'conflict' });
    this.name = 'ClusterConflict';
  }
}

/**
 * This host's id, kept with its store: the same host across commands and reboots. Made on first
 * use by a mutating command; a read-only one (`create: false`) gets '' on a host that has none.
 */
export function hostId(storeDir: string, create = true): string {
  const file = `${storeDir}/host-id`;
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(id)) return id;
  } catch {
    // first time in a cluster
  }
  if (!create) return '';
  const id = randomBytes(32).toString('hex');
  writeFileWhole(file, `${id}\n`);
  return id;
}

/** The underlay address: cluster-advertise itself, or the first IPv4 address of that interface. */
export async function advertiseAddress(kernel: Kernel, c: ClusterConfig): Promise<string> {
  if (parseIPv4(c.advertise) !== null) return c.advertise;
  const a = (await kernel.listAddresses()).find((x) => x.dev === c.advertise);
  if (!a) throw new PontError(`"cluster-advertise" names interface ${c.advertise}, which has no IPv4 address on this host`, { category: 'usage' });
  return a.cidr.split('/')[0];
}

/** The MTU of the link that holds `address` (1500 when unknown): an overlay's is 50 less. */
export async function underlayMtu(kernel: Kernel, address: string): Promise<number> {
  const a = (await kernel.listAddresses()).find((x) => x.cidr.split('/')[0] === address);
  if (!a) return 1500;
  const link = (await kernel.getLink(a.dev)) as { mtu?: number } | undefined;
  return link?.mtu ?? 1500;
}

export interface LeaseFile {
  id: string;
  host: string;
}

export const leaseFile = (storeDir: string) => `${storeDir}/cluster-lease.json`;

export function readLease(storeDir: string): LeaseFile | null {
  try {
    const v = JSON.parse(readFileSync(leaseFile(storeDir), 'utf8')) as LeaseFile;
    return typeof v.id === 'string' && typeof v.host === 'string' ? v : null;
  } catch {
    return null;
  }
}

/**
 * A live lease for this host: the one recorded (the agent keeps it alive), or a new one with the
 * host's entry registered under it. Used by commands and by the agent alike.
 */
export async function ensureLease(etcd: Etcd, self: HostEntry, ttl: number, storeDir: string): Promise<{ id: string; fresh: boolean }> {
  // one at a time on a host (the agent and a command, which holds the store's lock): two that
  // both found the lease lapsed would take two, and the keys written under the one the file does
  // not name would go with it
  return withLeaseLock(storeDir, () => renewOrGrant(etcd, self, ttl, storeDir));
}

/** Runs `fn` holding the host's lease lock (polled: the agent's heartbeats may overlap in one process). */
export async function withLeaseLock<T>(storeDir: string, fn: () => Promise<T>): Promise<T> {
  const fd = openSync(`${storeDir}/cluster-lease.lock`, 'a', 0o600);
  try {
    await flockPolled(fd);
    return await fn();
  } finally {
    closeSync(fd);
  }
}

async function renewOrGrant(etcd: Etcd, self: HostEntry, ttl: number, storeDir: string): Promise<{ id: string; fresh: boolean }> {
  const known = readLease(storeDir);
  // a keepalive, not a look: every command that uses the lease renews it, so a burst of runs
  // keeps it alive before this host's agent heartbeats (on a loaded host, its start can take
  // longer than the ttl; a lease that lapsed takes this host's endpoints with it until the agent
  // writes them again; its addresses stay, reaper.ts)
  if (known && known.host === self.id && (await keepAlive(etcd, known.id)) > 0) {
    // the host entry may have been written by an older address: keep it current
    await etcd.put(hostKey(self.id), encode(self), { lease: known.id });
    return { id: known.id, fresh: false };
  }
  const { id } = await etcd.leaseGrant(ttl);
  await etcd.put(hostKey(self.id), encode(self), { lease: id });
  writeFileWhole(leaseFile(storeDir), JSON.stringify({ id, host: self.id }) + '\n');
  return { id, fresh: true };
}

/** The lease's ttl once renewed; 0 when it is gone (expired, revoked). */
async function keepAlive(etcd: Etcd, id: string): Promise<number> {
  try {
    return await etcd.leaseKeepAlive(id);
  } catch (e) {
    if ((e instanceof EtcdError && e.code === GRPC.NOT_FOUND) || /lease not found/i.test((e as Error).message)) return 0;
    throw e;
  }
}

const values = <T>(kvs: KeyValue[]): T[] => kvs.map((kv) => decode<T>(kv.value)).filter((v): v is T => v !== undefined);

export class Cluster {
  private leaseId: string | null = null;

  private constructor(readonly etcd: Etcd, readonly config: ClusterConfig, readonly self: HostEntry, readonly mtu: number, private readonly kernel: Kernel, private readonly storeDir: string) {}

  /** `readOnly`: for commands that change nothing (no host id is made). */
  static async connect(config: ClusterConfig, kernel: Kernel, storeDir: string, opts: { readOnly?: boolean } = {}): Promise<Cluster> {
    const etcd = new Etcd(parseClusterStore(config.store));
    const address = await advertiseAddress(kernel, config);
    const self: HostEntry = { id: hostId(storeDir, !opts.readOnly), name: hostname(), address };
    return new Cluster(etcd, config, self, await underlayMtu(kernel, address), kernel, storeDir);
  }

  async networks(): Promise<NetworkEntry[]> {
    return values<NetworkEntry>((await this.etcd.range(`${PREFIX}networks/`)).kvs);
  }

  /** Addresses taken on an overlay network, by every host. */
  async claims(network: string): Promise<string[]> {
    return (await this.etcd.range(ipamPrefix(network))).kvs.map((kv) => kv.key.slice(ipamPrefix(network).length));
  }

  async endpoints(network?: string): Promise<EndpointEntry[]> {
    return values<EndpointEntry>((await this.etcd.range(endpointsPrefix(network))).kvs);
  }

  async hosts(): Promise<HostEntry[]> {
    return values<HostEntry>((await this.etcd.range(`${PREFIX}hosts/`)).kvs);
  }

  /** Every key under one directory of the layout (vni/, subnets/, names/). */
  async keys(dir: string): Promise<KeyValue[]> {
    return (await this.etcd.range(`${PREFIX}${dir}/`)).kvs;
  }

  async lease(): Promise<string> {
    if (!this.leaseId) this.leaseId = (await ensureLease(this.etcd, this.self, this.config.ttl, this.storeDir)).id;
    return this.leaseId;
  }

  steps(): ClusterSteps {
    return {
      create: async (kvs) => {
        const lease = kvs.some((kv) => kv.lease);
        const txn = async () => {
          const leaseId = lease ? await this.lease() : undefined;
          return this.etcd.txn({
            compare: kvs.map((kv) => ({ key: kv.key, target: 'createRevision' as const, value: 0 })),
            success: kvs.map((kv) => ({ op: 'put' as const, key: kv.key, value: kv.value, ...(kv.lease ? { lease: leaseId } : {}) })),
          });
        };
        let r;
        try {
          r = await txn();
        } catch (e) {
          // the lease expired between its check and this write (no agent kept it alive in time,
          // a loaded host): a new one, once; the agent writes this host's other keys under it
          if (!lease || !/requested lease not found/.test((e as Error).message)) throw e;
          this.leaseId = null;
          r = await txn();
        }
        if (!r.succeeded) {
          // name the first key that exists, for the caller's message
          for (const kv of kvs) if (await this.etcd.get(kv.key)) throw new ClusterConflict(kv.key);
          throw new ClusterConflict(kvs[0].key);
        }
      },
      remove: async (kvs) => {
        const gone: ClusterKv[] = [];
        for (const kv of kvs) if (await this.etcd.deleteIf(kv.key, kv.value)) gone.push(kv);
        return gone;
      },
      holding: async (kvs) => {
        const out: ClusterKv[] = [];
        for (const kv of kvs) if ((await this.etcd.get(kv.key))?.value === kv.value) out.push(kv);
        return out;
      },
      sync: (network, vxlan) => syncOverlayOnce(this, this.kernel, network, vxlan),
    };
  }

  close(): void {
    this.etcd.close();
  }
}
