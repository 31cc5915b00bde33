// `pont system check | reload | gc`: the store is the truth, the kernel is compared with it.
import type { Command } from 'commander';
import { PontError } from '../core/errors.js';
import { withContext } from './context.js';

export function registerSystemCommands(program: Command): void {
  const system = program.command('system').description('Compare the kernel with pont\'s store, and repair it');

  system
    .command('check')
    .description('List every difference between the store and the kernel, with the commands that repair it (exit 1 if any)')
    .action(async () => {
      // loaded when the command runs, as every engine module (see cli/network.ts)
      const [{ checkSystem }, { NetlinkKernel }, { Store }] = await Promise.all([import('../engine/system/check.js'), import('../kernel/netlink-kernel.js'), import('../engine/store.js')]);
      const kernel = new NetlinkKernel();
      let findings;
      try {
        findings = await checkSystem(kernel, new Store().read());
      } finally {
        kernel.close();
      }
      for (const f of findings) {
        console.log(`${f.what}  [pont system ${f.by === 'rm' ? 'cannot repair this: remove the container' : f.by}]`);
        for (const line of f.repair) console.log(`    ${line}`);
      }
      if (findings.length) throw new PontError(`${findings.length} difference${findings.length > 1 ? 's' : ''} between the store and the kernel`, { category: 'kernel', exitCode: 1 });
      console.log('the kernel matches the store');
    });

  system
    .command('reload')
    .description("Re-apply pont's firewall, bridges and resolver from the store (after a flush or a hand edit)")
    .option('--dry-run', 'Print the equivalent commands, change nothing')
    .action(async (o) => {
      const { reloadSystem } = await import('../engine/system/repair.js');
      await withContext({ dryRun: o.dryRun }, (ctx) => reloadSystem(ctx));
    });

  system
    .command('gc')
    .description("Remove kernel objects with pont's names that no record owns")
    .option('--dry-run', 'Print the equivalent commands, change nothing')
    .action(async (o) => {
      const { collectGarbage } = await import('../engine/system/repair.js');
      const removed = await withContext({ dryRun: o.dryRun }, (ctx) => collectGarbage(ctx));
      if (!o.dryRun) for (const name of removed) console.log(name);
    });
}
