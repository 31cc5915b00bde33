// Issue 4: published ports. `node dist/bench/ports.js [--seconds 5]` (root).
// 1. TCP throughput with iperf3 (server in container `perf`, published -p 5201:5201, client on the
//    sandbox host), 5-second runs: straight to the container's IP, then through the published port
//    on 127.0.0.1 and on the host's own address (198.51.100.1 on a veth inside the sandbox:
//    this kernel has no dummy links).
//    Two interleaved rounds (direct, 127.0.0.1, host address); means compared. Goal: ≥ 95 % of direct.
//    Docker: the same in its sandbox; its 127.0.0.1 path is docker-proxy (userland proxy), its
//    host-address path kernel DNAT. Its image holds /usr/bin/iperf3 and the libraries ldd names.
// 2. Time to publish port number 1, 100 and 1000: `run -d -p 30000:80` timed (median of 3 after
//    1 warm-up, removed in between) while a filler container already publishes 0, 99 or 999 ports
//    as one range (-p 20001-20999:20001-20999). Docker: port 1 and 100 only (999 ports would be
//    1,998 docker-proxy processes).
import { parseArgs } from 'node:util';
import { DOCKER, type DockerEngine, isMain, machineLine, median, ms, ok, type Row, runAlone, PontBox, type Shell, startDocker, timed } from './lib.js';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '5' } }, strict: false });
const SECONDS = Number(args.seconds);
const HOST = '198.51.100.1';
const GOAL = 0.95;
const ROUNDS = 2;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const IMAGE = `
set -e
R=/run/perfroot; mkdir -p $R/tmp; chmod 1777 $R/tmp
for f in /usr/bin/iperf3 $(ldd /usr/bin/iperf3 | grep -o '/[^ ]*'); do cp --parents -L $f $R; done
tar -C $R -c . | ${DOCKER} import - perf >/dev/null; rm -rf $R`;

/** Gbit/s received by one iperf3 run from the sandbox host to target:5201. */
async function iperf(s: Shell, target: string): Promise<number> {
  const out = await ok(s, `timeout ${SECONDS + 20} iperf3 -c ${target} -p 5201 -t ${SECONDS} -J --connect-timeout 3000`, (SECONDS + 30) * 1000);
  const doc = JSON.parse(out);
  if (doc.error || !doc.end?.sum_received) throw new Error(`iperf3 to ${target}: ${doc.error ?? out.slice(0, 500)}`);
  return doc.end.sum_received.bits_per_second / 1e9;
}

async function throughput(s: Shell, cli: string, server: string, label: string) {
  await ok(s, `ip link add uplink0 type veth peer name wan0 && ip addr add ${HOST}/24 dev uplink0 && ip link set uplink0 up && ip link set wan0 up
    ${cli} run -d --name perf -p 5201:5201 ${server} >/dev/null
    for i in $(seq 1 100); do iperf3 -c 127.0.0.1 -p 5201 -n 1K --connect-timeout 500 >/dev/null 2>&1 && exit 0; sleep 0.1; done; echo iperf3 server not reachable; exit 1`);
  const ip = (await ok(s, `${cli} inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' perf`)).trim();
  // interleaved rounds, so a change in the machine's load falls on every path alike
  const r = { direct: [] as number[], lo: [] as number[], host: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    r.direct.push(await iperf(s, ip));
    r.lo.push(await iperf(s, '127.0.0.1'));
    r.host.push(await iperf(s, HOST));
  }
  const [direct, lo, host] = [mean(r.direct), mean(r.lo), mean(r.host)];
  const g = (xs: number[]) => `${xs.map((x) => x.toFixed(2)).join(' / ')} Gbit/s`;
  console.log(`${label} direct to ${ip}: ${g(r.direct)}; 127.0.0.1:5201 ${g(r.lo)} (${pct(lo / direct)}); ${HOST}:5201 ${g(r.host)} (${pct(host / direct)})`);
  await ok(s, `${cli} rm -f perf >/dev/null`);
  return { direct, lo, host };
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(0)} %` : 'n/a');

/** Median time of publishing one more port while a filler publishes `already` ports. */
async function publishTimes(s: Shell, cli: string, img: string, steps: number[], label: string): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const n of steps) {
    const already = n - 1;
    let fillMs = 0;
    if (already > 0) {
      const t = await timed(s, `tm fill ${cli} run -d --name filler -p 20001-${20000 + already}:20001-${20000 + already} ${img} sleep 3600`, 600_000);
      fillMs = t.get('fill')![0];
    }
    const t = await timed(s, `
for i in 0 1 2 3; do
  k=$([ $i -eq 0 ] && echo warm || echo t)
  tm $k ${cli} run -d --name pub$i -p 30000:80 ${img} sleep 600
  ${cli} rm -f pub$i >/dev/null
done`);
    out.set(n, median(t.get('t') ?? []));
    console.log(`${label} port #${n}: run -d -p 30000:80 ${ms(out.get(n)!)}${already ? ` (the filler publishing ${already} ports took ${ms(fillMs)} to run)` : ''}`);
    if (already > 0) await ok(s, `${cli} rm -f filler >/dev/null`, 300_000);
  }
  return out;
}

export async function bench(): Promise<Row[]> {
  console.log(`== ports: iperf3 ${SECONDS} s runs through a published port vs direct; time to publish port #1, #100, #1000 ==`);
  console.log(machineLine());
  const sb = await PontBox.create();
  let p;
  let pPub;
  try {
    p = await throughput(sb, 'pont', 'alpine iperf3 -s', 'pont  ');
    const base = await timed(sb, `for i in 0 1 2 3; do tm $([ $i -eq 0 ] && echo warm || echo t) pont run -d --name np$i alpine sleep 600; pont rm -f np$i >/dev/null; done`);
    console.log(`pont   run -d without -p: ${ms(median(base.get('t')!))} (for reference)`);
    pPub = await publishTimes(sb, 'pont', 'alpine', [1, 100, 1000], 'pont  ');
  } finally {
    await sb.destroy();
  }

  let dk: Awaited<ReturnType<typeof throughput>> | null = null;
  let dPub: Map<number, number> | null = null;
  const d = await startDocker();
  if (typeof d === 'string') console.log(`docker skipped: ${d}`);
  else {
    try {
      await ok(d, IMAGE);
      dk = await throughput(d, DOCKER, 'perf /usr/bin/iperf3 -s', 'docker');
      dPub = await publishTimes(d, DOCKER, 'bb', [1, 100], 'docker');
    } finally {
      await (d as DockerEngine).destroy();
    }
  }
  const g = (x?: number) => (x === undefined ? 'n/a' : `${x.toFixed(2)} Gbit/s`);
  const rows: Row[] = [
    { bench: 'ports', metric: 'iperf3 direct to container IP', pont: g(p.direct), docker: g(dk?.direct), value: '', goal: '', met: null },
    { bench: 'ports', metric: 'iperf3 via 127.0.0.1:5201', pont: g(p.lo), docker: dk ? `${g(dk.lo)} (proxy, ${pct(dk.lo / dk.direct)})` : 'n/a', value: pct(p.lo / p.direct), goal: '≥ 95 % of direct', met: p.lo / p.direct >= GOAL },
    { bench: 'ports', metric: `iperf3 via ${HOST}:5201`, pont: g(p.host), docker: dk ? `${g(dk.host)} (${pct(dk.host / dk.direct)})` : 'n/a', value: pct(p.host / p.direct), goal: '≥ 95 % of direct', met: p.host / p.direct >= GOAL },
  ];
  for (const n of [1, 100, 1000]) {
    const dv = dPub?.get(n);
    rows.push({ bench: 'ports', metric: `run -d publishing port #${n}`, pont: ms(pPub.get(n)!), docker: dv === undefined ? (dPub ? 'skipped' : 'n/a') : ms(dv), value: '', goal: '', met: null });
  }
  return rows;
}

if (isMain(import.meta.url)) await runAlone('ports', bench);
