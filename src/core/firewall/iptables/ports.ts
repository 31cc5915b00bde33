// Published ports as kernel DNAT, no proxy process. For each port (CNI portmap's picture):
//
//   client ──► host:8000 ─ nat PREROUTING/OUTPUT ─► PONT: DNAT to 172.18.0.2:80
//          ──► filter FORWARD ─► PONT-FORWARD ─► -o br ─► PONT: ACCEPT tcp dpt:80 to 172.18.0.2
//   127.0.0.1:8000 from the host: OUTPUT DNAT, then PONT-POSTROUTING masquerades the loopback
//          source leaving on the bridge (route_localnet is on for pont bridges)
//   the container itself ──► host:8000: DNAT back to itself, and the hairpin MASQUERADE makes
//          the reply come back through the host
import type { PublishedPort } from '../../model.js';
import { bindsAnyAddress, checkPorts } from '../parts.js';
import { CHAINS } from './layout.js';
import type { FirewallBatch, Rule } from './rules.js';

export interface PortTarget {
  bridge: string;
  containerIp: string;
  ports: PublishedPort[];
}

export function portRules(t: PortTarget): FirewallBatch {
  const rules: Rule[] = [];
  // an IPv6 address would make the whole batch fail (parsing refuses it first)
  checkPorts(t.ports);
  for (const p of t.ports) {
    const proto = ['-p', p.proto, '-m', p.proto];
    const dst = bindsAnyAddress(p) ? [] : ['-d', `${p.hostIp}/32`];
    rules.push(
      { table: 'nat', chain: CHAINS.ports, spec: [...dst, ...proto, '--dport', String(p.hostPort), '-j', 'DNAT', '--to-destination', `${t.containerIp}:${p.containerPort}`] },
      { table: 'filter', chain: CHAINS.ports, spec: ['-d', `${t.containerIp}/32`, '!', '-i', t.bridge, '-o', t.bridge, ...proto, '--dport', String(p.containerPort), '-j', 'ACCEPT'] },
      { table: 'nat', chain: CHAINS.postrouting, spec: ['-s', `${t.containerIp}/32`, '-d', `${t.containerIp}/32`, ...proto, '--dport', String(p.containerPort), '-j', 'MASQUERADE'] },
    );
  }
  return { chains: [], rules };
}
