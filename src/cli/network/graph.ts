// `pont network graph`: a picture of what exists now (the store, and one read of the kernel),
// as a text tree (the default), DOT, Mermaid or SVG. Read-only, as ls and inspect: no lock, no
// store write, no kernel change.
import type { Command } from 'commander';
import { PontError, usageError } from '../../core/errors.js';
import { parseFlags, refuseControl } from '../args.js';
import { writeOut } from '../../kernel/stdio.js';

const FORMATS = ['text', 'dot', 'mermaid', 'svg'] as const;
type GraphFormat = (typeof FORMATS)[number];

export function registerNetworkGraph(network: Command): void {
  network
    .command('graph')
    .description('Draw the networks, their devices, containers, published ports and firewall chains')
    .option('--network <network>', 'Only this network and its containers')
    .option('--format <format>', `Output format: ${FORMATS.join(', ')}`, 'text')
    .option('-o, --output <file>', 'Write to this file instead of stdout')
    .action(async (o: { network?: string; format: string; output?: string }) => {
      parseFlags('network graph', () => refuseControl('--network', [o.network]));
      const format = parseFormat(o.format);
      const rendered = await renderGraph(format, o.network);
      if (o.output) (await import('node:fs')).writeFileSync(o.output, rendered);
      else writeOut(rendered);
    });
}

function parseFormat(s: string): GraphFormat {
  if ((FORMATS as readonly string[]).includes(s)) return s as GraphFormat;
  throw usageError(`invalid argument "${s}" for "--format" flag: expected one of ${FORMATS.join(', ')}`, ["See 'pont network graph --help'."]);
}

async function renderGraph(format: GraphFormat, networkRef: string | undefined): Promise<string> {
  const [{ readState }, { findNetwork }, { buildGraph }, { readKernelView }, { readClusterView }, { STATE_DIR }, { NetlinkKernel }] = await Promise.all([
    import('../../engine/read-state.js'),
    import('../../engine/lookup.js'),
    import('../../learn/graph/model.js'),
    import('../../learn/graph/read.js'),
    import('../../cluster/view.js'),
    import('../../store/store.js'),
    import('../../kernel/netlink-kernel.js'),
  ]);
  const state = await readState();
  const network = networkRef === undefined ? undefined : findNetwork(state, networkRef);
  if (networkRef !== undefined && !network) throw new PontError(`Error: No such network: ${networkRef}`, { category: 'not-found' });
  const kernel = new NetlinkKernel();
  let view;
  try {
    view = await readKernelView(kernel, state);
  } finally {
    kernel.close();
  }
  const graph = buildGraph(state, view, { networkId: network?.id, cluster: readClusterView(STATE_DIR) });
  switch (format) {
    case 'text':
      return (await import('../../learn/graph/text.js')).renderText(graph);
    case 'mermaid':
      return (await import('../../learn/graph/mermaid.js')).renderMermaid(graph);
    case 'dot':
      return (await import('../../learn/graph/dot.js')).renderDot(graph);
    case 'svg': {
      const [{ renderDot }, { layoutSvg }] = await Promise.all([import('../../learn/graph/dot.js'), import('../../learn/graph/svg.js')]);
      return layoutSvg(renderDot(graph));
    }
  }
}
