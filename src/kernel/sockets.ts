// Which ports processes of the host hold, from /proc/net (TCP listeners, bound UDP sockets),
// so a published port never shadows a host service. Keys are "proto:ip:port".
import { readFileSync } from 'node:fs';

function hexToIPv4(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
}

function hexToIPv6(hex: string): string {
  // /proc prints four little-endian 32-bit words; the unspecified address is all we need exactly
  return /^0+$/.test(hex) ? '::' : hex;
}

export function hostBoundPorts(): Set<string> {
  const out = new Set<string>();
  const files: [string, 'tcp' | 'udp', boolean][] = [
    ['/proc/net/tcp', 'tcp', false],
    ['/proc/net/tcp6', 'tcp', true],
    ['/proc/net/udp', 'udp', false],
    ['/proc/net/udp6', 'udp', true],
  ];
  for (const [file, proto, v6] of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4) continue;
      if (proto === 'tcp' && f[3] !== '0A') continue; // only listeners
      const [ipHex, portHex] = f[1].split(':');
      const ip = v6 ? hexToIPv6(ipHex) : hexToIPv4(ipHex);
      out.add(`${proto}:${ip}:${parseInt(portHex, 16)}`);
    }
  }
  return out;
}

export function ephemeralRange(): { low: number; high: number } {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return { low, high };
  } catch {
    return { low: 32768, high: 60999 };
  }
}
