// Issue 2: `pont network create` / `network rm` against Docker 20.10's. `node dist/bench/network.js`
// (root). Medians of 15 create/rm pairs after 2 warm-ups, each timed inside its sandbox with bash's
// $EPOCHREALTIME; processes each command spawns, counted with strace (pont's node process is the
// command itself; for Docker only the CLI's own processes count, dockerd's are shown beside).
// Goals: create ≤ 0.8× Docker, rm ≤ 0.4× Docker, ≤ 1 process spawned per pont command.
import {
  countExecs, countSpawned, DOCKER, type DockerEngine, isMain, machineLine, median, ms, NODE, ok,
  type Row, runAlone, PontBox, type Shell, type Spawned, spawnMethod, startDocker, timed, times,
} from './lib.js';

const WARM = 2;
const N = 15;

/** Create/rm pairs: the network is removed right after it is made, so address pools never run out. */
async function createRm(s: Shell, cli: string): Promise<{ create: number; rm: number; all: Map<string, number[]> }> {
  const all = await timed(s, `
for i in $(seq 1 ${WARM + N}); do
  k=$([ $i -le ${WARM} ] && echo warm || echo t)
  tm $k-create ${cli} network create bench$i
  tm $k-rm ${cli} network rm bench$i
done`);
  return { create: median(all.get('t-create') ?? []), rm: median(all.get('t-rm') ?? []), all };
}

/** Worst count over 3 runs of `create` then `rm`, with the programs seen. */
async function spawned(s: Shell, cli: string) {
  const out: { create: Spawned; rm: Spawned } = { create: { count: 0, programs: [], daemons: [] }, rm: { count: 0, programs: [], daemons: [] } };
  for (let i = 0; i < 3; i++) {
    const c = await countSpawned(s, `${cli} network create probe${i}`);
    const r = await countSpawned(s, `${cli} network rm probe${i}`);
    const daemons = (a: Spawned, b: Spawned) => [...new Set([...a.daemons, ...b.daemons])];
    out.create = c.count >= out.create.count ? { ...c, daemons: daemons(c, out.create) } : { ...out.create, daemons: daemons(c, out.create) };
    out.rm = r.count >= out.rm.count ? { ...r, daemons: daemons(r, out.rm) } : { ...out.rm, daemons: daemons(r, out.rm) };
  }
  return out;
}

/** Processes dockerd itself runs for one command (strace attached to the daemon, all threads). */
async function daemonSpawned(d: Shell, command: string): Promise<number> {
  const f = '/run/strace.daemon';
  await ok(d, `strace -f -qq -e trace=execve -o ${f} -p $(cat /run/dpid) & sp=$!; sleep 1; ${command} >/dev/null; sleep 0.3; kill $sp; wait $sp || true`);
  const lines = (await ok(d, `cat ${f}; rm -f ${f}`)).split('\n').filter((l) => l.includes('execve('));
  return countExecs(lines).count;
}

const list = (p: string[]) => (p.length ? ` (${p.join(', ')})` : '');

export async function bench(): Promise<Row[]> {
  console.log(`== network: create / rm, ${N} each after ${WARM} warm-ups ==`);
  console.log(machineLine());
  const sb = await PontBox.create();
  let p;
  let pSpawn;
  let floor;
  let first;
  try {
    // the very first command on a fresh host also lays down pont's base chains
    first = await countSpawned(sb, `${NODE} ${sb.main} network create first`);
    await ok(sb, 'pont network rm first');
    p = await createRm(sb, 'pont');
    // the floor any pont command stands on: node starting, and a read-only command
    floor = await timed(sb, `for i in $(seq 1 ${N}); do tm node node_floor; tm ls pont network ls; done`);
    // the node process directly, so the bin/pont wrapper's `dirname` is not counted
    pSpawn = await spawned(sb, `${NODE} ${sb.main}`);
  } finally {
    await sb.destroy();
  }
  console.log(`pont   create median ${ms(p.create)} (min ${ms(Math.min(...p.all.get('t-create')!))}), rm median ${ms(p.rm)} (min ${ms(Math.min(...p.all.get('t-rm')!))})`);
  const cpu = (k: string) => ms(median(p.all.get(`cpu:t-${k}`)!));
  console.log(`pont   CPU time (user + sys, with iptables-restore): create median ${cpu('create')}, rm median ${cpu('rm')}`);
  console.log(`pont   processes spawned: create ${pSpawn.create.count}${list(pSpawn.create.programs)}, rm ${pSpawn.rm.count}${list(pSpawn.rm.programs)}  [${spawnMethod()}]`);
  const daemons = [...pSpawn.create.daemons, ...pSpawn.rm.daemons];
  if (daemons.length) console.log(`pont   and left running (not counted): ${daemons.join(', ')} (the resolver, started in the background by the first network)`);
  console.log(`pont   (the first command on a fresh host, which lays down the base chains, spawned ${first.count}${list(first.programs)})`);
  console.log(`pont   floor: \`node -e 0\` median ${ms(median(floor.get('node')!))}, \`pont network ls\` median ${ms(median(floor.get('ls')!))}`);
  console.log(`       (bin/pont is a Node script started through /usr/bin/env: counted)`);

  const d = await startDocker();
  let dk: Awaited<ReturnType<typeof createRm>> | null = null;
  let dSpawn: Awaited<ReturnType<typeof spawned>> | null = null;
  if (typeof d === 'string') {
    console.log(`docker skipped: ${d}`);
  } else {
    try {
      dk = await createRm(d, DOCKER);
      dSpawn = await spawned(d, DOCKER);
      const dd = { create: await daemonSpawned(d, `${DOCKER} network create dprobe`), rm: await daemonSpawned(d, `${DOCKER} network rm dprobe`) };
      console.log(`docker create median ${ms(dk.create)}, rm median ${ms(dk.rm)}`);
      console.log(`docker processes spawned by the CLI: create ${dSpawn.create.count}, rm ${dSpawn.rm.count}; by dockerd itself: create ${dd.create}, rm ${dd.rm}`);
    } finally {
      await (d as DockerEngine).destroy();
    }
  }
  const rc = dk ? p.create / dk.create : NaN;
  const rr = dk ? p.rm / dk.rm : NaN;
  if (dk) console.log(`ratio  create ${times(rc)} (goal ≤ 0.8×), rm ${times(rr)} (goal ≤ 0.4×)`);
  const dStr = (x: number) => (dk ? ms(x) : 'n/a');
  return [
    { bench: 'network', metric: 'create, median', pont: ms(p.create), docker: dStr(dk?.create ?? NaN), value: times(rc), goal: '≤ 0.80× docker', met: dk ? rc <= 0.8 : null },
    { bench: 'network', metric: 'rm, median', pont: ms(p.rm), docker: dStr(dk?.rm ?? NaN), value: times(rr), goal: '≤ 0.40× docker', met: dk ? rr <= 0.4 : null },
    { bench: 'network', metric: 'processes spawned by create', pont: String(pSpawn.create.count), docker: dSpawn ? `${dSpawn.create.count} (CLI)` : 'n/a', value: '', goal: '≤ 1', met: pSpawn.create.count <= 1 },
    { bench: 'network', metric: 'processes spawned by rm', pont: String(pSpawn.rm.count), docker: dSpawn ? `${dSpawn.rm.count} (CLI)` : 'n/a', value: '', goal: '≤ 1', met: pSpawn.rm.count <= 1 },
  ];
}

if (isMain(import.meta.url)) await runAlone('network', bench);
