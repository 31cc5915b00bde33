// IPv4 arithmetic on unsigned 32-bit numbers. Loading ip-num costs ~130 ms of start-up, more than
// a whole `network create` may take, so the CLI uses these few integer helpers and the unit tests
// check them against ip-num as the oracle (test/core/ipv4.test.ts).

export interface Cidr {
  /** Network address (host bits cleared), as uint32. */
  base: number;
  prefix: number;
}

/**
 * "a.b.c.d", each 1 to 3 decimal digits up to 255 with no leading zero, as uint32; null for
 * anything else. As Go's net.ParseIP, and so Docker 20.10, reads it: `010.0.0.1` is refused, where
 * inet_aton (ping, /etc/hosts readers) would take 010 for octal 8, another address than the one
 * a user sees. One pass over the characters and no allocation.
 */
export function parseIPv4(text: string): number | null {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && part === 0) return null;
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return null;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      return null;
    }
  }
  return digits > 0 && dots === 3 ? value * 256 + part : null;
}

export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * An address an older pont stored as typed, which may have a leading zero (`172.18.0.02`, taken
 * before parseIPv4 refused it): read as that pont read it, decimal. Never for user input.
 */
export function parseStoredIPv4(text: string): number | null {
  const n = parseIPv4(text);
  return n !== null || !/^\d+(\.\d+){3}$/.test(text) ? n : parseIPv4(text.split('.').map((p) => String(Number(p))).join('.'));
}

/**
 * Parses "a.b.c.d/len" as Go's net.ParseCIDR does: the address as parseIPv4, the length any run
 * of decimal digits up to 32 (`/016` is 16; Docker keeps the text as typed). Host bits may be set
 * (Docker accepts 172.16.86.5/24 as a subnet and normalises it).
 */
export function parseCidr(text: string): { addr: number; cidr: Cidr } | null {
  const m = /^([^/]+)\/(\d+)$/.exec(text);
  if (!m) return null;
  const addr = parseIPv4(m[1]);
  const prefix = Number(m[2]);
  if (addr === null || prefix > 32) return null;
  return { addr, cidr: { base: maskBase(addr, prefix), prefix } };
}

export function maskBase(addr: number, prefix: number): number {
  return prefix === 0 ? 0 : (addr & (~0 << (32 - prefix))) >>> 0;
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function cidrLast(c: Cidr): number {
  return c.base + cidrSize(c) - 1;
}

export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.base)}/${c.prefix}`;
}

export function cidrContains(c: Cidr, addr: number): boolean {
  return addr >= c.base && addr <= cidrLast(c);
}

export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= cidrLast(b) && b.base <= cidrLast(a);
}

export function cidrFromString(text: string): Cidr {
  const p = parseCidr(text);
  if (!p) throw new Error(`not a CIDR: ${text}`);
  return p.cidr;
}
