// All benchmarks in turn: `node dist/bench/run.js` (root; `npm run bench` builds first). Each
// prints its own figures as it goes; a summary table of every result and its goal closes the run.
// bench/dns.ts (the resolver's load test) runs on its own: `node dist/bench/dns.js`.
import { bench as api } from './api.js';
import { bench as containers } from './containers.js';
import { machineLine, printRows, requireRoot, type Row } from './lib.js';
import { bench as network } from './network.js';
import { bench as overlay } from './overlay.js';
import { bench as podman } from './podman.js';
import { bench as ports } from './ports.js';
import { bench as startup } from './startup.js';

requireRoot('run');
const started = Date.now();
const rows: Row[] = [];
const failed: string[] = [];
for (const [name, bench] of [['startup', startup], ['network', network], ['containers', containers], ['ports', ports], ['overlay', overlay], ['api', api], ['podman', podman]] as const) {
  try {
    rows.push(...(await bench()));
  } catch (e) {
    failed.push(name);
    console.error(`bench/${name} failed: ${(e as Error).stack ?? e}`);
  }
  console.log('');
}
console.log(`== summary (${((Date.now() - started) / 60_000).toFixed(1)} min; ${machineLine()}) ==`);
printRows(rows);
const met = rows.filter((r) => r.met === true).length;
const missed = rows.filter((r) => r.met === false).length;
console.log(`goals: ${met} met, ${missed} missed${failed.length ? `; failed to run: ${failed.join(', ')}` : ''}`);
if (failed.length) process.exitCode = 1;
