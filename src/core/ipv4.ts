// IPv4 arithmetic on unsigned 32-bit numbers. Loading ip-num costs ~130 ms of start-up, more than
// a whole `network create` may take, so the CLI uses these few integer helpers and the unit tests
// check them against ip-num as the oracle (test/core/ipv4.test.ts).

export interface Cidr {
  /** Network address (host bits cleared), as uint32. */
  base: number;
  prefix: number;
}

export function parseIPv4(text: string): number | null {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return null;
  const parts = text.split('.').map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parses "a.b.c.d/len" strictly; host bits may be set (Docker accepts 172.16.86.5/24 as a subnet and normalises it). */
export function parseCidr(text: string): { addr: number; cidr: Cidr } | null {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
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
