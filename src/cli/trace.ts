// `pont trace SOURCE DESTINATION[:PORT][/PROTO]`: one real probe packet, traced through the
// host's netfilter hooks with nftables' nftrace (src/learn/trace).
import type { Command } from 'commander';
import { withContext } from './context.js';
import { writeOut } from '../kernel/stdio.js';

export function registerTrace(program: Command): void {
  program
    .command('trace')
    .description("Send one probe packet and show each hook, chain and rule it meets (pont's rules explained), its NAT and its verdict")
    .argument('<source>', 'a container, host, or netns:NAME')
    .argument('<destination>', 'ADDRESS or CONTAINER (ICMP echo), …:PORT (TCP SYN) or …:PORT/udp')
    .option('--dry-run', 'Print the equivalent commands instead')
    .action(async (source: string, destination: string, o: { dryRun?: boolean }) => {
      const [{ parseDestination, parseSource, resolveDestination }, { runTrace }] = await Promise.all([import('../learn/trace/request.js'), import('../learn/trace/run.js')]);
      const src = parseSource(source);
      let dst = parseDestination(destination);
      if (dst.container) dst = resolveDestination(dst, src, (await (await import('../engine/read-state.js')).readState()).containers);
      const req = { source: src, destination: dst };
      const report = await withContext({ dryRun: o.dryRun }, (ctx) => runTrace(ctx, req));
      if (report) writeOut(report.lines.join('\n') + '\n');
    });
}
