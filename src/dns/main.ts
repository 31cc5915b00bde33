// Entry of the DNS processes: `node dist/src/dns/main.js [--supervise]` (what the supervisor
// and ensureDnsRunning spawn). Exits with the code runDnsCommand resolves to.
import { runDnsCommand } from './index.js';

runDnsCommand({ supervise: process.argv.includes('--supervise') }).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`pont dns: ${e.stack ?? e}\n`);
    process.exit(1);
  },
);
