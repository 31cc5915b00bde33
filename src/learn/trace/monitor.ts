// `nft monitor trace` lines as data, and the packets they describe. Pure.
//
//   trace id 3d6d2d74 ip nat PREROUTING packet: iif "uplink0" … ip saddr 198.51.100.2 ip daddr 198.51.100.1 … tcp dport 8080 …
//   trace id 3d6d2d74 ip nat PREROUTING rule fib daddr type local counter packets 0 bytes 0 jump PONT (verdict jump PONT)
//   trace id 3d6d2d74 ip nat PONT rule tcp dport 8080 counter packets 0 bytes 0 dnat to 172.18.0.2:80 (verdict accept)
//   trace id 21515129 ip nat POSTROUTING policy accept
//
// The kernel's trace id follows an skb, and may change between hooks (a forwarded packet gets a
// new one after routing): packets are told apart by their IP id instead, which is the packet's own.

export interface PacketFields {
  iif?: string;
  oif?: string;
  saddr?: string;
  daddr?: string;
  ipId?: string;
  proto?: string;
  sport?: string;
  dport?: string;
  icmpType?: string;
  icmpId?: string;
  tcpFlags?: string;
}

export interface TraceEvent {
  id: string;
  family: string;
  table: string;
  chain: string;
  kind: 'packet' | 'rule' | 'policy' | 'verdict';
  /** rule: its text as nft prints it, counters left out. */
  rule?: string;
  /** rule, policy, verdict: accept, drop, continue, return, jump X… */
  verdict?: string;
  packet?: PacketFields;
}

const LINE = /^trace id (\S+) (\S+) (\S+) (\S+) (packet: (.*)|rule (.*) \(verdict ([^)]*)\)|policy (\S+)|verdict (.+))$/;

/** One line of `nft monitor trace`, or null for anything else. */
export function parseTraceLine(line: string): TraceEvent | null {
  const m = LINE.exec(line.trim());
  if (!m) return null;
  const [, id, family, table, chain, , packet, rule, ruleVerdict, policy, verdict] = m;
  const base = { id, family, table, chain };
  if (packet !== undefined) return { ...base, kind: 'packet', packet: parsePacketFields(packet) };
  if (rule !== undefined) return { ...base, kind: 'rule', rule: stripCounter(rule), verdict: ruleVerdict };
  if (policy !== undefined) return { ...base, kind: 'policy', verdict: policy };
  return { ...base, kind: 'verdict', verdict: verdict.trim() };
}

export const stripCounter = (rule: string) => rule.replace(/\s*counter packets \d+ bytes \d+/g, '').replace(/\s+/g, ' ').trim();

const FIELDS: [keyof PacketFields, RegExp][] = [
  ['iif', /\biif "([^"]+)"/],
  ['oif', /\boif "([^"]+)"/],
  ['saddr', /\bip saddr (\S+)/],
  ['daddr', /\bip daddr (\S+)/],
  ['ipId', /\bip id (\d+)/],
  ['proto', /\bip protocol (\S+)/],
  ['sport', /\b(?:tcp|udp) sport (\d+)/],
  ['dport', /\b(?:tcp|udp) dport (\d+)/],
  ['icmpType', /\bicmp type (\S+)/],
  ['icmpId', /\bicmp id (\d+)/],
  ['tcpFlags', /\btcp flags == (\S+)/],
];

export function parsePacketFields(text: string): PacketFields {
  const f: PacketFields = {};
  for (const [key, re] of FIELDS) {
    const m = re.exec(text);
    if (m) f[key] = m[1];
  }
  if (!f.proto) f.proto = f.icmpType ? 'icmp' : /\btcp /.test(text) ? 'tcp' : /\budp /.test(text) ? 'udp' : undefined;
  if (!f.proto) delete f.proto;
  return f;
}

/** One packet's walk: its events in order, the IP id that names it. */
export interface TracedPacket {
  key: string;
  events: TraceEvent[];
}

/** Events grouped by packet (IP id, else trace id), in the order packets were first seen. */
export function groupPackets(events: readonly TraceEvent[]): TracedPacket[] {
  const keyOfId = new Map<string, string>();
  const packets = new Map<string, TracedPacket>();
  for (const e of events) {
    if (e.kind === 'packet') keyOfId.set(e.id, e.packet?.ipId !== undefined ? `ip id ${e.packet.ipId}` : `trace ${e.id}`);
    const key = keyOfId.get(e.id) ?? `trace ${e.id}`;
    const p = packets.get(key) ?? { key, events: [] };
    p.events.push(e);
    packets.set(key, p);
  }
  return [...packets.values()];
}

export const parseTraceOutput = (text: string): TraceEvent[] => text.split('\n').flatMap((l) => parseTraceLine(l) ?? []);
