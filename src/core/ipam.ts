// Pure IPAM, Docker-compatible: subnet choice from the predefined pools and address choice inside
// a network. No I/O: the engine takes the store lock, reads state, calls these, writes state.
import { daemonError, PontError } from './errors.js';
import {
  Cidr, cidrContains, cidrFromString, cidrLast, cidrOverlaps, cidrSize, formatCidr, formatIPv4, parseCidr, parseIPv4, parseStoredIPv4,
} from './ipv4.js';
import { bookEntries, bookRuns, type Runs, runsHave, runsSize, runsWith, runsWithout } from './address-book.js';

/** Docker's default address pools: 172.17-31.0.0/16, then 192.168.0.0/16 cut into /20s. */
export const DEFAULT_POOLS: Cidr[] = [
  ...Array.from({ length: 15 }, (_, i) => cidrFromString(`172.${17 + i}.0.0/16`)),
  ...Array.from({ length: 16 }, (_, i) => cidrFromString(`192.168.${i * 16}.0/20`)),
];

export interface IpamConfig {
  /** As the user typed it (Docker keeps host bits), or the pool chosen. */
  subnet: string;
  /** The gateway in effect (on the bridge, in routes). */
  gateway: string;
  /** Docker shows no Gateway in inspect when --subnet was given without --gateway. */
  implicitGateway?: boolean;
  /** The user gave --subnet: only then does Docker accept --ip on the network. */
  userSubnet?: boolean;
  ipRange?: string;
  auxAddresses?: Record<string, string>;
}

export interface IpamRequest {
  /** The network's name, for the daemon's words about an aux address */
  name?: string;
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
 * Round-robin over the predefined pools, as Docker 20.10 does: the search starts after the pool
 * handed out last (`cursor`, an index into pools; -1 for none) and wraps once, so a freed subnet
 * is not reused at once. Pools used by another network are skipped. Beyond Docker (which only
 * avoids on-link routes), pools overlapping any host route or address are skipped too, and the
 * exhaustion error says which pools were skipped and why.
 */
export function chooseSubnet(used: Cidr[], host: HostPrefix[], cursor = -1, pools: Cidr[] = DEFAULT_POOLS): { subnet: Cidr; cursor: number } {
  const skipped: SkippedPool[] = [];
  for (let i = 1; i <= pools.length; i++) {
    const index = (cursor + i) % pools.length;
    const pool = pools[index];
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
    return { subnet: pool, cursor: index };
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

/**
 * Validates user-given IPAM settings into a config, in Docker's words, before anything is
 * touched. Docker's client checks ranges, gateways and aux addresses itself (consolidateIpam:
 * each is matched against the subnet, parsed as a CIDR when it has a slash and as an address
 * otherwise), so those errors carry no "Error response from daemon:" prefix; the daemon's do.
 */
export function planIpamConfig(req: IpamRequest, used: Cidr[], host: HostPrefix[], cursor = -1): { config: IpamConfig; cursor: number } {
  if (!req.subnet) {
    if (req.ipRange || req.gateway) throw new PontError('every ip-range or gateway must have a corresponding subnet', { category: 'usage' });
    const aux = Object.values(req.auxAddresses ?? {});
    if (aux.length) throw new PontError(`no matching subnet for aux-address ${aux[0]}`, { category: 'usage' });
    const chosen = chooseSubnet(used, host, cursor);
    return { config: { subnet: formatCidr(chosen.subnet), gateway: formatIPv4(chosen.subnet.base + 1) }, cursor: chosen.cursor };
  }
  const parsed = parseCidr(req.subnet);
  const clientError = (m: string) => new PontError(m, { category: 'usage' });
  const aux = Object.entries(req.auxAddresses ?? {});
  // the client's checks, in its order: ranges, gateways, aux addresses
  const matches = (data: string): boolean => {
    if (!parsed) throw clientError(`invalid subnet: invalid CIDR address: ${req.subnet}`);
    if (!data.includes('/')) {
      const a = parseIPv4(data);
      return a !== null && cidrContains(parsed.cidr, a);
    }
    const c = parseCidr(data);
    if (!c) throw clientError(`invalid CIDR address: ${data}`);
    return cidrContains(parsed.cidr, c.addr);
  };
  if (req.ipRange && !matches(req.ipRange)) throw clientError(`no matching subnet for range ${req.ipRange}`);
  if (req.gateway && !matches(req.gateway)) throw clientError(`no matching subnet for gateway ${req.gateway}`);
  for (const [, ip] of aux) if (!matches(ip)) throw clientError(`no matching subnet for aux-address ${ip}`);
  // the daemon's, in libnetwork's order: the subnet, the gateway (IpamConf.Validate), the range
  // (the pool request), the overlap, the aux addresses
  if (!parsed) throw daemonError(`Invalid subnet ${req.subnet} : invalid CIDR address: ${req.subnet}`, 'usage');
  if (req.gateway?.includes('/')) throw daemonError(`invalid gateway address ${req.gateway} in Ipam configuration`, 'usage');
  const subnet = parsed.cidr;
  // Docker keeps the subnet as typed (10.0.0.5/24 stays so); pont does too.
  const config: IpamConfig = { subnet: req.subnet, gateway: formatIPv4(subnet.base + 1), implicitGateway: true, userSubnet: true };
  if (req.ipRange) {
    const r = parseCidr(req.ipRange);
    if (!r) throw daemonError(`failed to parse pool request for address space "LocalDefault" pool "${req.subnet}" subpool "${req.ipRange}": Invalid Address SubPool`, 'usage');
    // Docker's daemon takes a range wider than its subnet; pont refuses it (docs/differences.md)
    if (!(cidrContains(subnet, r.cidr.base) && cidrContains(subnet, cidrLast(r.cidr)))) throw clientError(`no matching subnet for range ${req.ipRange}`);
    config.ipRange = req.ipRange;
    // Docker 20.10: without --gateway, the gateway is the range's first address (even a .0)
    config.gateway = formatIPv4(r.cidr.base);
  }
  if (req.gateway) {
    config.gateway = req.gateway;
    delete config.implicitGateway;
  }
  if (used.some((u) => cidrOverlaps(u, subnet))) throw daemonError('Pool overlaps with other one on this address space');
  if (aux.length) {
    const cidr = aux.find(([, ip]) => ip.includes('/'));
    if (cidr) throw daemonError(`non parsable secondary ip address (${cidr[0]}:${cidr[1]}) passed for network ${req.name ?? ''}`, 'usage');
    config.auxAddresses = { ...req.auxAddresses };
  }
  return { config, cursor };
}

/** Per-network allocation state kept in the store. */
export interface AddressBook {
  /** Allocated container addresses, dotted: in order, an address or a run `A-B` each (core/address-book.ts). */
  allocated: string[];
}

export interface AddressContext {
  config: IpamConfig;
  book: AddressBook;
  /** For Docker's error text: "NAME (ID)". */
  networkLabel: string;
}

/**
 * Picks the lowest free address of the range (first fit, as Docker 20.10 does for containers:
 * a released address is the next one handed out). Skips the network and broadcast addresses,
 * the gateway and the aux addresses.
 */
export function allocateAddress(ctx: AddressContext, requested?: string): { address: string; book: AddressBook } {
  const subnet = parseCidr(ctx.config.subnet)!.cidr;
  const reserved = reservedSet(ctx);
  const runs = bookRuns(ctx.book.allocated);
  if (requested !== undefined) {
    const a = parseIPv4(requested);
    if (a === null) throw daemonError(`invalid IPv4 address: ${requested}`, 'usage');
    if (!cidrContains(subnet, a)) {
      throw daemonError(`Invalid address ${requested}: It does not belong to any of this network's subnets`, 'usage');
    }
    if (reserved.has(a) || runsHave(runs, a)) throw daemonError('Address already in use');
    return { address: requested, book: { allocated: bookEntries(runsWith(runs, a)) } };
  }
  const a = firstFree(ctx.config.ipRange ? cidrFromString(ctx.config.ipRange) : subnet, reserved, runs);
  if (a === null) throw daemonError(`no available IPv4 addresses on this network's address pools: ${ctx.networkLabel}`);
  return { address: formatIPv4(a), book: { allocated: bookEntries(runsWith(runs, a)) } };
}

/**
 * The lowest address of `range` neither allocated nor reserved (first fit), or null. There are
 * no more taken addresses than allocated and reserved ones, so the answer lies among that many
 * (plus one) from the range's start: only that window is marked, a byte each (a few hundred
 * bytes beside 500 containers, where the whole of a /8 would be 16 MB), a run at a time, and the
 * first unmarked found natively.
 */
function firstFree(range: Cidr, reserved: Set<number>, runs: Runs): number | null {
  const size = Math.min(cidrSize(range), runsSize(runs) + reserved.size + 1);
  const used = new Uint8Array(size);
  for (const [a, b] of runs) {
    const from = Math.max(a - range.base, 0);
    const to = Math.min(b - range.base, size - 1);
    if (from <= to) used.fill(1, from, to + 1);
  }
  for (const r of reserved) if (r - range.base >= 0 && r - range.base < size) used[r - range.base] = 1;
  const i = used.indexOf(0);
  return i < 0 ? null : range.base + i;
}

/** The book without `address` (as stored: an older pont's may have a leading zero). */
export function releaseAddress(book: AddressBook, address: string): AddressBook {
  return releaseAddresses(book, [address]);
}

/** The book without `addresses`. */
export function releaseAddresses(book: AddressBook, addresses: Iterable<string>): AddressBook {
  let runs = bookRuns(book.allocated);
  for (const address of addresses) {
    const n = parseStoredIPv4(address);
    if (n !== null) runs = runsWithout(runs, n);
  }
  return { allocated: bookEntries(runs) };
}

/** Whether the book holds `address` (as stored: an older pont's may have a leading zero). */
export function bookHas(book: AddressBook, address: string): boolean {
  const n = parseStoredIPv4(address);
  return n !== null && runsHave(bookRuns(book.allocated), n);
}

/** The addresses no container gets: the network's, its broadcast, the gateway, the aux addresses. */
function reservedSet(ctx: AddressContext): Set<number> {
  const subnet = parseCidr(ctx.config.subnet)!.cidr;
  const set = new Set<number>();
  if (subnet.prefix < 31) {
    set.add(subnet.base);
    set.add(cidrLast(subnet));
  }
  // as stored: an older pont's may have a leading zero
  if (ctx.config.gateway) set.add(parseStoredIPv4(ctx.config.gateway)!);
  for (const ip of Object.values(ctx.config.auxAddresses ?? {})) set.add(parseStoredIPv4(ip)!);
  return set;
}

export const emptyBook = (): AddressBook => ({ allocated: [] });
