// The graph as a Mermaid flowchart (GitHub and many wikis draw it inline): a subgraph per
// network, the host's uplinks and published ports in a host subgraph; each link from a bridge to
// a container is labelled with the veth pair. Pure.
import { containerById, containerTitle, deviceLines, firewallTitle, ifaceLine, linkDetail, linkKindLine, networkTitle, portLabel, uplinkLines } from './labels.js';
import type { Graph, GraphNetwork } from './model.js';

/** Mermaid's quoted label: `"` and `#` are written as entity codes, lines joined by <br/>. */
const text = (lines: string[]) => `"${lines.map((l) => l.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')).join('<br/>')}"`;
const id = (...parts: string[]) => parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
const dev = (n: GraphNetwork) => id('net', n.id.slice(0, 12));

export function renderMermaid(g: Graph): string {
  const out = ['flowchart LR', '  subgraph host["host"]'];
  for (const u of g.uplinks) out.push(`    ${id('up', u.name)}[${text(uplinkLines(u))}]`);
  for (const n of g.networks) for (const p of n.ports) out.push(`    ${id('port', n.id.slice(0, 12), String(p.hostPort), p.proto)}>${text([portLabel(p)])}]`);
  out.push('  end');
  const drawn = new Set<string>();
  for (const n of g.networks) {
    out.push(`  subgraph ${id('cluster', n.id.slice(0, 12))}[${text([networkTitle(n)])}]`);
    out.push(`    ${dev(n)}[${text(deviceLines(n))}]`);
    if (n.chains.length) out.push(`    ${id('fw', n.id.slice(0, 12))}[${text([firewallTitle(g), ...n.chains])}]`);
    for (const p of n.vxlan?.peers ?? []) out.push(`    ${id('peer', n.id.slice(0, 12), p.address)}[${text([`peer ${p.host} ${p.address}`, ...p.endpoints.map((e) => `${e.name} ${e.ip} mac ${e.mac}`)])}]`);
    for (const cid of [...n.attachments.map((a) => a.containerId), ...n.members]) {
      if (drawn.has(cid)) continue;
      drawn.add(cid);
      out.push(`    ${id('c', cid.slice(0, 12))}(${text([containerTitle(containerById(g, cid))])})`);
    }
    out.push('  end');
  }
  for (const n of g.networks) {
    if (n.chains.length) out.push(`  ${dev(n)} -.- ${id('fw', n.id.slice(0, 12))}`);
    if (!n.internal && (n.driver === 'bridge' || n.driver === 'host' || n.driver === 'overlay' || n.parent)) {
      for (const u of n.parent ? g.uplinks.filter((x) => x.name === n.parent!.name) : g.uplinks) out.push(`  ${id('up', u.name)} --- ${dev(n)}`);
    }
    for (const a of n.attachments) {
      const lines = [linkKindLine(n, a), ifaceLine(a.inside), linkDetail(a.inside)].filter(Boolean);
      out.push(`  ${dev(n)} ---|${text(lines)}| ${id('c', a.containerId.slice(0, 12))}`);
    }
    for (const m of n.members) out.push(`  ${dev(n)} --- ${id('c', m.slice(0, 12))}`);
    for (const p of n.ports) out.push(`  ${id('port', n.id.slice(0, 12), String(p.hostPort), p.proto)} --> ${id('c', p.containerId.slice(0, 12))}`);
    for (const p of n.vxlan?.peers ?? []) out.push(`  ${dev(n)} -. VXLAN .- ${id('peer', n.id.slice(0, 12), p.address)}`);
  }
  return out.join('\n') + '\n';
}
