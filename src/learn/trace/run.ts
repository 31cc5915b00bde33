// `pont trace`: one probe packet traced through the host's netfilter hooks. The tracer's tables
// are steps of one transaction [add tables, probe, delete tables]: a failed probe undoes them at
// once, and a crash leaves a journal that the next command rolls back (engine/transaction.ts).
import { existsSync, readFileSync } from 'node:fs';
import { PontError } from '../../core/errors.js';
import type { State } from '../../core/model.js';
import type { Step } from '../../core/steps.js';
import type { Context } from '../../engine/context.js';
import { findContainer } from '../../engine/lookup.js';
import { transact } from '../../engine/transaction.js';
import { runTool } from '../../kernel/tool.js';
import { parseTraceOutput } from './monitor.js';
import type { ProbeOutput } from './probe.js';
import { formatTrace, type TraceReport } from './report.js';
import type { TraceDestination, TraceSource } from './request.js';
import { pickEchoId, pickSourcePort, probeArgv, TRACE_TABLE, traceTableBodies, type ProbeMatch } from './table.js';

/** After the probe tool returns: the reply's hooks, and the monitor's last lines. */
const SETTLE_MS = 300;

interface ResolvedSource {
  netns: string;
  label: string;
}

function resolveSource(state: State, src: TraceSource): ResolvedSource {
  if (src.kind === 'host') return { netns: '', label: 'the host' };
  if (src.kind === 'netns') {
    if (!existsSync(`/run/netns/${src.name}`)) throw new PontError(`Error: no network namespace ${src.name} (ip netns list shows the names)`, { category: 'not-found' });
    return { netns: src.name, label: `namespace ${src.name}` };
  }
  const c = findContainer(state, src.ref);
  if (!c) throw new PontError(`Error: No such container: ${src.ref}`, { category: 'not-found' });
  if (!c.running) throw new PontError(`Error response from daemon: Container ${c.id} is not running`, { category: 'conflict' });
  if (!c.netns) throw new PontError(`container ${c.name} shares the host's network namespace: trace from host instead`, { category: 'usage' });
  return { netns: c.netns, label: `container ${c.name} (netns ${c.netns})` };
}

const ipIn = (netns: string, ...args: string[]) => runTool('ip', [...(netns ? ['-n', netns] : []), ...args]);

/** `ip route get` as one line; its source address is the probe's. */
async function routeGet(netns: string, dst: string): Promise<{ line: string; src: string; dev: string }> {
  let line: string;
  try {
    line = (await ipIn(netns, '-o', 'route', 'get', dst)).trim().replace(/\\\s+/g, ' ').replace(/\s+(uid \d+|cache|<local>)(?=\s|$)/g, '').replace(/\s+/g, ' ');
  } catch (e) {
    throw new PontError(`no route to ${dst} from ${netns || 'the host'}: ${(e as Error).message}`, { category: 'usage', cause: e });
  }
  const src = /\bsrc (\S+)/.exec(line)?.[1];
  if (!src) throw new PontError(`no source address towards ${dst} in ${netns || 'the host'}: ${line}`, { category: 'usage' });
  return { line, src, dev: /\bdev (\S+)/.exec(line)?.[1] ?? '' };
}

/** Where the host sends `dst`: its route, and when that is a bridge, the port its MAC is learnt on. */
async function hostHops(dst: string): Promise<string[]> {
  const r = await routeGet('', dst).catch(() => null);
  if (!r) return [`host: no route to ${dst}`];
  const out = [`host: ${r.line}`];
  if (!existsSync(`/sys/class/net/${r.dev}/bridge`)) return out;
  const neigh = (await ipIn('', 'neigh', 'show', dst, 'dev', r.dev).catch(() => '')).trim();
  const mac = /lladdr (\S+)/.exec(neigh)?.[1];
  if (!mac) return [...out, `bridge ${r.dev}: no neighbour entry for ${dst} yet`];
  const fdb = await runTool('bridge', ['fdb', 'show', 'br', r.dev]).catch(() => '');
  const port = fdb.split('\n').find((l) => l.startsWith(`${mac} dev `) && !l.includes(' self'));
  return [...out, `bridge ${r.dev}: ${mac} (${dst}) is behind port ${/dev (\S+)/.exec(port ?? '')?.[1] ?? '(not learnt)'} (bridge fdb)`];
}

const brNetfilter = () => {
  try {
    return readFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').trim();
  } catch {
    return '';
  }
};

/** The plan: the tracer's tables, the probe, the tables gone again. */
export function planTrace(m: ProbeMatch, netns: string, node: string): Step[] {
  const bodies = traceTableBodies(m);
  return [
    { op: 'nft.table', family: 'inet', name: TRACE_TABLE, body: bodies.inet },
    { op: 'nft.table', family: 'bridge', name: TRACE_TABLE, body: bodies.bridge },
    { op: 'trace.probe', netns, argv: probeArgv(m, node), settleMs: SETTLE_MS },
    { op: 'nft.table', family: 'bridge', name: TRACE_TABLE, body: null },
    { op: 'nft.table', family: 'inet', name: TRACE_TABLE, body: null },
  ];
}

export async function runTrace(ctx: Context, req: { source: TraceSource; destination: TraceDestination }): Promise<TraceReport | null> {
  const state = ctx.store.read();
  const source = resolveSource(state, req.source);
  const dst = req.destination;
  const route = await routeGet(source.netns, dst.address);
  const m: ProbeMatch = { proto: dst.proto, saddr: route.src, daddr: dst.address, ...(dst.proto === 'icmp' ? { icmpId: pickEchoId() } : { sport: pickSourcePort(), dport: dst.port }) };
  const output = await transact<ProbeOutput | null>(ctx, (s) => ({
    steps: planTrace(m, source.netns, process.execPath),
    next: s,
    result: null,
    finish: (outputs) => ({ next: s, result: outputs[2] as ProbeOutput }),
  }));
  if (!output) return null;
  const events = parseTraceOutput(output.trace);
  const bridges = new Map(state.networks.flatMap((n) => (n.bridge ? [[n.bridge, n.name] as const] : [])));
  // the probe's last destination, after any DNAT: where the host sent it
  const lastDst = [...events].reverse().find((e) => e.kind === 'packet' && e.packet?.sport === (m.sport === undefined ? undefined : String(m.sport)) && (m.proto !== 'icmp' || e.packet?.icmpType === 'echo-request'))?.packet?.daddr ?? dst.address;
  const where = [`route in ${source.netns || 'the host'}: ${route.line}`, ...(source.netns || lastDst !== dst.address ? await hostHops(lastDst) : [])];
  return formatTrace({ probe: m, source: source.label, outcome: output.outcome, where, brNetfilter: brNetfilter(), names: (b) => (bridges.has(b) ? `${b} (network ${bridges.get(b)})` : b) }, events);
}
