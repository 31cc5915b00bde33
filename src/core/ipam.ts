// Pure IPAM, Docker-compatible: subnet choice from the predefined pools and address choice inside
// a network. No I/O: the engine takes the store lock, reads state, calls these, writes state.
import { daemonError, PontError } from './errors.js';
import {
  Cidr, cidrContains, cidrFromString, cidrLast, cidrOverlaps, cidrSize, formatCidr, formatIPv4, parseCidr, parseIPv4, parseStoredIPv4,
} from './ipv4.js';

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
  /** Allocated container addresses, dotted. */
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
  if (requested !== undefined) {
    const a = parseIPv4(requested);
    if (a === null) throw daemonError(`invalid IPv4 address: ${requested}`, 'usage');
    if (!cidrContains(subnet, a)) {
      throw daemonError(`Invalid address ${requested}: It does not belong to any of this network's subnets`, 'usage');
    }
    if (reserved.has(a) || takenSet(ctx.book).has(formatIPv4(a))) throw daemonError('Address already in use');
    return { address: requested, book: { allocated: [...ctx.book.allocated, requested] } };
  }
  const a = firstFree(ctx.config.ipRange ? cidrFromString(ctx.config.ipRange) : subnet, reserved, ctx.book.allocated);
  if (a === null) throw daemonError(`no available IPv4 addresses on this network's address pools: ${ctx.networkLabel}`);
  const address = formatIPv4(a);
  return { address, book: { allocated: [...ctx.book.allocated, address] } };
}

/**
 * The lowest address of `range` neither allocated nor reserved (first fit), or null. There are
 * no more taken addresses than allocated and reserved ones, so the answer lies among that many
 * (plus one) from the range's start: only that window is marked, a byte each (a few hundred
 * bytes beside 500 containers, where the whole of a /8 would be 16 MB), and the first unmarked
 * found natively. Beside 500 containers, formatting and hashing each candidate up to the first
 * free one cost ~1 ms of every run and connect (2-core machine).
 */
function firstFree(range: Cidr, reserved: Set<number>, allocated: readonly string[]): number | null {
  const size = Math.min(cidrSize(range), allocated.length + reserved.size + 1);
  const used = new Uint8Array(size);
  // as offsets from the range's start: small integers, where an address above 2^31 is a heap
  // number in V8, one made per sum in this once-run (not optimised) code: ~40 KB per command beside 500 containers
  const mark = (offset: number) => {
    if (offset >= 0 && offset < size) used[offset] = 1;
  };
  // each address as its /24 (parsed once: a network's addresses share a few) and its last part,
  // with native calls rather than a loop over every character (500 parses cost ~1.4 ms cold, this
  // ~0.3); as stored, an older pont's may have a leading zero
  const prefixes = new Map<string, number | null>();
  // the /24 of the address before, compared in place: most share it, and a slice of each cost
  // a string apiece
  let last = '';
  let lastOffset: number | null = null;
  for (let i = 0; i < allocated.length; i++) {
    const a = allocated[i];
    const dot = a.lastIndexOf('.');
    let offset: number | null | undefined;
    if (dot === last.length && a.startsWith(last)) {
      offset = lastOffset;
    } else {
      last = a.slice(0, dot);
      offset = prefixes.get(last);
      if (offset === undefined) {
        const high = parseStoredIPv4(`${last}.0`);
        prefixes.set(last, (offset = high === null ? null : high - range.base));
      }
      lastOffset = offset;
    }
    let low = a.length - dot - 1 >= 1 && a.length - dot - 1 <= 3 ? 0 : 256;
    for (let j = dot + 1; j < a.length && low < 256; j++) {
      const d = a.charCodeAt(j) - 48;
      low = d >= 0 && d <= 9 ? low * 10 + d : 256;
    }
    if (offset !== null && low <= 255) mark(offset + low);
  }
  for (const r of reserved) mark(r - range.base);
  const i = used.indexOf(0);
  return i < 0 ? null : range.base + i;
}

export function releaseAddress(book: AddressBook, address: string): AddressBook {
  return { allocated: book.allocated.filter((a) => a !== address) };
}

/** Dotted parts with a leading zero (`172.18.0.02`): what an older pont stored as requested, and formatIPv4 never writes. */
const LEADING_ZERO = /(?:^|\.)0\d/;

/**
 * The allocated addresses, dotted as formatIPv4 writes them: most as the store holds them (its
 * own), one an older pont took as requested with a leading zero as it read it. For an address
 * asked for by name (`--ip`).
 */
function takenSet(book: AddressBook): Set<string> {
  const taken = new Set<string>();
  for (const a of book.allocated) {
    const n = LEADING_ZERO.test(a) ? parseStoredIPv4(a) : null;
    taken.add(n === null ? a : formatIPv4(n));
  }
  return taken;
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
