// The graph in Graphviz's DOT language: one cluster per network (its device, its firewall chains,
// the containers whose first network it is), the host's uplinks and published ports in a host
// cluster, left to right. Every text is a row of an HTML-like label and no edge carries a label:
// dot gives each node the room its text needs, so labels do not overlap at 50 containers.
// Monospace, because Graphviz estimates text widths from known font metrics (Courier's is
// exact) and a browser's substitute for an unknown font would be wider than the estimate. Pure.
import { containerById, containerTitle, deviceLines, firewallTitle, ifaceLine, linkDetail, linkKindLine, networkTitle, portLabel, uplinkLines } from './labels.js';
import type { Graph, GraphContainer, GraphNetwork } from './model.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** A DOT double-quoted string. */
const quoted = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
const id = (...parts: string[]) => parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');

/** An HTML-like label: one left-aligned row per line; `port` names a row for edges to end on. */
function table(rows: { text: string; port?: string; bold?: boolean }[], bg?: string): string {
  const tr = rows.map((r) => `<TR><TD ALIGN="LEFT"${r.port ? ` PORT="${r.port}"` : ''}>${esc(r.text)}</TD></TR>`).join('');
  return `<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2"${bg ? ` BGCOLOR="${bg}"` : ''}>${tr}</TABLE>>`;
}

const STYLE = {
  bridge: 'shape=box, style="rounded,filled", fillcolor="#dbeafe", color="#1d4ed8"',
  container: 'shape=box, style="rounded,filled", fillcolor="#fef9c3", color="#a16207"',
  uplink: 'shape=box, style="filled", fillcolor="#dcfce7", color="#15803d"',
  port: 'shape=cds, style="filled", fillcolor="#fee2e2", color="#b91c1c"',
  firewall: 'shape=note, style="filled", fillcolor="#f3f4f6", color="#6b7280"',
  peer: 'shape=box3d, style="filled", fillcolor="#ede9fe", color="#6d28d9"',
};

export function renderDot(g: Graph): string {
  const out: string[] = [
    'digraph pont {',
    '  graph [rankdir=LR, fontname="Courier", fontsize=13, nodesep=0.3, ranksep=0.9, labeljust=l, pad=0.3, bgcolor=white];',
    '  node [fontname="Courier", fontsize=11, margin="0.12,0.06"];',
    '  edge [arrowhead=none, color="#4b5563"];',
  ];
  const home = homeNetworks(g);
  out.push('  subgraph cluster_host {', '    label="host"; style="rounded"; color="#15803d";');
  for (const u of g.uplinks) out.push(`    ${id('up', u.name)} [${STYLE.uplink}, label=${table(uplinkLines(u).map((text) => ({ text })))}];`);
  for (const n of g.networks) for (const p of n.ports) out.push(`    ${portNode(n, p)} [${STYLE.port}, label=${table([{ text: portLabel(p) }])}];`);
  out.push('  }');
  for (const n of g.networks) out.push(...networkCluster(g, n, home));
  for (const c of g.containers) if (!home.has(c.id)) out.push(`  ${containerNode(g, c)}`);
  for (const n of g.networks) out.push(...networkEdges(g, n));
  out.push('}');
  return out.join('\n') + '\n';
}

const portNode = (n: GraphNetwork, p: GraphNetwork['ports'][number]) => id('port', n.id.slice(0, 12), p.hostIp, String(p.hostPort), p.proto);
const deviceNode = (n: GraphNetwork) => id('net', n.id.slice(0, 12));
const ctrNode = (c: { id: string }) => id('c', c.id.slice(0, 12));
const ifPort = (netId: string, ifname: string) => id('if', netId.slice(0, 12), ifname);

/** Each container is drawn once, in the first network (in the graph's order) that it is on. */
function homeNetworks(g: Graph): Map<string, string> {
  const home = new Map<string, string>();
  for (const n of g.networks) for (const cid of [...n.attachments.map((a) => a.containerId), ...n.members]) if (!home.has(cid)) home.set(cid, n.id);
  return home;
}

function containerNode(g: Graph, c: GraphContainer): string {
  const rows: { text: string; port?: string }[] = [{ text: containerTitle(c), port: 'c' }];
  for (const n of g.networks) {
    const a = n.attachments.find((x) => x.containerId === c.id);
    if (a) {
      rows.push({ text: ifaceLine(a.inside), port: ifPort(n.id, a.inside.name) });
      const detail = linkDetail(a.inside);
      if (detail) rows.push({ text: `  ${detail}` });
      rows.push({ text: `  ${linkKindLine(n, a)}` });
    } else if (n.members.includes(c.id)) rows.push({ text: n.driver === 'host' ? "host's network stack" : 'lo only (--network none)', port: ifPort(n.id, 'mode') });
  }
  return `${ctrNode(c)} [${STYLE.container}, label=${table(rows)}];`;
}

function networkCluster(g: Graph, n: GraphNetwork, home: Map<string, string>): string[] {
  const out = [`  subgraph cluster_${deviceNode(n)} {`, `    label=${quoted(networkTitle(n))}; style="rounded"; color="#1d4ed8";`];
  out.push(`    ${deviceNode(n)} [${STYLE.bridge}, label=${table(deviceLines(n).map((text) => ({ text })))}];`);
  if (n.chains.length) out.push(`    ${id('fw', n.id.slice(0, 12))} [${STYLE.firewall}, label=${table([{ text: firewallTitle(g) }, ...n.chains.map((c) => ({ text: `  ${c}` }))])}];`);
  for (const p of n.vxlan?.peers ?? []) {
    const rows = [{ text: `peer ${p.host} ${p.address}` }, ...p.endpoints.map((e) => ({ text: `  ${e.name} ${e.ip} mac ${e.mac}` }))];
    out.push(`    ${id('peer', n.id.slice(0, 12), p.address)} [${STYLE.peer}, label=${table(rows)}];`);
  }
  for (const c of g.containers) if (home.get(c.id) === n.id) out.push(`    ${containerNode(g, c)}`);
  out.push('  }');
  return out;
}

function networkEdges(g: Graph, n: GraphNetwork): string[] {
  const dev = deviceNode(n);
  const out: string[] = [];
  if (n.chains.length) out.push(`  ${dev} -> ${id('fw', n.id.slice(0, 12))} [style=dotted];`);
  // the way out: a bridge's masqueraded traffic, or a macvlan's parent, leaves through the uplinks
  const wayOut = !n.internal && (n.driver === 'bridge' || n.driver === 'host' || n.driver === 'overlay' || n.parent);
  if (wayOut) {
    const uplinks = n.parent ? g.uplinks.filter((u) => u.name === n.parent!.name) : g.uplinks;
    for (const u of uplinks) out.push(`  ${id('up', u.name)} -> ${dev};`);
  }
  for (const a of n.attachments) out.push(`  ${dev} -> ${ctrNode(containerById(g, a.containerId))}:${ifPort(n.id, a.inside.name)}:w;`);
  for (const m of n.members) out.push(`  ${dev} -> ${ctrNode(containerById(g, m))}:${ifPort(n.id, 'mode')}:w;`);
  for (const p of n.ports) {
    const a = n.attachments.find((x) => x.containerId === p.containerId);
    out.push(`  ${portNode(n, p)} -> ${ctrNode(containerById(g, p.containerId))}${a ? `:${ifPort(n.id, a.inside.name)}:w` : ''} [color="#b91c1c", arrowhead=normal];`);
  }
  for (const p of n.vxlan?.peers ?? []) out.push(`  ${dev} -> ${id('peer', n.id.slice(0, 12), p.address)} [style=dashed, color="#6d28d9"];`);
  return out;
}
