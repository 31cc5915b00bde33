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
  const taken = new TakenPorts();
  for (const k of inUse) {
    const p = parseKey(k);
    if (p) taken.add(p.proto, p.ip, p.port);
  }
  // Ports only become taken here, never free, so for one proto, address and start the first
  // free port never moves down: each search resumes where the last one stopped, and choosing N
  // ports costs one pass over the range, not N.
  const cursors = new Map<string, number>();
  const firstFree = (proto: string, ip: string, low: number, high: number) => {
    const c = `${proto} ${ip} ${low}`;
    for (let p = Math.max(low, cursors.get(c) ?? low); p <= high; p++) {
      if (taken.free(proto, ip, p)) {
        cursors.set(c, p);
        return p;
      }
    }
    cursors.set(c, high + 1);
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
      if (!taken.free(r.proto, ip, port)) throw new PortAllocatedError(ip, port);
    }
    taken.add(r.proto, ip, port);
    return port;
  });
}

// ips here are canonical, so the unspecified addresses have one spelling each
const WILD = ['0.0.0.0', '::'];

/** proto → port → canonical addresses bound there; every question is O(1). */
class TakenPorts {
  private readonly byProto = new Map<string, Map<number, Set<string>>>();

  add(proto: string, ip: string, port: number): void {
    let ports = this.byProto.get(proto);
    if (!ports) this.byProto.set(proto, (ports = new Map()));
    let ips = ports.get(port);
    if (!ips) ports.set(port, (ips = new Set()));
    ips.add(ip);
  }

  /** Free unless a binding on the same port overlaps the address (same, or either unspecified). */
  free(proto: string, ip: string, port: number): boolean {
    const ips = this.byProto.get(proto)?.get(port);
    if (!ips || ips.size === 0) return true;
    if (WILD.includes(ip)) return false;
    return !ips.has(ip) && !WILD.some((w) => ips.has(w));
  }
}
