// Issue 3: container and endpoint operations must not slow down as a network fills up.
// `node dist/bench/containers.js [--containers 500] [--docker-containers 100] [--iterations 121]` (root).
// Two sandboxes per engine: in "small" network `big` holds 1 container, in "full" it holds N (filled
// with `sleep 3600` containers, `xargs -P 4` runs at a time), and a wait until the CPUs are idle
// again (lib.ts settle: the fill's last kernel work, or a previous run's namespaces still being
// cleaned up by the kernel, fell on the first rounds). Then 1 warm-up and ITER measured
// rounds of: `run -d` of one more container on `big`, `rm -f` of it, `network connect` /
// `disconnect` of container `roamer` (living on network `side`), each operation in the small and
// the full sandbox one right after the other, the first of the two alternating from round to
// round, so that a change in the machine's load falls on both alike. Timed inside the sandbox with
// $EPOCHREALTIME; pont's CPU time (user + sys, with the children it waits for) is shown beside,
// being far less load-dependent, and "paired": the median over the rounds of each pair's ratio
// (full over small), which a burst of load in one round moves less than it moves either median.
// The goal is judged on the ratio of the medians, as before the pairs were shown.
// Docker does the same at 100 (at 500 its fill alone takes many minutes on 2 cores).
// Goal: flat, i.e. each median wall time at N ≤ 1.1× the same median at 1 (issue 13's bar; issue 3
// asked ≤ 1.25×). A third pont sandbox holds network `big` and no container at all: its `run -d`
// (then `rm -f`, untimed), in the same rounds, is issue 13's "run -d on a host with no other
// container ≤ 1.15× run -d beside another one" (the small sandbox's).
// 121 rounds by default: the goal's margin is a few milliseconds of a 60-100 ms command, and on
// the 2-core machine the median of 15 rounds moved by ±0.03× from one run to the next (2026-12-03:
// connect 1.11× in one run of 15 rounds, 1.07× in the next of 31), that of 31 rounds by ±0.05×
// on a noisy day (three runs in a row, 2026-12-03: rm 1.18×, 1.03×, 1.03×; disconnect 1.06×,
// 1.08×, 1.16×), that of 61 by ±0.03–0.05× (run 1.07×, 1.11×, 1.10×, 1.09× in four runs).
// 121 rounds take pont's part to ~4 min.
import { parseArgs } from 'node:util';
import {
  DOCKER, isMain, machineLine, median, ms, ok, PontBox, type Row, runAlone, settle, type Shell, startDocker, timed, times,
} from './lib.js';

const { values: args } = parseArgs({
  options: {
    containers: { type: 'string', default: '500' },
    'docker-containers': { type: 'string', default: '100' },
    iterations: { type: 'string', default: '121' },
  },
  strict: false,
});
const ITER = Number(args.iterations);
const OPS = ['run', 'rm', 'connect', 'disconnect'] as const;
type Op = (typeof OPS)[number];
type Medians = Record<Op, number> & { cpu: Record<Op, number> };
const FLAT = 1.1;

async function setup(s: Shell, cli: string, img: string): Promise<void> {
  await ok(s, `${cli} network create big >/dev/null && ${cli} network create side >/dev/null
    ${cli} run -d --name roamer --network side ${img} sleep 3600 >/dev/null
    ${cli} run -d --name f1 --network big ${img} sleep 3600 >/dev/null`);
}

/** Fills `big` up to n containers, 4 `run`s at a time; returns the wall time in ms. */
async function fill(s: Shell, cli: string, img: string, n: number): Promise<number> {
  const t0 = Date.now();
  await ok(s, `seq 2 ${n} | xargs -P 4 -I{} ${cli} run -d --name f{} --network big ${img} sleep 3600 >/dev/null`, 1_500_000);
  const took = Date.now() - t0;
  const count = Number((await ok(s, `${cli} network inspect big --format '{{len .Containers}}'`)).trim());
  if (count !== n) throw new Error(`network big holds ${count} containers, not ${n}`);
  return took;
}

/** On a host with no other container: `run -d` (timed) and `rm -f` of the one it made. */
const aloneRound = (cli: string, img: string, i: number) => `k=${i === 0 ? 'warm' : 't'}
  tm $k-run ${cli} run -d --name x${i} --network big ${img} sleep 600
  ${cli} rm -f x${i} >/dev/null`;

/** One operation of a round, timed as `<k>-<op>` (k: warm for round 0, the warm-up, else t). */
const step = (cli: string, img: string, i: number, op: Op) => `k=${i === 0 ? 'warm' : 't'}
  ${{
    run: `tm $k-run ${cli} run -d --name x${i} --network big ${img} sleep 600`,
    rm: `tm $k-rm ${cli} rm -f x${i}`,
    connect: `tm $k-connect ${cli} network connect big roamer`,
    disconnect: `tm $k-disconnect ${cli} network disconnect big roamer`,
  }[op]}`;

async function engine(small: Shell, full: Shell, cli: string, img: string, n: number, label: string, alone?: Shell) {
  await setup(small, cli, img);
  await setup(full, cli, img);
  if (alone) await ok(alone, `${cli} network create big >/dev/null`);
  const aloneRuns: number[] = [];
  const fillMs = await fill(full, cli, img, n);
  // the fill's aftermath (its namespaces' last kernel work, the resolver's updates) is not the cost of a command beside N
  const quiet = await settle();
  console.log(`${label} filled big to ${n} containers in ${(fillMs / 1000).toFixed(0)} s (${((n - 1) / (fillMs / 1000)).toFixed(1)} runs/s, 4 in parallel); then ${(quiet.waitedMs / 1000).toFixed(0)} s until the CPUs were ${(quiet.idle * 100).toFixed(0)}% idle`);
  const acc = [new Map<string, number[]>(), new Map<string, number[]>()];
  // per round and operation, the full sandbox's time over the small one's, taken one right after
  // the other: what the machine's load did in between falls on both
  const paired = new Map<Op, number[]>(OPS.map((op) => [op, []]));
  const boxes = [small, full];
  for (let i = 0; i <= ITER; i++) {
    // each operation in both sandboxes in turn, the first of the two alternating from round to
    // round: the one that goes second shares the CPU with what the first left running (a
    // container's start, a link's deletion, the resolver's update), each half of the rounds (of
    // an odd count, one more with the full one first: 31 and 30 of the default 61)
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    for (const op of OPS) {
      const wall: number[] = [];
      for (const j of order) {
        for (const [k, v] of await timed(boxes[j], step(cli, img, i, op))) acc[j].set(k, [...(acc[j].get(k) ?? []), ...v]);
        wall[j] = acc[j].get(`t-${op}`)?.at(-1) ?? NaN;
      }
      if (i > 0) paired.get(op)!.push(wall[1] / wall[0]);
    }
    if (alone) aloneRuns.push(...((await timed(alone, aloneRound(cli, img, i))).get('t-run') ?? []));
  }
  const med = (m: Map<string, number[]>): Medians => {
    const pick = (prefix: string) => Object.fromEntries(OPS.map((op) => [op, median(m.get(`${prefix}t-${op}`) ?? [])])) as Record<Op, number>;
    return { ...pick(''), cpu: pick('cpu:') };
  };
  const [at1, atN] = acc.map(med);
  for (const op of OPS) {
    const cpu = cli === 'pont' ? `   cpu ${ms(at1.cpu[op])} → ${ms(atN.cpu[op])}` : '';
    console.log(`${label} ${op.padEnd(10)} at 1: ${ms(at1[op]).padStart(8)}   at ${n}: ${ms(atN[op]).padStart(8)}   ${times(atN[op] / at1[op])}${cpu}   paired ${times(median(paired.get(op)!))}`);
  }
  const aloneRun = aloneRuns.length ? median(aloneRuns) : null;
  if (aloneRun !== null) console.log(`${label} run -d on a host with no other container: ${ms(aloneRun)} (beside one: ${ms(at1.run)}, ${times(aloneRun / at1.run)})`);
  return { at1, atN, aloneRun };
}

export async function bench(): Promise<Row[]> {
  const n = Number(args.containers);
  const nd = Number(args['docker-containers']);
  console.log(`== containers: run -d / rm -f / connect / disconnect with 1 and ${n} containers on the network (docker: 1 and ${nd}), ${ITER} each after 1 warm-up ==`);
  console.log(machineLine());
  const [small, full, alone] = [await PontBox.create(), await PontBox.create(), await PontBox.create()];
  let p;
  try {
    p = await engine(small, full, 'pont', 'alpine', n, 'pont  ', alone);
  } finally {
    await Promise.all([small.destroy(), full.destroy(), alone.destroy()]);
  }
  console.log(machineLine());

  let dk: Awaited<ReturnType<typeof engine>> | null = null;
  const ds = nd < 1 ? ['--docker-containers 0'] : [await startDocker(), await startDocker()];
  const why = ds.find((d) => typeof d === 'string');
  try {
    if (why) console.log(`docker skipped: ${why}`);
    else dk = await engine(ds[0] as Shell, ds[1] as Shell, DOCKER, 'bb', nd, 'docker');
  } finally {
    await Promise.all(ds.map((d) => (typeof d === 'string' ? null : d.destroy())));
  }
  const rows: Row[] = OPS.map((op) => {
    const growth = p.atN[op] / p.at1[op];
    return {
      bench: 'containers',
      metric: `${op} at 1 → ${n}`,
      pont: `${ms(p.at1[op])} → ${ms(p.atN[op])}`,
      docker: dk ? `${ms(dk.at1[op])} → ${ms(dk.atN[op])} (${nd})` : 'n/a',
      value: times(growth),
      goal: `flat (≤ ${FLAT}×)`,
      met: growth <= FLAT,
    };
  });
  // the first container on a quiet host must not pay for what a running one already has (the resolver)
  const quiet = p.aloneRun! / p.at1.run;
  rows.push({ bench: 'containers', metric: 'run -d alone ÷ beside one', pont: `${ms(p.aloneRun!)} vs ${ms(p.at1.run)}`, docker: 'n/a', value: times(quiet), goal: '≤ 1.15×', met: quiet <= 1.15 });
  return rows;
}

if (isMain(import.meta.url)) await runAlone('containers', bench);
