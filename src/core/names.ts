// Predictable names and identifiers. Interface names are limited to 15 bytes by the kernel.
import { parseIPv4 } from './ipv4.js';

export const shortId = (id: string): string => id.slice(0, 12);

/** pont's bridge prefix, distinct from Docker's docker0 / br-* so both can share a host. */
export const BRIDGE_PREFIX = 'pont-';
export const DEFAULT_BRIDGE = 'pont0';

/** "pont-" + 10 hex of the network id: 15 bytes, the kernel's limit. */
export const bridgeName = (networkId: string): string => BRIDGE_PREFIX + networkId.slice(0, 10);

/** Host end of a container's veth: "pv" + 8 hex of the container id + "e" + the eth index. */
export const vethHostName = (containerId: string, ethIndex: number): string =>
  `pv${containerId.slice(0, 8)}e${ethIndex}`;

/** A bridge's MAC: 02:42 like Docker's, then 4 bytes of the network id (Docker's are random). */
export const bridgeMac = (networkId: string): string =>
  ['02', '42', ...(networkId.slice(0, 8).match(/../g) ?? [])].join(':');

/** Docker 20.10's MAC for an IPv4 endpoint: 02:42 then the four address bytes. */
export function macFromIPv4(ip: string): string {
  const n = parseIPv4(ip);
  if (n === null) throw new Error(`not an IPv4 address: ${ip}`);
  const bytes = [0x02, 0x42, n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Docker's rule for network and container names. */
export const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Go's time.RFC3339Nano with nanoseconds, as Docker prints "Created". */
export function rfc3339Nano(d: Date = new Date(), extraNanos = 0): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const nanos = d.getUTCMilliseconds() * 1_000_000 + extraNanos;
  const frac = nanos ? '.' + String(nanos).padStart(9, '0').replace(/0+$/, '') : '';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}${frac}Z`;
}
