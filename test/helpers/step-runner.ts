// Applies Steps through the op table with the real kernel, in the network namespace this process
// was started in: an integration test's second "host" is a namespace entered with
// `nsenter --net=/run/netns/NAME node step-runner.js …` (no mount namespace of its own, so the
// namespaces it makes are seen by the sandbox).
//   run   stdin: Step[]; applies them with runSteps and prints the observed inverses, in the order
//         that undoes them, as JSON (a failure is undone there and then, and exits 1)
//   undo  stdin: Step[]; applies them with undoSteps
import { readFileSync } from 'node:fs';
import type { Step } from '../../src/core/steps.js';
import { runSteps, undoSteps } from '../../src/engine/steps.js';
import { iptablesBackend } from '../../src/firewall/iptables.js';
import { realFiles } from '../../src/kernel/host.js';
import { NetlinkKernel } from '../../src/kernel/netlink-kernel.js';
import type { Processes, StepHost } from '../../src/kernel/ops.js';

const noProcesses = (): never => {
  throw new Error('step-runner starts and kills no processes');
};
const procs: Processes = { start: noProcesses, kill: noProcesses, killStartedSince: noProcesses, pidPath: noProcesses, alive: noProcesses };

async function main(mode: string): Promise<void> {
  const steps = JSON.parse(readFileSync(0, 'utf8')) as Step[];
  const kernel = new NetlinkKernel();
  const host: StepHost = { kernel, firewall: iptablesBackend, files: realFiles, procs, since: 0, services: { dnsReady: async () => undefined, restoreStore: () => undefined } };
  try {
    if (mode === 'undo') return await undoSteps(host, steps);
    const recorded: Step[][] = [];
    await runSteps(host, steps, { record: (_i, inv) => recorded.push(inv) });
    process.stdout.write(JSON.stringify(recorded.reverse().flat()));
  } finally {
    kernel.close();
  }
}

const mode = process.argv[2] ?? '';
if (mode !== 'run' && mode !== 'undo') {
  console.error('usage: step-runner.js run|undo < steps.json');
  process.exit(2);
}
main(mode).catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
