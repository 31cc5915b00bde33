// Issue 13: start-up at the floor. `node dist/bench/startup.js [--runs 15] [--baseline DIR]...` (root).
// In a sandbox holding a user network and a running container on it: `node -e 0` (the floor) and
// short pont commands, each timed inside the sandbox with bash's $EPOCHREALTIME, in rounds that
// alternate the commands, each round in its own order (a change in the machine's load falls on
// all alike), after 2 warm-up rounds; medians, CPU time (user + sys) beside. Each `--baseline DIR` times the pont of another
// built checkout (DIR/bin/pont, e.g. a worktree of main) in the same rounds, to compare builds.
// Goals: `network ls` and `inspect` ≤ 1.25× `node -e 0`; `--version` ≤ `node -e 0` + 15 ms.
// `--version` is printed by bin/pont without loading the CLI (main.js.version): its figure is the
// launcher's; the CLI's own fixed cost (code cache, bundle, commander) shows in `--help`.
import { parseArgs } from 'node:util';
import { caCertsNote, isMain, machineLine, median, ms, ok, PontBox, type Row, runAlone, timed, times } from './lib.js';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '15' }, baseline: { type: 'string', multiple: true } }, strict: false });
const RUNS = Number(args.runs);
const WARM = 2;
const RATIO = 1.25;
const VERSION_MS = 15;

/** Label → pont arguments (`--version` prints the version, as `docker --version`). */
const COMMANDS: [string, string][] = [
  ['version', '--version'],
  ['help', '--help'],
  ['network-ls', 'network ls'],
  ['ps', 'ps'],
  ['inspect', 'inspect c1'],
  ['network-inspect', 'network inspect bridge'],
];

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** `xs` in an order `random` draws (Fisher-Yates). */
function shuffled<T>(xs: readonly T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A bash function per (build, command), so `tm` times pont alone and checks its exit code. */
function functions(builds: [string, string][]): string {
  return builds
    .flatMap(([b, pont]) => COMMANDS.map(([l, a]) => `${b}-${l}() { ${pont} ${a}; }`))
    .join('\n');
}

export async function bench(): Promise<Row[]> {
  const builds: [string, string][] = [['pont', 'pont']];
  for (const [i, dir] of ((args.baseline ?? []) as string[]).entries()) builds.push([`base${i + 1}`, `${dir}/bin/pont`]);
  console.log(`== startup: node -e 0 and short read-only commands, ${RUNS} alternated rounds after ${WARM} warm-ups ==`);
  console.log(machineLine());
  if (caCertsNote()) console.log(caCertsNote());
  for (const [b, pont] of builds.slice(1)) console.log(`${b}: ${pont}`);
  const sb = await PontBox.create();
  let t: Map<string, number[]>;
  try {
    await ok(sb, `pont network create net1 >/dev/null && pont run -d --name c1 --network net1 alpine sleep 3600 >/dev/null`);
    const withCa = process.env.NODE_EXTRA_CA_CERTS ? ['tm $k-node-ca node -e 0'] : [];
    const calls = ['tm $k-node node_floor', ...withCa, ...builds.flatMap(([b]) => COMMANDS.map(([l]) => `tm $k-${b}-${l} ${b}-${l}`))];
    // each round in an order of its own (seeded, so a run can be repeated): in one fixed order a
    // command's place in the round, against the machine's own rhythm, showed in its figure
    // (two commands of the same cost 14 ms apart in a run of 31 rounds)
    const random = seeded(13);
    const rounds = Array.from({ length: WARM + RUNS }, (_, i) => `k=${i < WARM ? 'warm' : 't'}\n${shuffled(calls, random).join('\n')}`);
    t = await timed(sb, `${functions(builds)}\n${rounds.join('\n')}`);
  } finally {
    await sb.destroy();
  }
  const med = (k: string) => median(t.get(`t-${k}`) ?? []);
  const cpu = (k: string) => median(t.get(`cpu:t-${k}`) ?? []);
  const node = med('node');
  console.log(`node -e 0${' '.repeat(26)}median ${ms(node).padStart(7)}   cpu ${ms(cpu('node')).padStart(7)}`);
  if (t.has('t-node-ca')) console.log(`${'node -e 0, NODE_EXTRA_CA_CERTS set'.padEnd(34)} median ${ms(med('node-ca')).padStart(7)}   cpu ${ms(cpu('node-ca')).padStart(7)}   (not the floor)`);
  for (const [b] of builds) {
    for (const [l, a] of COMMANDS) {
      const k = `${b}-${l}`;
      console.log(`${`${b} ${a}`.padEnd(34)} median ${ms(med(k)).padStart(7)}   cpu ${ms(cpu(k)).padStart(7)}   ${times(med(k) / node)} node, +${ms(med(k) - node)}`);
    }
  }
  const ratio = (l: string) => med(`pont-${l}`) / node;
  // the issue's goals are for `network ls` and `inspect`; the other commands are shown beside
  const row = (l: string, metric: string, goal: boolean): Row => ({
    bench: 'startup', metric: `${metric}, median`, pont: ms(med(`pont-${l}`)), docker: '', value: times(ratio(l)),
    goal: goal ? `≤ ${RATIO}× node -e 0` : '', met: goal ? ratio(l) <= RATIO : null,
  });
  const over = med('pont-version') - node;
  return [
    { bench: 'startup', metric: 'node -e 0, median', pont: ms(node), docker: '', value: '', goal: '', met: null },
    { bench: 'startup', metric: '--version, median', pont: ms(med('pont-version')), docker: '', value: `+${ms(over)}`, goal: `≤ node -e 0 + ${VERSION_MS} ms`, met: over <= VERSION_MS },
    row('network-ls', 'network ls', true),
    row('inspect', 'inspect CONTAINER', true),
    row('ps', 'ps', false),
    row('network-inspect', 'network inspect bridge', false),
    row('help', '--help', false),
  ];
}

if (isMain(import.meta.url)) await runAlone('startup', bench);
