// The Docker API door (`pont system service`): Docker's own CLI (/usr/bin/docker, 20.10) driving
// pont through its socket, against the same CLI driving a private Docker 20.10 dockerd, with the
// pont CLI's own time beside. `node dist/bench/api.js [--iterations 11]` (root).
// Three sandboxes: dockerd (test/parity/engine-docker.ts, image `bb` imported), pont with its
// service, and pont for its CLI. Each holds networks `big` and `side`, container `c1` on `big` and
// `roamer` on `side`. Then 1 warm-up and ITER measured rounds, the three alternated (their order
// turned each round, so a change in the machine's load falls on all alike), each round timing
// every verb once as a whole process, inside its sandbox, with bash's $EPOCHREALTIME.
// Goals: reads (network ls, inspect, network inspect) ≤ 1.0× Docker; run ≤ 0.5× Docker (the docker
// CLI through pont's socket). Issue 13's, the pont CLI against the docker CLI through dockerd:
// run -d ≤ 0.35×, rm -f ≤ 0.8×, network create ≤ 1.0×, network rm ≤ 0.6×, connect/disconnect ≤ 1.6×.
import { parseArgs } from 'node:util';
import {
  DOCKER, isMain, machineLine, median, ms, ok, PontBox, printTable, type Row, runAlone, type Shell, startDocker, timed, times,
} from './lib.js';

const { values: args } = parseArgs({ options: { iterations: { type: 'string', default: '11' } }, strict: false });
const ITER = Number(args.iterations);
const SOCKET = '/run/pont/docker.sock';

/** Each verb as one shell line, given the CLI, the image and the round's number. */
const VERBS: { key: string; label: string; line: (cli: string, img: string, i: number) => string; goal?: number; cliGoal?: number }[] = [
  { key: 'ls', label: 'network ls', line: (c) => `${c} network ls`, goal: 1.0 },
  { key: 'inspect', label: 'inspect <ctr>', line: (c) => `${c} inspect c1`, goal: 1.0 },
  { key: 'netinspect', label: 'network inspect <net>', line: (c) => `${c} network inspect big`, goal: 1.0 },
  { key: 'run', label: 'run -d --network big', line: (c, img, i) => `${c} run -d --name x${i} --network big ${img} sleep 600`, goal: 0.5, cliGoal: 0.35 },
  { key: 'rm', label: 'rm -f <ctr>', line: (c, _, i) => `${c} rm -f x${i}`, cliGoal: 0.8 },
  { key: 'connect', label: 'network connect', line: (c) => `${c} network connect big roamer`, cliGoal: 1.6 },
  { key: 'disconnect', label: 'network disconnect', line: (c) => `${c} network disconnect big roamer`, cliGoal: 1.6 },
  { key: 'create', label: 'network create', line: (c, _, i) => `${c} network create n${i}`, cliGoal: 1.0 },
  { key: 'netrm', label: 'network rm', line: (c, _, i) => `${c} network rm n${i}`, cliGoal: 0.6 },
];

interface Column {
  name: string;
  shell: Shell;
  cli: string;
  img: string;
}

/** The docker CLI's environment: the engine's socket, and a config of its own (no ~/.docker). */
function withDockerEnv(box: PontBox): Shell {
  const env = { DOCKER_HOST: `unix://${SOCKET}`, DOCKER_CONFIG: '/run/dcfg' };
  return { sh: (command, opts = {}) => box.sh(command, { ...opts, env }) };
}

/** Starts `pont system service` in the background of the box and waits for its socket to answer. */
async function startService(s: Shell): Promise<void> {
  await ok(s, `mkdir -p /run/dcfg
setsid pont system service -H unix://${SOCKET} </dev/null >>/run/pont-service.log 2>&1 &
for i in $(seq 1 200); do ${DOCKER} version >/dev/null 2>&1 && exit 0; sleep 0.05; done
echo "pont system service did not answer within 10 s:"; tail -5 /run/pont-service.log; exit 1`);
}

async function setup(c: Column): Promise<void> {
  await ok(c.shell, `set -e
    ${c.cli} network create big >/dev/null; ${c.cli} network create side >/dev/null
    ${c.cli} run -d --name c1 --network big ${c.img} sleep 3600 >/dev/null
    ${c.cli} run -d --name roamer --network side ${c.img} sleep 3600 >/dev/null`);
}

/** One round of every verb; round 0 is the warm-up. */
const round = (c: Column, i: number) =>
  VERBS.map((v) => `tm ${i === 0 ? 'warm' : 't'}-${v.key} ${v.line(c.cli, c.img, i)}`).join('\n');

export async function bench(): Promise<Row[]> {
  console.log(`== api: the docker CLI against pont's socket and against dockerd 20.10, and the pont CLI; ${ITER} alternated rounds after 1 warm-up ==`);
  console.log(machineLine());
  const d = await startDocker();
  if (typeof d === 'string') {
    console.log(`api skipped: ${d}`);
    return [
      ...VERBS.filter((v) => v.goal).map((v) => ({ bench: 'api', metric: `docker ${v.label}, median`, pont: 'n/a', docker: 'n/a', value: 'n/a', goal: `≤ ${v.goal!.toFixed(2)}× docker`, met: null })),
      ...VERBS.filter((v) => v.cliGoal).map((v) => ({ bench: 'api', metric: `pont ${v.label}, median`, pont: 'n/a', docker: 'n/a', value: 'n/a', goal: `≤ ${v.cliGoal!.toFixed(2)}× docker`, met: null })),
    ];
  }
  const boxes: PontBox[] = [];
  try {
    boxes.push(await PontBox.create(), await PontBox.create());
    const served = withDockerEnv(boxes[0]);
    await startService(served);
    const cols: Column[] = [
      { name: 'docker→pont', shell: served, cli: DOCKER, img: 'alpine' },
      { name: 'docker→dockerd', shell: d, cli: DOCKER, img: 'bb' },
      { name: 'pont CLI', shell: boxes[1], cli: 'pont', img: 'alpine' },
    ];
    for (const c of cols) await setup(c);
    const acc = cols.map(() => new Map<string, number[]>());
    for (let i = 0; i <= ITER; i++) {
      for (let j = 0; j < cols.length; j++) {
        const k = (i + j) % cols.length;
        for (const [key, v] of await timed(cols[k].shell, round(cols[k], i))) acc[k].set(key, [...(acc[k].get(key) ?? []), ...v]);
      }
    }
    const med = acc.map((m) => Object.fromEntries(VERBS.map((v) => [v.key, median(m.get(`t-${v.key}`) ?? [])])));
    const [sock, dk, cli] = med;
    console.log(machineLine());
    printTable(
      ['verb', 'docker→pont', 'docker→dockerd', 'pont CLI', 'pont/docker', 'goal', 'met', 'CLI/docker', 'goal', 'met'],
      VERBS.map((v) => {
        const r = sock[v.key] / dk[v.key];
        const c = cli[v.key] / dk[v.key];
        const mark = (x: number, g?: number) => (g ? [`≤ ${g.toFixed(2)}×`, x <= g ? 'yes' : 'NO'] : ['', '']);
        return [v.label, ms(sock[v.key]), ms(dk[v.key]), ms(cli[v.key]), times(r), ...mark(r, v.goal), times(c), ...mark(c, v.cliGoal)];
      }),
    );
    console.log(`(medians of ${ITER}; pont/docker = the docker CLI through pont's socket over the same CLI through dockerd;`);
    console.log(` CLI/docker = the pont CLI over the docker CLI through dockerd, issue 13's goals)`);
    return [
      ...VERBS.filter((v) => v.goal).map((v) => {
        const r = sock[v.key] / dk[v.key];
        return { bench: 'api', metric: `docker ${v.label}, median`, pont: ms(sock[v.key]), docker: ms(dk[v.key]), value: times(r), goal: `≤ ${v.goal!.toFixed(2)}× docker`, met: r <= v.goal! };
      }),
      ...VERBS.filter((v) => v.cliGoal).map((v) => {
        const c = cli[v.key] / dk[v.key];
        return { bench: 'api', metric: `pont ${v.label}, median`, pont: ms(cli[v.key]), docker: ms(dk[v.key]), value: times(c), goal: `≤ ${v.cliGoal!.toFixed(2)}× docker`, met: c <= v.cliGoal! };
      }),
    ];
  } finally {
    await Promise.all([d.destroy(), ...boxes.map((b) => b.destroy())]);
  }
}

if (isMain(import.meta.url)) await runAlone('api', bench);
