// SVG: the DOT rendering laid out by Graphviz itself, compiled to WebAssembly (@viz-js/viz), so
// no system package is needed. Loaded only for --format svg: the module is about 1.2 MB, which
// every other pont command would otherwise pay for at start.
import { PontError } from '../../core/errors.js';

export async function layoutSvg(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    const why = result.errors.map((e) => e.message).join('; ');
    throw new PontError(`pont: Graphviz could not lay out the graph: ${why}`, { category: 'internal' });
  }
  return result.output;
}
