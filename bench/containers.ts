// Issue 3: container and endpoint operations must not slow down as a network fills up.
// `node dist/bench/containers.js [--containers 500] [--docker-containers 100] [--iterations 5]` (root).
// On network `big`, with 1 container on it and again with N (filled with `sleep 3600` containers
// started by `xargs -P 4`), medians of: `run -d` of one more container, `rm -f` of it, and
// `network connect` / `disconnect` of container `roamer` (living on network `side`). Timed inside
// the sandbox with $EPOCHREALTIME. Docker does the same at 100 (at 500 its fill alone takes many
// minutes on 2 cores). Goal: flat, i.e. each median at N ≤ 1.25× the same median at 1.
import { parseArgs } from 'node:util';
import { DOCKER, type DockerEngine, isMain, machineLine, median, ms, ok, type Row, runAlone, PontBox, type Shell, startDocker, timed, times } from './lib.js';

const { values: args } = parseArgs({
  options: {
    containers: { type: 'string', default: '500' },
    'docker-containers': { type: 'string', default: '100' },
    iterations: { type: 'string', default: '5' },
  },
  strict: false,
});
const ITER = Number(args.iterations);
const OPS = ['run', 'rm', 'connect', 'disconnect'] as const;
type Op = (typeof OPS)[number];
const FLAT = 1.25;

/** Medians of the four operations on network `big`, 1 warm-up then ITER measured. */
async function measure(s: Shell, cli: string, img: string, tag: string): Promise<Record<Op, number>> {
  const t = await timed(s, `
for i in $(seq 0 ${ITER}); do
  k=$([ $i -eq 0 ] && echo warm || echo t)
  tm $k-run ${cli} run -d --name ${tag}x$i --network big ${img} sleep 600
  tm $k-rm ${cli} rm -f ${tag}x$i
  tm $k-connect ${cli} network connect big roamer
  tm $k-disconnect ${cli} network disconnect big roamer
done`);
  return Object.fromEntries(OPS.map((op) => [op, median(t.get(`t-${op}`) ?? [])])) as Record<Op, number>;
}

/** Fills `big` up to n containers, 4 `run`s at a time; returns the wall time in ms. */
async function fill(s: Shell, cli: string, img: string, n: number): Promise<number> {
  const t0 = Date.now();
  await ok(s, `seq 2 ${n} | xargs -P 4 -I{} ${cli} run -d --name f{} --network big ${img} sleep 3600 >/dev/null`, 1_200_000);
  const ms = Date.now() - t0;
  const count = Number((await ok(s, `${cli} network inspect big --format '{{len .Containers}}'`)).trim());
  if (count !== n) throw new Error(`network big holds ${count} containers, not ${n}`);
  return ms;
}

async function side(s: Shell, cli: string, img: string, n: number, label: string) {
  await ok(s, `${cli} network create big >/dev/null && ${cli} network create side >/dev/null
    ${cli} run -d --name roamer --network side ${img} sleep 3600 >/dev/null
    ${cli} run -d --name f1 --network big ${img} sleep 3600 >/dev/null`);
  const at1 = await measure(s, cli, img, 'a');
  const fillMs = await fill(s, cli, img, n);
  console.log(`${label} filled big to ${n} containers in ${(fillMs / 1000).toFixed(0)} s (${((n - 1) / (fillMs / 1000)).toFixed(1)} runs/s, 4 in parallel)`);
  const atN = await measure(s, cli, img, 'b');
  for (const op of OPS) console.log(`${label} ${op.padEnd(10)} at 1: ${ms(at1[op]).padStart(8)}   at ${n}: ${ms(atN[op]).padStart(8)}   ${times(atN[op] / at1[op])}`);
  return { at1, atN };
}

export async function bench(): Promise<Row[]> {
  const n = Number(args.containers);
  const nd = Number(args['docker-containers']);
  console.log(`== containers: run -d / rm -f / connect / disconnect with 1 and ${n} containers on the network (docker: 1 and ${nd}), ${ITER} each after 1 warm-up ==`);
  console.log(machineLine());
  const sb = await PontBox.create();
  let p;
  try {
    p = await side(sb, 'pont', 'alpine', n, 'pont  ');
  } finally {
    await sb.destroy();
  }
  console.log(machineLine());

  let dk: Awaited<ReturnType<typeof side>> | null = null;
  const d = await startDocker();
  if (typeof d === 'string') console.log(`docker skipped: ${d}`);
  else {
    try {
      dk = await side(d, DOCKER, 'bb', nd, 'docker');
    } finally {
      await (d as DockerEngine).destroy();
    }
  }
  return OPS.map((op) => {
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
}

if (isMain(import.meta.url)) await runAlone('containers', bench);
