// Issue 14: what the overlay costs. `node dist/bench/overlay.js [--rounds 5]` (root).
// A 2-host world (test/helpers/cluster-world.ts, one sandbox: hosts h1 10.99.0.11 and h2
// 10.99.0.12 on an underlay bridge, etcd beside it), an overlay network `ov`, container `c1` on h1
// and `c2` on h2. Each round measures both paths, in alternating order so a change in the
// machine's load falls on both alike:
//   overlay: c1 → c2 inside the containers' namespaces (veth, bridge, VXLAN over the underlay);
//   direct:  h1 → h2 on the underlay itself (10.99.0.11 → 10.99.0.12).
// TCP throughput with iperf3 (3 s, end.sum_received), RTT with `ping -c 20 -i 0.05` (avg).
// The rows give the medians and overlay/direct; the issue sets no goal.
// Docker's own overlay needs the cluster store that Docker 23 removed: no docker column.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ClusterWorld, type WorldHost } from '../test/helpers/cluster-world.js';
import { isMain, machineLine, median, type Row, runAlone, times } from './lib.js';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' } }, strict: false });
const ROUNDS = Number(args.rounds);
const IPERF_SECONDS = 3;
const PORT = 5201;

type Path = 'overlay' | 'direct';
interface Sample { mbits: number; rttMs: number }

async function ok(h: WorldHost, command: string, timeoutMs = 30_000): Promise<string> {
  const r = await h.sh(command, { timeoutMs });
  if (r.exitCode !== 0) throw new Error(`failed on ${h.name} (${r.exitCode}): ${command}\n${r.stderr}${r.stdout}`.slice(0, 3000));
  return r.stdout;
}

/** An iperf3 server (daemonized, in the host's pid namespace: it dies with the host) on `ns`, or the host's own namespace. */
async function startIperfServer(h: WorldHost, ns: string | null): Promise<void> {
  const inNs = ns ? `ip netns exec ${ns} ` : '';
  await ok(h, `${inNs}iperf3 -s -D -p ${PORT} --logfile /run/iperf3-${ns ?? 'host'}.log`);
  await ok(h, `for i in $(seq 50); do ${inNs}ss -ltn | grep -q ':${PORT} ' && exit 0; sleep 0.1; done; echo 'iperf3 server did not listen' >&2; exit 1`);
}

/** Mbit/s received by the server in a 3 s TCP stream from `inNs` to `to`, and the bytes sent. */
async function throughput(h: WorldHost, inNs: string, to: string): Promise<{ mbits: number; bytes: number }> {
  const out = await ok(h, `${inNs}timeout ${IPERF_SECONDS + 15} iperf3 -c ${to} -p ${PORT} -t ${IPERF_SECONDS} -J`, (IPERF_SECONDS + 20) * 1000);
  const end = JSON.parse(out)?.end;
  const bps = end?.sum_received?.bits_per_second;
  if (typeof bps !== 'number') throw new Error(`iperf3 to ${to} gave no end.sum_received.bits_per_second:\n${out.slice(0, 1000)}`);
  return { mbits: bps / 1e6, bytes: end.sum_sent?.bytes ?? 0 };
}

/** Bytes sent so far by h's VXLAN device (the overlay's only one there). */
async function vxlanTxBytes(h: WorldHost): Promise<number> {
  const links = JSON.parse(await ok(h, 'ip -j -s link show type vxlan'));
  if (links.length !== 1) throw new Error(`${h.name} has ${links.length} VXLAN devices, not 1`);
  return links[0].stats64.tx.bytes;
}

/** Average RTT in ms of 20 pings, 50 ms apart. */
async function rtt(h: WorldHost, inNs: string, to: string): Promise<number> {
  const out = await ok(h, `${inNs}ping -c 20 -i 0.05 -w 10 -q ${to}`, 15_000);
  const hit = /= [\d.]+\/([\d.]+)\//.exec(out);
  if (!hit) throw new Error(`no rtt line in ping's output:\n${out}`);
  return Number(hit[1]);
}

const mbit = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} Mbit/s` : 'n/a');
const rttMs = (x: number) => (Number.isFinite(x) ? `${x.toFixed(3)} ms` : 'n/a');

export async function bench(): Promise<Row[]> {
  console.log(`== overlay: TCP throughput (iperf3, ${IPERF_SECONDS} s) and ping RTT, container c1 (h1) → c2 (h2) over the overlay vs h1 → h2 on the underlay, ${ROUNDS} rounds ==`);
  console.log(machineLine());
  try {
    execFileSync('iperf3', ['--version'], { stdio: 'ignore' });
    execFileSync('etcd', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('bench/overlay needs iperf3 and etcd (Debian packages iperf3, etcd-server)');
  }
  const world = await ClusterWorld.create({ hosts: 2 });
  try {
    const [h1, h2] = world.hosts;
    await ok(h1, 'pont network create -d overlay ov >/dev/null', 60_000);
    await ok(h1, 'pont run -d --name c1 --network ov alpine sleep 3600 >/dev/null', 60_000);
    await ok(h2, 'pont run -d --name c2 --network ov alpine sleep 3600 >/dev/null', 60_000);
    const ipB = (await ok(h2, 'pont inspect -f "{{.NetworkSettings.Networks.ov.IPAddress}}" c2')).trim();
    // h1's agent learns of c2 within milliseconds; wait until c1 reaches it before measuring
    await ok(h1, `for i in $(seq 50); do ip netns exec c1 ping -c1 -W1 ${ipB} >/dev/null 2>&1 && exit 0; sleep 0.2; done; echo 'c1 never reached c2' >&2; exit 1`);
    await startIperfServer(h2, 'c2');
    await startIperfServer(h2, null);

    const target: Record<Path, { inNs: string; to: string }> = {
      overlay: { inNs: 'ip netns exec c1 ', to: ipB },
      direct: { inNs: '', to: h2.address },
    };
    const samples: Record<Path, Sample[]> = { overlay: [], direct: [] };
    let overlayBytes = 0;
    const vxBefore = await vxlanTxBytes(h1);
    // round 0 is a warm-up (1 s of each), not counted
    for (let i = 0; i <= ROUNDS; i++) {
      const order: Path[] = i % 2 ? ['direct', 'overlay'] : ['overlay', 'direct'];
      for (const p of order) {
        const { inNs, to } = target[p];
        if (i === 0) {
          await ok(h1, `${inNs}timeout 10 iperf3 -c ${to} -p ${PORT} -t 1 >/dev/null`, 15_000);
          continue;
        }
        const tcp = await throughput(h1, inNs, to);
        if (p === 'overlay') overlayBytes += tcp.bytes;
        const s = { mbits: tcp.mbits, rttMs: await rtt(h1, inNs, to) };
        samples[p].push(s);
        console.log(`round ${i} ${p.padEnd(7)} ${mbit(s.mbits).padStart(12)}  rtt ${rttMs(s.rttMs)}`);
      }
    }
    // the overlay's figures are only worth their name if its streams went through VXLAN
    const vxSent = (await vxlanTxBytes(h1)) - vxBefore;
    if (vxSent < overlayBytes) throw new Error(`h1's VXLAN device sent ${vxSent} bytes, less than the ${overlayBytes} iperf3 sent c1 → c2: the overlay's stream went another way`);
    console.log(`h1's VXLAN device sent ${(vxSent / 1e9).toFixed(2)} GB, iperf3 c1 → c2 ${(overlayBytes / 1e9).toFixed(2)} GB: the overlay's streams crossed it`);
    const med = (p: Path, k: keyof Sample) => median(samples[p].map((s) => s[k]));
    const [tcpO, tcpD, rttO, rttD] = [med('overlay', 'mbits'), med('direct', 'mbits'), med('overlay', 'rttMs'), med('direct', 'rttMs')];
    console.log(`medians: TCP overlay ${mbit(tcpO)}, direct ${mbit(tcpD)} (${times(tcpO / tcpD)}); RTT overlay ${rttMs(rttO)}, direct ${rttMs(rttD)} (${times(rttO / rttD)})`);
    console.log(machineLine());
    const row = (metric: string, pont: string, value: string): Row => ({ bench: 'overlay', metric, pont, docker: 'n/a', value, goal: 'none set', met: null });
    return [
      row('TCP c1→c2 overlay', mbit(tcpO), ''),
      row('TCP h1→h2 direct', mbit(tcpD), ''),
      row('TCP overlay/direct', '', times(tcpO / tcpD)),
      row('RTT c1→c2 overlay', rttMs(rttO), ''),
      row('RTT h1→h2 direct', rttMs(rttD), ''),
      row('RTT overlay/direct', '', times(rttO / rttD)),
    ];
  } finally {
    await world.destroy();
  }
}

if (isMain(import.meta.url)) await runAlone('overlay', bench);
