// /etc/pont/config.json: pont's settings, read once per command into the engine's Context. Keys
// are named as Docker's daemon.json names them where Docker has the setting (Docker 29:
// "firewall-backend"; Docker ≤ 20.10: "cluster-store", "cluster-advertise", "cluster-store-opts");
// like dockerd, pont refuses a key it does not know rather than ignore a typo. A missing file
// means the defaults.
import { readFileSync } from 'node:fs';
import { PontError } from '../core/errors.js';
import { FIREWALL_BACKENDS, type FirewallBackendName } from '../core/firewall/parts.js';
import { parseIPv4 } from '../core/ipv4.js';

// Fixed, never taken from the environment: a variable must not choose a root tool's firewall.
export const CONFIG_FILE = '/etc/pont/config.json';

/** Joining a cluster of pont hosts (overlay networks): Docker's old key-value store settings. */
export interface ClusterConfig {
  /** As written: "etcd://host:port[,host:port…]". */
  store: string;
  /** This host's underlay address (the VTEP's local address), as written: an IPv4 or an interface name. */
  advertise: string;
  /** Seconds a host's lease lives without a heartbeat: its endpoints vanish from the others after it. */
  ttl: number;
  /** Seconds between heartbeats (lease keep-alives). */
  heartbeat: number;
}

export interface Config {
  /** Which tool writes pont's firewall. iptables stays the default (see docs/differences.md). */
  firewallBackend: FirewallBackendName;
  cluster?: ClusterConfig;
}

export const DEFAULT_CONFIG: Config = { firewallBackend: 'iptables' };

/** Docker's defaults for discovery.ttl and discovery.heartbeat (libkv discovery). */
export const DEFAULT_TTL = 60;
export const DEFAULT_HEARTBEAT = 20;

const KEYS = ['firewall-backend', 'cluster-store', 'cluster-advertise', 'cluster-store-opts'];
const STORE_OPTS = ['discovery.ttl', 'discovery.heartbeat'];

const invalid = (file: string, why: string) => new PontError(`invalid ${file}: ${why}`, { category: 'store' });

function seconds(file: string, key: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 3600) throw invalid(file, `"cluster-store-opts" ${JSON.stringify(key)} must be a whole number of seconds from 1 to 3600, not ${JSON.stringify(v)}`);
  return n;
}

function parseCluster(doc: Record<string, unknown>, file: string): ClusterConfig | undefined {
  const store = doc['cluster-store'];
  const advertise = doc['cluster-advertise'];
  const opts = doc['cluster-store-opts'] ?? {};
  if (store === undefined && advertise === undefined) {
    if (doc['cluster-store-opts'] !== undefined) throw invalid(file, '"cluster-store-opts" needs "cluster-store"');
    return undefined;
  }
  if (typeof store !== 'string' || !/^(etcd|http):\/\/[^,\s]+(,[^,\s]+)*$/.test(store)) {
    throw invalid(file, `"cluster-store" must be "etcd://HOST:PORT[,HOST:PORT…]", not ${JSON.stringify(store)}`);
  }
  if (typeof advertise !== 'string' || advertise === '') {
    throw invalid(file, '"cluster-advertise" (this host\'s address on the network that joins the hosts) is required with "cluster-store"');
  }
  // Docker took "IP:PORT" or "IFACE:PORT" (the port was its API's): the port is accepted and unused
  const host = advertise.replace(/:\d+$/, '');
  if (parseIPv4(host) === null && !/^[A-Za-z0-9_.@-]{1,15}$/.test(host)) {
    throw invalid(file, `"cluster-advertise" must be an IPv4 address or an interface name, not ${JSON.stringify(advertise)}`);
  }
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw invalid(file, '"cluster-store-opts" must be an object');
  const o = opts as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !STORE_OPTS.includes(k));
  if (unknown.length) throw invalid(file, `unknown "cluster-store-opts" ${unknown.map((k) => JSON.stringify(k)).join(', ')} (pont knows ${STORE_OPTS.map((k) => JSON.stringify(k)).join(', ')})`);
  const ttl = seconds(file, 'discovery.ttl', o['discovery.ttl'], DEFAULT_TTL);
  // Docker's heartbeat default is a third of its ttl default; keep that ratio when only ttl is given
  const heartbeat = seconds(file, 'discovery.heartbeat', o['discovery.heartbeat'], Math.max(1, Math.floor(ttl / 3)));
  if (heartbeat >= ttl) throw invalid(file, '"discovery.heartbeat" must be shorter than "discovery.ttl"');
  return { store, advertise: host, ttl, heartbeat };
}

export function parseConfig(text: string, file = CONFIG_FILE): Config {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalid(file, (e as Error).message);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid(file, 'it must hold one JSON object');
  const unknown = Object.keys(doc).filter((k) => !KEYS.includes(k));
  if (unknown.length) throw invalid(file, `unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')} (pont knows ${KEYS.map((k) => JSON.stringify(k)).join(', ')})`);
  const d = doc as Record<string, unknown>;
  const backend = d['firewall-backend'] ?? DEFAULT_CONFIG.firewallBackend;
  if (typeof backend !== 'string' || !(FIREWALL_BACKENDS as readonly string[]).includes(backend)) {
    throw invalid(file, `"firewall-backend" must be ${FIREWALL_BACKENDS.map((b) => JSON.stringify(b)).join(' or ')}, not ${JSON.stringify(backend)}`);
  }
  const cluster = parseCluster(d, file);
  return { firewallBackend: backend as FirewallBackendName, ...(cluster ? { cluster } : {}) };
}

export function readConfig(file = CONFIG_FILE): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_CONFIG;
    throw new PontError(`cannot read ${file}: ${(e as Error).message}`, { category: 'store', cause: e });
  }
  return parseConfig(text, file);
}
