// The tracer's own tables: chains before everything else on the hooks a probe meets (priority
// -350, before conntrack and raw), marking `meta nftrace set 1` on the probe and its reply only,
// so that every other table's chains report them to `nft monitor trace`. Pure.
//
//   container ─veth─► bridge prerouting (bridge pont-trace) ─► ip prerouting (inet pont-trace pre)
//   host / 127.0.0.1 ─► ip output (inet pont-trace out) ─► … ─► lo ─► ip prerouting (pre)
import type { TraceProto } from './request.js';

export const TRACE_TABLE = 'pont-trace';

/** Exactly what identifies the probe and its answer. */
export interface ProbeMatch {
  proto: TraceProto;
  saddr: string;
  daddr: string;
  /** tcp/udp: the probe's source port, outside the kernel's ephemeral range, so no other socket has it. */
  sport?: number;
  dport?: number;
  /** icmp: the echo identifier. */
  icmpId?: number;
}

/** Ports 61000-64999: above Linux's default ephemeral range (32768-60999): no connect() picks them. */
export const pickSourcePort = (random: () => number = Math.random) => 61000 + Math.floor(random() * 4000);
export const pickEchoId = (random: () => number = Math.random) => 1 + Math.floor(random() * 65534);

/**
 * Two rules: the probe (source, destination, ports or echo id, and a TCP SYN only: not the ACK that
 * may follow), and its reply, which NAT may have readdressed, so it is known by the probe's own
 * port or echo id (a SYN-ACK or RST to that port, an echo reply with that id).
 */
export function traceRules(m: ProbeMatch): string[] {
  const hosts = `ip saddr ${m.saddr} ip daddr ${m.daddr}`;
  const mark = 'meta nftrace set 1';
  switch (m.proto) {
    case 'icmp':
      return [`${hosts} icmp type echo-request icmp id ${m.icmpId} ${mark}`, `icmp type echo-reply icmp id ${m.icmpId} ${mark}`];
    case 'tcp':
      return [`${hosts} tcp sport ${m.sport} tcp dport ${m.dport} tcp flags & (syn | ack) == syn ${mark}`, `tcp dport ${m.sport} tcp flags & (syn | rst) != 0 ${mark}`];
    case 'udp':
      return [`${hosts} udp sport ${m.sport} udp dport ${m.dport} ${mark}`, `udp dport ${m.sport} ${mark}`];
  }
}

const chain = (name: string, hook: string, rules: string[]) => [`\tchain ${name} {`, `\t\ttype filter hook ${hook} priority -350; policy accept;`, ...rules.map((r) => `\t\t${r}`), '\t}'].join('\n');

/** The bodies of `table inet pont-trace` (IP hooks) and `table bridge pont-trace` (frames entering a bridge). */
export function traceTableBodies(m: ProbeMatch): { inet: string; bridge: string } {
  const rules = traceRules(m);
  return {
    inet: [chain('prerouting', 'prerouting', rules), chain('output', 'output', rules)].join('\n'),
    bridge: chain('prerouting', 'prerouting', rules),
  };
}

/** The probe's command line: one echo request, one SYN (given up before the kernel's first retransmit at 1 s), or one datagram. */
export function probeArgv(m: ProbeMatch, node: string): string[] {
  if (m.proto === 'icmp') return ['ping', '-n', '-c', '1', '-W', '1', '-e', String(m.icmpId), m.daddr];
  const js =
    m.proto === 'tcp'
      ? `const s=require('net').connect({host:'${m.daddr}',port:${m.dport},localAddress:'${m.saddr}',localPort:${m.sport}});` +
        `s.on('connect',()=>{console.log('connected');s.destroy();process.exit(0)});s.on('error',e=>{console.log(e.code);process.exit(1)});setTimeout(()=>{console.log('no answer');process.exit(2)},900)`
      : `const d=require('dgram').createSocket('udp4');d.bind(${m.sport},'${m.saddr}',()=>d.send('pont trace',${m.dport},'${m.daddr}'));` +
        `d.on('message',()=>{console.log('answered');process.exit(0)});d.on('error',e=>{console.log(e.code);process.exit(1)});setTimeout(()=>{console.log('no answer');process.exit(2)},900)`;
  return [node, '-e', js];
}
