// Host port choice for a set of bindings, as a pure function over what is already taken.

import { AllPortsAllocatedError, PortAllocatedError, PortAllocatorError } from './errors.js';
import { canonicalIP } from './goparse.js';
import type { PortBinding } from './types.js';

export interface PortRange {
  low: number;
  high: number;
}

/** Linux's default net.ipv4.ip_local_port_range, which Docker reads for its ephemeral range. */
const EPHEMERAL: PortRange = { low: 32768, high: 60999 };

/** "proto:ip:port" → parts; the ip may itself hold ':' (IPv6). */
function parseKey(k: string): { proto: string; ip: string; port: number } | null {
  const a = k.indexOf(':');
  const b = k.lastIndexOf(':');
  if (a < 0 || b <= a) return null;
  const ip = k.slice(a + 1, b);
  return { proto: k.slice(0, a), ip: ip === '' ? '0.0.0.0' : canonicalIP(ip), port: Number(k.slice(b + 1)) };
}

/**
 * Picks a host port for each request, in order, and returns them.
 * - fixed hostPort: taken if no binding on the same proto and port overlaps its address
 *   (same address, or either side unspecified), else PortAllocatedError, worded as Docker's
 *   "Bind for 0.0.0.0:8000 failed: port is already allocated" (ip as requested, default 0.0.0.0);
 * - hostPortRange: first free port of that range, ascending;
 * - hostPort null: first free port of `range`, ascending;
 * - no free port: AllPortsAllocatedError ("all ports are allocated").
 * Ports chosen for earlier requests count as taken for later ones. `inUse` is not modified.
 */
export function allocateHostPorts(requests: PortBinding[], inUse: Set<string>, range: PortRange = EPHEMERAL): number[] {
  // proto/port → canonical ips bound there
  const taken = new Map<string, string[]>();
  const add = (proto: string, ip: string, port: number) => {
    const k = `${proto}/${port}`;
    (taken.get(k) ?? taken.set(k, []).get(k)!).push(ip);
  };
  for (const k of inUse) {
    const p = parseKey(k);
    if (p) add(p.proto, p.ip, p.port);
  }
  // ips here are canonical, so the unspecified addresses have one spelling each
  const wild = (ip: string) => ip === '0.0.0.0' || ip === '::';
  const free = (proto: string, ip: string, port: number) =>
    !(taken.get(`${proto}/${port}`) ?? []).some((other) => other === ip || wild(other) || wild(ip));
  const firstFree = (proto: string, ip: string, low: number, high: number) => {
    for (let p = low; p <= high; p++) if (free(proto, ip, p)) return p;
    throw new AllPortsAllocatedError();
  };

  return requests.map((r) => {
    const ip = canonicalIP(r.hostIp === '' ? '0.0.0.0' : r.hostIp);
    let port: number;
    if (r.hostPortRange) {
      const { start, end } = r.hostPortRange;
      // libnetwork portallocator refuses these ranges with this text
      if (start === 0 || end === 0 || end <= start) throw new PortAllocatorError(`invalid port range: ${start}-${end}`);
      port = firstFree(r.proto, ip, start, end);
    } else if (r.hostPort === null || r.hostPort === 0) {
      port = firstFree(r.proto, ip, range.low, range.high);
    } else {
      port = r.hostPort;
      if (!free(r.proto, ip, port)) throw new PortAllocatedError(ip, port);
    }
    add(r.proto, ip, port);
    return port;
  });
}
