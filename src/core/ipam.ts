// Pure IPAM, Docker-compatible: subnet choice from the predefined pools and address choice inside
// a network. No I/O: the engine takes the store lock, reads state, calls these, writes state.
import { daemonError, PontError } from './errors.js';
import {
  Cidr, cidrContains, cidrFromString, cidrLast, cidrOverlaps, formatCidr, formatIPv4, parseCidr, parseIPv4,
} from './ipv4.js';

/** Docker's default address pools: 172.17-31.0.0/16, then 192.168.0.0/16 cut into /20s. */
export const DEFAULT_POOLS: Cidr[] = [
  ...Array.from({ length: 15 }, (_, i) => cidrFromString(`172.${17 + i}.0.0/16`)),
  ...Array.from({ length: 16 }, (_, i) => cidrFromString(`192.168.${i * 16}.0/20`)),
];

export interface IpamConfig {
  subnet: string;
  gateway: string;
  ipRange?: string;
  auxAddresses?: Record<string, string>;
}

export interface IpamRequest {
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  auxAddresses?: Record<string, string>;
}

export interface SkippedPool {
  pool: string;
  reason: string;
}

/** A host route or address that an automatically chosen pool must not overlap. */
export interface HostPrefix {
  cidr: Cidr;
  /** e.g. "route 10.0.0.0/8 dev eth0" — named in the exhaustion error. */
  what: string;
}

/**
 * First-fit over the predefined pools, as Docker 20.10 does, skipping pools used by another
 * network. Beyond Docker (which only avoids on-link routes), pools overlapping any host route
 * or address are skipped too, and the exhaustion error says which pools were skipped and why.
 */
export function chooseSubnet(used: Cidr[], host: HostPrefix[], pools: Cidr[] = DEFAULT_POOLS): Cidr {
  const skipped: SkippedPool[] = [];
  for (const pool of pools) {
    const net = used.find((u) => cidrOverlaps(u, pool));
    if (net) {
      skipped.push({ pool: formatCidr(pool), reason: `used by network subnet ${formatCidr(net)}` });
      continue;
    }
    const h = host.find((p) => cidrOverlaps(p.cidr, pool));
    if (h) {
      skipped.push({ pool: formatCidr(pool), reason: `overlaps host ${h.what}` });
      continue;
    }
    return pool;
  }
  const hostSkips = skipped.filter((s) => s.reason.startsWith('overlaps host'));
  throw new PontError(
    'Error response from daemon: could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network',
    {
      category: 'conflict',
      hints: hostSkips.length
        ? [`pools skipped because they overlap the host: ${hostSkips.map((s) => `${s.pool} (${s.reason.slice(14)})`).join(', ')}`]
        : [],
    },
  );
}

/** Validates user-given IPAM settings into a config, in Docker's words, before anything is touched. */
export function planIpamConfig(req: IpamRequest, used: Cidr[], host: HostPrefix[]): IpamConfig {
  if (!req.subnet) {
    if (req.ipRange || req.gateway || (req.auxAddresses && Object.keys(req.auxAddresses).length)) {
      // Docker attaches these to a --subnet; without one it refuses.
      const what = req.gateway ? 'gateway' : req.ipRange ? 'ip-range' : 'aux-address';
      throw daemonError(`no matching subnet for ${what === 'ip-range' ? 'range' : what} ${req.gateway ?? req.ipRange ?? Object.values(req.auxAddresses!)[0]}`);
    }
    const subnet = chooseSubnet(used, host);
    return { subnet: formatCidr(subnet), gateway: formatIPv4(subnet.base + 1) };
  }
  const parsed = parseCidr(req.subnet);
  if (!parsed) throw daemonError(`invalid CIDR address: ${req.subnet}`, 'usage');
  const subnet = parsed.cidr;
  if (used.some((u) => cidrOverlaps(u, subnet))) throw daemonError('Pool overlaps with other one on this address space');

  const config: IpamConfig = { subnet: formatCidr(subnet), gateway: '' };
  if (req.ipRange) {
    const r = parseCidr(req.ipRange);
    if (!r) throw daemonError(`invalid CIDR address: ${req.ipRange}`, 'usage');
    if (!(cidrContains(subnet, r.cidr.base) && cidrContains(subnet, cidrLast(r.cidr)))) {
      throw daemonError(`no matching subnet for range ${req.ipRange}`, 'usage');
    }
    config.ipRange = formatCidr(r.cidr);
  }
  if (req.gateway) {
    const gw = parseIPv4(req.gateway);
    if (gw === null) throw daemonError(`invalid address: ${req.gateway}`, 'usage');
    if (!cidrContains(subnet, gw)) throw daemonError(`no matching subnet for gateway ${req.gateway}`, 'usage');
    config.gateway = formatIPv4(gw);
  } else {
    config.gateway = formatIPv4(subnet.base + 1);
  }
  if (req.auxAddresses && Object.keys(req.auxAddresses).length) {
    for (const [name, ip] of Object.entries(req.auxAddresses)) {
      const a = parseIPv4(ip);
      if (a === null) throw daemonError(`invalid address: ${ip}`, 'usage');
      if (!cidrContains(subnet, a)) throw daemonError(`no matching subnet for aux-address ${ip}`, 'usage');
      void name;
    }
    config.auxAddresses = { ...req.auxAddresses };
  }
  return config;
}

/** Per-network allocation state kept in the store. */
export interface AddressBook {
  /** Allocated container addresses, dotted. */
  allocated: string[];
  /** Last address handed out (uint32), for Docker's serial allocation; 0 when none yet. */
  cursor: number;
}

export interface AddressContext {
  config: IpamConfig;
  book: AddressBook;
  /** For Docker's error text: "NAME (ID)". */
  networkLabel: string;
}

/**
 * Picks the next free address after the last one handed out, wrapping (Docker 20.10 allocates
 * serially, so a released address is not handed out again at once). Skips the network and
 * broadcast addresses, the gateway and the aux addresses.
 */
export function allocateAddress(ctx: AddressContext, requested?: string): { address: string; book: AddressBook } {
  const subnet = cidrFromString(ctx.config.subnet);
  const reserved = reservedSet(ctx);
  if (requested !== undefined) {
    const a = parseIPv4(requested);
    if (a === null) throw daemonError(`invalid IPv4 address: ${requested}`, 'usage');
    if (!cidrContains(subnet, a)) {
      throw daemonError(`Invalid address ${requested}: It does not belong to any of this network's subnets`, 'usage');
    }
    if (reserved.has(a)) throw daemonError('Address already in use');
    return { address: requested, book: { allocated: [...ctx.book.allocated, requested], cursor: ctx.book.cursor } };
  }
  const range = ctx.config.ipRange ? cidrFromString(ctx.config.ipRange) : subnet;
  const first = range.base;
  const last = cidrLast(range);
  const size = last - first + 1;
  const start = ctx.book.cursor >= first && ctx.book.cursor <= last ? ctx.book.cursor + 1 : first;
  for (let i = 0; i < size; i++) {
    const a = first + ((start - first + i) % size);
    if (reserved.has(a)) continue;
    const address = formatIPv4(a);
    return { address, book: { allocated: [...ctx.book.allocated, address], cursor: a } };
  }
  throw daemonError(`no available IPv4 addresses on this network's address pools: ${ctx.networkLabel}`);
}

export function releaseAddress(book: AddressBook, address: string): AddressBook {
  return { allocated: book.allocated.filter((a) => a !== address), cursor: book.cursor };
}

function reservedSet(ctx: AddressContext): Set<number> {
  const subnet = cidrFromString(ctx.config.subnet);
  const set = new Set<number>(ctx.book.allocated.map((a) => parseIPv4(a)!));
  if (subnet.prefix < 31) {
    set.add(subnet.base);
    set.add(cidrLast(subnet));
  }
  if (ctx.config.gateway) set.add(parseIPv4(ctx.config.gateway)!);
  for (const ip of Object.values(ctx.config.auxAddresses ?? {})) set.add(parseIPv4(ip)!);
  return set;
}

export const emptyBook = (): AddressBook => ({ allocated: [], cursor: 0 });
