// `pont trace SOURCE DESTINATION[:PORT][/PROTO]`: one real probe packet, traced through the
// host's netfilter hooks with nftables' nftrace (src/learn/trace).
import type { Command } from 'commander';
import { withContext } from './context.js';

export function registerTrace(program: Command): void {
  program
    .command('trace')
    .description("Send one probe packet and show each hook, chain and rule it meets (pont's rules explained), its NAT and its verdict")
    .argument('<source>', 'a container, host, or netns:NAME')
    .argument('<destination>', 'ADDRESS (ICMP echo), ADDRESS:PORT (TCP SYN) or ADDRESS:PORT/udp')
    .option('--dry-run', 'Print the equivalent commands instead')
    .action(async (source: string, destination: string, o: { dryRun?: boolean }) => {
      const [{ parseDestination, parseSource }, { runTrace }] = await Promise.all([import('../learn/trace/request.js'), import('../learn/trace/run.js')]);
      const req = { source: parseSource(source), destination: parseDestination(destination) };
      const report = await withContext({ dryRun: o.dryRun }, (ctx) => runTrace(ctx, req));
      if (report) process.stdout.write(report.lines.join('\n') + '\n');
    });
}
