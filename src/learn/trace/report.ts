// A traced probe as a learner reads it: each hook, table, chain and rule the probe and its reply
// met, pont's own rules in words, the NAT that rewrote them, and the verdict. Pure.
import { groupPackets, type PacketFields, type TraceEvent, type TracedPacket } from './monitor.js';
import { explainPontRule, type NameBridge } from './pont-rules.js';
import { TRACE_TABLE, type ProbeMatch } from './table.js';

export interface TraceFacts {
  probe: ProbeMatch;
  /** `container web (netns pont-…)`, `the host`, `namespace pc`. */
  source: string;
  /** What the probe tool said (ping's summary, `connected`, `ECONNREFUSED`, `no answer`). */
  outcome: string;
  /** `ip route get` in the source's namespace, and the hops found on the host (bridge, port). */
  where: string[];
  /** net.bridge.bridge-nf-call-iptables on the host ('' when br_netfilter is not loaded). */
  brNetfilter: string;
  names: NameBridge;
}

export interface RuleHit {
  table: string;
  chain: string;
  rule: string;
  verdict: string;
  pont: string | null;
}

export interface PacketVerdict {
  direction: 'probe' | 'reply';
  verdict: 'dropped' | 'accepted';
  /** The rule (or policy) that dropped it; else the last of pont's rules that accepted it. */
  deciding: RuleHit | null;
  nat: RuleHit[];
  /** It met no chain of the IP hooks besides the tracer's own (a frame bridged without br_netfilter). */
  ipHooksUnseen: boolean;
}

export interface TraceReport {
  lines: string[];
  packets: PacketVerdict[];
}

const tableOf = (e: TraceEvent) => `${e.family} ${e.table}`;
const isTracer = (e: TraceEvent) => e.table === TRACE_TABLE;
const hitOf = (e: TraceEvent, names: NameBridge): RuleHit => ({
  table: tableOf(e),
  chain: e.chain,
  rule: e.rule ?? `policy ${e.verdict}`,
  verdict: e.verdict ?? '',
  pont: e.kind === 'rule' ? explainPontRule(tableOf(e), e.chain, e.rule ?? '', names) : null,
});

/** A rule whose action rewrites addresses (not a match on NAT state, `ct status dnat`). */
const isNat = (h: RuleHit) => h.verdict === 'accept' && /\b(dnat (ip )?to|snat (ip )?to|masquerade|redirect)\b/.test(h.rule);

const endpoint = (addr?: string, port?: string) => `${addr ?? '?'}${port ? `:${port}` : ''}`;
const addresses = (f: PacketFields) => `${endpoint(f.saddr, f.sport)} → ${endpoint(f.daddr, f.dport)}`;
const what = (f: PacketFields) => (f.proto === 'icmp' ? `icmp ${f.icmpType ?? ''} id ${f.icmpId ?? '?'}` : `${f.proto ?? '?'}${f.tcpFlags ? ` [${f.tcpFlags === '0x14' ? 'rst,ack' : f.tcpFlags === '0x12' ? 'syn,ack' : f.tcpFlags}]` : ''}`);

function directionOf(p: TracedPacket, probe: ProbeMatch): 'probe' | 'reply' {
  const f = p.events.find((e) => e.kind === 'packet')?.packet ?? {};
  if (probe.proto === 'icmp') return f.icmpType === 'echo-reply' ? 'reply' : 'probe';
  return f.sport === String(probe.sport) ? 'probe' : 'reply';
}

export function verdictOf(p: TracedPacket, probe: ProbeMatch, names: NameBridge): PacketVerdict {
  const hits = p.events.filter((e) => !isTracer(e) && (e.kind === 'rule' || e.kind === 'policy')).map((e) => hitOf(e, names));
  const drop = hits.find((h) => h.verdict === 'drop');
  const accepting = [...hits].reverse().find((h) => h.pont && h.verdict === 'accept' && !isNat(h));
  const nat = hits.filter(isNat);
  return {
    direction: directionOf(p, probe),
    verdict: drop ? 'dropped' : 'accepted',
    // a packet for the host itself meets no forward rule: what pont did to it is its NAT
    deciding: drop ?? accepting ?? nat.find((h) => h.pont) ?? null,
    nat,
    ipHooksUnseen: !p.events.some((e) => !isTracer(e) && e.family !== 'bridge'),
  };
}

/** The report of one traced probe from the monitor's events. */
export function formatTrace(facts: TraceFacts, events: readonly TraceEvent[]): TraceReport {
  const { probe, names } = facts;
  const head = probe.proto === 'icmp' ? `icmp echo-request ${probe.saddr} → ${probe.daddr} (id ${probe.icmpId})` : `${probe.proto}${probe.proto === 'tcp' ? ' SYN' : ''} ${probe.saddr}:${probe.sport} → ${probe.daddr}:${probe.dport}`;
  const lines = [`pont trace: ${head}, from ${facts.source}`, ...facts.where.map((w) => `  ${w}`), ''];
  const packets = groupPackets(events);
  const verdicts: PacketVerdict[] = [];
  for (const p of packets) {
    const v = verdictOf(p, probe, names);
    verdicts.push(v);
    lines.push(...formatPacket(p, v, names), '');
  }
  const sent = verdicts.find((v) => v.direction === 'probe');
  const reply = verdicts.find((v) => v.direction === 'reply');
  if (!sent) lines.push('no trace of the probe: no netfilter hook of the host saw it (it never reached the host, or left the source by another way)');
  else if (sent.ipHooksUnseen) {
    lines.push(`note: no IP netfilter hook saw it, only the bridge: frames between two ports of one bridge reach iptables and nftables' ip hooks only with br_netfilter (net.bridge.bridge-nf-call-iptables=${facts.brNetfilter || 'unset: br_netfilter not loaded'})`);
  }
  lines.push(`verdict: ${sent ? summary(sent) : 'not seen'}`);
  lines.push(`reply: ${reply ? summary(reply) : 'none seen'}`);
  lines.push(`outcome: ${facts.outcome}`);
  return { lines, packets: verdicts };
}

function summary(v: PacketVerdict): string {
  const nat = v.nat.length ? `; NAT: ${v.nat.map((h) => `${h.table} ${h.chain} ${natAction(h.rule)}`).join(', ')}` : '';
  if (!v.deciding) return `${v.verdict}${nat}`;
  const d = v.deciding;
  return `${v.verdict} by ${d.table} ${d.chain}: ${d.rule}${d.pont ? ` (pont: ${d.pont})` : ''}${nat}`;
}

const natAction = (rule: string) => /\b(dnat to \S+|snat to \S+|masquerade|dnat ip to .*)$/.exec(rule)?.[1] ?? rule;

/** What NAT changed since the packet's last hook: `  rewritten: destination 198.51.100.1:8080 → 172.18.0.2:80`. */
function rewritten(was: PacketFields, now: PacketFields): string {
  const changes = [
    endpoint(was.saddr, was.sport) !== endpoint(now.saddr, now.sport) ? `source ${endpoint(was.saddr, was.sport)} → ${endpoint(now.saddr, now.sport)}` : '',
    endpoint(was.daddr, was.dport) !== endpoint(now.daddr, now.dport) ? `destination ${endpoint(was.daddr, was.dport)} → ${endpoint(now.daddr, now.dport)}` : '',
  ].filter(Boolean);
  return changes.length ? `  rewritten: ${changes.join(', ')}` : '';
}

function formatPacket(p: TracedPacket, v: PacketVerdict, names: NameBridge): string[] {
  const first = p.events.find((e) => e.kind === 'packet')?.packet ?? {};
  const out = [`${v.direction} packet: ${what(first)} ${addresses(first)}`];
  let last: PacketFields | undefined;
  let chain = '';
  for (const e of p.events) {
    if (e.kind === 'packet') {
      const f = e.packet ?? {};
      const via = [f.iif ? `in ${names(f.iif)}` : '', f.oif ? `out ${names(f.oif)}` : ''].filter(Boolean).join(', ');
      if (isTracer(e)) {
        out.push(e.family === 'bridge' ? `  bridge: frame entered a bridge from its port ${f.iif}` : `  ip ${e.chain}${via ? ` (${via})` : ''}`);
      } else {
        const moved = last ? rewritten(last, f) : '';
        out.push(`  ${tableOf(e)} ${e.chain}${via ? ` (${via})` : ''}${moved}`);
      }
      chain = `${tableOf(e)} ${e.chain}`;
      last = f;
      continue;
    }
    if (isTracer(e)) continue;
    const h = hitOf(e, names);
    // a jump's or vmap's target chain has no packet line of its own
    if (`${h.table} ${h.chain}` !== chain) out.push(`    ${h.table} ${h.chain}`);
    chain = `${h.table} ${h.chain}`;
    if (e.kind === 'rule') out.push(`      rule ${h.rule}  → ${h.verdict}`, ...(h.pont ? [`        pont: ${h.pont}`] : []));
    else out.push(`      ${e.kind} ${e.verdict}`);
  }
  return out;
}
