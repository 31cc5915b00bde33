// Entry of the DNS processes: `node dist/src/dns/main.js [--supervise]` (what the supervisor
// and ensureDnsRunning spawn). Exits with the code runDnsCommand resolves to.
import { runDnsCommand } from './index.js';
import { runsResident } from '../kernel/spawn.js';

// long-lived: what these processes start is reaped by libuv (kernel/spawn.ts)
runsResident();

const run = process.argv.includes('--cluster-agent')
  ? import('../cluster/agent.js').then((m) => m.runAgent())
  : runDnsCommand({ supervise: process.argv.includes('--supervise') });
run.then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`pont dns: ${e.stack ?? e}\n`);
    process.exit(1);
  },
);
