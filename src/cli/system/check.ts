// `pont system check`: the store is the truth; every way the kernel differs, with its repair.
import type { Command } from 'commander';
import { PontError } from '../../core/errors.js';
import { say } from '../../kernel/stdio.js';

export function registerSystemCheck(system: Command): void {
  system
    .command('check')
    .description('List every difference between the store and the kernel, with the commands that repair it (exit 1 if any)')
    .action(async () => {
      const [{ checkSystem }, { NetlinkKernel }, { Store }, { readConfig }, { loadFirewallBackend }] = await Promise.all([
        import('../../engine/system/check.js'),
        import('../../kernel/netlink-kernel.js'),
        import('../../store/store.js'),
        import('../../store/config.js'),
        import('../../firewall/index.js'),
      ]);
      const fw = await loadFirewallBackend(readConfig().firewallBackend);
      const kernel = new NetlinkKernel();
      let findings;
      try {
        findings = await checkSystem(kernel, fw, new Store().read());
      } finally {
        kernel.close();
      }
      for (const f of findings) {
        say(`${f.what}  [pont system ${f.by === 'rm' ? 'cannot repair this: remove the container' : f.by}]`);
        for (const line of f.repair) say(`    ${line}`);
      }
      if (findings.length) throw new PontError(`${findings.length} difference${findings.length > 1 ? 's' : ''} between the store and the kernel`, { category: 'kernel', exitCode: 1 });
      say('the kernel matches the store');
    });
}
