// The engine's own cost per operation as a network fills up, on the in-memory host
// (test/helpers/fake-host.ts): what grows with the store, the plans and the firewall rendering,
// without the kernel's share. `node dist/bench/engine-scale.js [--containers 500]` (no root).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectContainer, createNetwork, disconnectContainer } from '../src/engine/network/index.js';
import { removeContainers, runContainer, type RunRequest } from '../src/engine/container/index.js';
import type { Context } from '../src/engine/context.js';
import { iptablesBackend } from '../src/firewall/iptables.js';
import { Store } from '../src/store/store.js';
import { FakeProcesses, fakeHost } from '../test/helpers/fake-host.js';
import { median } from './lib.js';

const { values: args } = parseArgs({ options: { containers: { type: 'string', default: '500' }, iterations: { type: 'string', default: '7' } }, strict: false });

function context(dir: string): Context {
  const host = fakeHost({ uplink: { name: 'eth0', cidr: '192.168.1.10/24', gateway: '192.168.1.1' } });
  const store = new Store(dir);
  let n = 0;
  return {
    kernel: host.kernel, files: host.files, procs: new FakeProcesses(), store, firewall: iptablesBackend,
    newId: () => (++n).toString(16).padStart(6, '0').repeat(11).slice(0, 64),
    now: () => '2026-11-30T12:00:00Z', since: () => 0, hostPorts: () => ({ bound: new Set(), range: { low: 32768, high: 60999 } }), out: () => {}, err: () => {}, dryRun: false,
    faults: { failAt: 0, crashAt: 0, count: 0 },
    dns: { ready: async (_n, _id, during) => store.write(during), ensure: async () => {}, stopIfUnused: async () => {} },
    cluster: async () => null,
  };
}

const req = (name: string, network: string): RunRequest => ({
  name, network, aliases: [], dns: [], dnsSearch: [], dnsOptions: [], extraHosts: [], detach: true, interactive: false, tty: false,
  autoRemove: false, env: [], args: ['alpine'], publish: [], expose: [], publishAll: false,
});

async function measure(count: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'pont-scale-'));
  try {
    const ctx = context(dir);
    const net = { driver: 'bridge', internal: false, attachable: false, labels: {}, options: {} };
    await createNetwork(ctx, { ...net, name: 'big', subnet: '10.200.0.0/16' });
    await createNetwork(ctx, { ...net, name: 'side' });
    for (let i = 0; i < count; i++) await runContainer(ctx, req(`f${i}`, 'big'));
    await runContainer(ctx, req('roamer', 'side'));
    const times: Record<string, number[]> = { run: [], rm: [], connect: [], disconnect: [] };
    const time = async (k: string, f: () => Promise<unknown>) => {
      const t0 = performance.now();
      await f();
      times[k].push(performance.now() - t0);
    };
    for (let i = 0; i < Number(args.iterations); i++) {
      await time('run', () => runContainer(ctx, req('probe', 'big')));
      await time('rm', () => removeContainers(ctx, ['probe'], true));
      await time('connect', () => connectContainer(ctx, 'big', 'roamer', { aliases: [] }));
      await time('disconnect', () => disconnectContainer(ctx, 'big', 'roamer'));
    }
    return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const n = Number(args.containers);
const [at1, atN] = [await measure(1), await measure(n)];
console.log(`engine only (in-memory host), medians of ${args.iterations}:`);
for (const k of Object.keys(at1)) console.log(`${k.padEnd(10)} at 1: ${at1[k].toFixed(1).padStart(7)} ms   at ${n}: ${atN[k].toFixed(1).padStart(7)} ms   ${(atN[k] / at1[k]).toFixed(2)}×`);
