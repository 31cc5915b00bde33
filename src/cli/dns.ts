// `pont dns`: the embedded DNS resolver by hand, in the foreground (pont spawns its own from dns/main.js).
import type { Command } from 'commander';

export function registerDns(program: Command): void {
  program
    .command('dns')
    .description('Run the embedded DNS resolver in the foreground (pont starts it by itself when needed)')
    .option('--supervise', 'Run the supervisor, which restarts the resolver if it dies')
    .action(async (o) => {
      const { runDnsCommand } = await import('../dns/index.js');
      process.exitCode = await runDnsCommand({ supervise: Boolean(o.supervise) });
    });
}
