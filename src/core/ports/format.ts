// Port texts as docker 20.10 prints them: `docker port` lines and the `docker ps` PORTS column
// (docker/cli cli/command/formatter/container.go DisplayablePorts).

import type { ExposedPort, PortBinding, PsPort } from './types.js';

/**
 * One live binding. 'ps': "0.0.0.0:8000->80/tcp"; 'port': "80/tcp -> 0.0.0.0:8000".
 * 20.10 joins ip and port with a bare ':' (no [] around IPv6: ":::8000").
 */
export function formatPortBinding(b: PortBinding, hostPort: number, style: 'ps' | 'port' = 'ps'): string {
  const ip = b.hostIp === '' ? '0.0.0.0' : b.hostIp;
  return style === 'ps'
    ? `${ip}:${hostPort}->${b.containerPort}/${b.proto}`
    : `${b.containerPort}/${b.proto} -> ${ip}:${hostPort}`;
}

/**
 * The engine's port list for a container: each bound port, and each exposed port with no
 * binding (ip ''). With ipv6, an all-addresses binding is listed for '0.0.0.0' and '::', as
 * 20.10 does on hosts with IPv6.
 */
export function toPsPorts(
  exposed: ExposedPort[],
  bound: { binding: PortBinding; hostPort: number }[],
  opts: { ipv6?: boolean } = {},
): PsPort[] {
  const out: PsPort[] = [];
  const boundKeys = new Set<string>();
  for (const { binding: b, hostPort } of bound) {
    boundKeys.add(`${b.containerPort}/${b.proto}`);
    const ips = b.hostIp !== '' ? [b.hostIp] : opts.ipv6 ? ['0.0.0.0', '::'] : ['0.0.0.0'];
    for (const ip of ips) out.push({ ip, privatePort: b.containerPort, publicPort: hostPort, proto: b.proto });
  }
  for (const e of exposed) {
    if (!boundKeys.has(`${e.port}/${e.proto}`)) out.push({ ip: '', privatePort: e.port, proto: e.proto });
  }
  return out;
}

function formGroup(ip: string, proto: string, first: number, last: number): string {
  let group = String(first);
  if (first !== last) group += `-${last}`;
  if (ip !== '') group = `${ip}:${group}->${group}`;
  return `${group}/${proto}`;
}

/**
 * DisplayablePorts. Sorted by private port, ip, public port, proto. Only unpublished ports and
 * bindings whose public port equals the private one are grouped into consecutive ranges (per
 * ip+proto): "80-81/tcp", "0.0.0.0:80-81->80-81/tcp". A binding 8000->80 is never collapsed and
 * is listed after all groups. A group interrupted by a gap is emitted at once; the groups still
 * open at the end follow in the order they were first opened.
 */
export function formatPsPorts(list: PsPort[]): string {
  const ports = [...list].sort((a, b) =>
    a.privatePort !== b.privatePort ? a.privatePort - b.privatePort
      : a.ip !== b.ip ? (a.ip < b.ip ? -1 : 1)
        : (a.publicPort ?? 0) !== (b.publicPort ?? 0) ? (a.publicPort ?? 0) - (b.publicPort ?? 0)
          : a.proto < b.proto ? -1 : a.proto > b.proto ? 1 : 0);
  const groups = new Map<string, { ip: string; proto: string; first: number; last: number }>();
  const result: string[] = [];
  const hostMappings: string[] = [];
  for (const p of ports) {
    const current = p.privatePort;
    if (p.ip !== '' && (p.publicPort ?? 0) !== current) {
      hostMappings.push(`${p.ip}:${p.publicPort ?? 0}->${current}/${p.proto}`);
      continue;
    }
    const k = p.ip === '' ? p.proto : `${p.ip}/${p.proto}`;
    const g = groups.get(k);
    if (!g) {
      groups.set(k, { ip: p.ip, proto: p.proto, first: current, last: current });
      continue;
    }
    if (current === ((g.last + 1) & 0xffff)) { // uint16 arithmetic in Go
      g.last = current;
      continue;
    }
    result.push(formGroup(g.ip, g.proto, g.first, g.last));
    g.first = g.last = current;
  }
  for (const g of groups.values()) result.push(formGroup(g.ip, g.proto, g.first, g.last));
  return [...result, ...hostMappings].join(', ');
}
