// The graph as a tree for a terminal: the host's uplinks, then each network with its device,
// its containers (interface, address, MAC, the veth's host end), its published ports and the
// firewall chains that serve it. Pure.
import { containerById, containerTitle, deviceLines, firewallTitle, ifaceLine, linkDetail, linkKindLine, networkTitle, portLabel, uplinkLines } from './labels.js';
import type { Graph } from './model.js';

interface Branch {
  line: string;
  children?: Branch[];
}

export function renderText(g: Graph): string {
  const tree: Branch[] = [
    ...g.uplinks.map((u) => ({ line: uplinkLines(u).join(', ') })),
    ...g.networks.map((n) => ({
      line: `network ${networkTitle(n)}`,
      children: [
        ...deviceLines(n).map((line) => ({ line })),
        ...n.attachments.map((a) => ({
          line: `container ${containerTitle(containerById(g, a.containerId))}`,
          children: [{ line: [ifaceLine(a.inside), linkDetail(a.inside)].filter(Boolean).join(' ') }, { line: linkKindLine(n, a) }],
        })),
        ...n.members.map((m) => ({ line: `container ${containerTitle(containerById(g, m))}` })),
        ...n.ports.map((p) => ({ line: `published ${portLabel(p)} → ${containerById(g, p.containerId).name}` })),
        ...(n.vxlan?.peers ?? []).map((p) => ({ line: `peer ${p.host} ${p.address}`, children: p.endpoints.map((e) => ({ line: `${e.name} ${e.ip} mac ${e.mac}` })) })),
        ...(n.chains.length ? [{ line: firewallTitle(g), children: n.chains.map((line) => ({ line })) }] : []),
      ],
    })),
  ];
  return ['host', ...drawTree(tree, '')].join('\n') + '\n';
}

function drawTree(branches: Branch[], indent: string): string[] {
  return branches.flatMap((b, i) => {
    const last = i === branches.length - 1;
    return [`${indent}${last ? '└─ ' : '├─ '}${b.line}`, ...drawTree(b.children ?? [], indent + (last ? '   ' : '│  '))];
  });
}
