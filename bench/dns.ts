// Benchmark of the embedded resolver: `node dist/bench/dns.js [--containers 500] [--seconds 5]
// [--max 300000] [--inflight 16] [--profile DIR]` (root). Everything runs in a throwaway sandbox (new net,
// mount and pid namespaces, tmpfs on /run, /var/lib/pont and /etc/netns) that dies with it.
//
// In the sandbox: N namespaces with loopback up, one user network holding all N containers in
// the store (no veths: a query from c0 to 127.0.0.11 never leaves c0's loopback, and the
// answer is the address the store records), the resolver started as `node dist/src/dns/main.js`,
// then bench/dns-load.ts in c0 asks container names c1..cN-1 round-robin, UDP, with a bounded
// number in flight. The resolv.conf bind-mounted over the sandbox's /etc/resolv.conf names no
// server: nothing can be forwarded anywhere.
// Prints time to open N listeners, queries/second, p50/p99 latency and the resolver's RSS.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { container, network, state } from '../test/dns/fixtures.js';
import { bindResolvConf } from '../test/helpers/resolv-conf.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = `${ROOT}/dist/src/dns/main.js`;
const LOAD = `${ROOT}/dist/bench/dns-load.js`;

const { values } = parseArgs({
  options: {
    inside: { type: 'boolean', default: false },
    containers: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '5' },
    max: { type: 'string', default: '300000' },
    inflight: { type: 'string', default: '16' },
    /** write a V8 CPU profile of the resolver into this directory */
    profile: { type: 'string' },
  },
});

function sh(cmd: string, input?: string): string {
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`failed (${r.status}): ${cmd}\n${r.stderr}`);
  return r.stdout;
}

/** user+system CPU time of a process, in ms (from /proc/PID/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const rssKb = (pid: number, field = 'VmRSS'): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

function outside(): void {
  if (process.getuid?.() !== 0) {
    console.error('bench/dns: needs root (it makes network namespaces in a sandbox)');
    process.exit(1);
  }
  const args = process.argv.slice(2);
  const r = spawnSync('unshare', ['--net', '--mount', '--pid', '--fork', '--mount-proc', '--kill-child', process.execPath, SELF, '--inside', ...args], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

async function inside(): Promise<void> {
  const n = Number(values.containers);
  sh(`mount --make-rprivate / && mount -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/netns /run/pont /run/bench
      mount -t tmpfs -o mode=700 tmpfs /var/lib/pont && mkdir -p /etc/netns && mount -t tmpfs -o mode=755 tmpfs /etc/netns
      ip link set lo up`);
  const t0 = Date.now();
  sh('ip -batch -', Array.from({ length: n }, (_, i) => `netns add c${i}\n`).join(''));
  sh('ip -all netns exec ip link set lo up > /dev/null');
  const nsMs = Date.now() - t0;

  const net = network({ name: 'benchnet', subnet: '10.100.0.0/16' }, 1);
  const containers = Array.from({ length: n }, (_, i) =>
    container(`c${i}`, i + 1, [{ net, ip: `10.100.${(i + 2) >> 8}.${(i + 2) & 0xff}`, aliases: [`svc${i}`] }]),
  );
  mkdirSync('/var/lib/pont', { recursive: true });
  writeFileSync('/var/lib/pont/state.json', JSON.stringify(state([net], containers)));
  writeFileSync('/run/bench/resolv.conf', '# no nameserver: the benchmark asks container names only\n');
  // this sandbox's own mount namespace: the resolver reads /etc/resolv.conf, which is now the above
  sh(bindResolvConf('/run/bench/resolv.conf'));

  const started = Date.now();
  const nodeArgs = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
  const resolver = spawn(process.execPath, [...nodeArgs, MAIN], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let serving = 0;
  let logTail = '';
  const allServing = new Promise<number>((resolve, reject) => {
    resolver.stderr!.on('data', (d: Buffer) => {
      logTail = (logTail + d).slice(-2000);
      serving += (String(d).match(/ serving c\d+/g) ?? []).length;
      if (serving >= n) resolve(Date.now() - started);
    });
    resolver.on('exit', (code) => reject(new Error(`resolver exited (${code}): ${logTail}`)));
    setTimeout(() => reject(new Error(`only ${serving}/${n} namespaces served after 60 s: ${logTail}`)), 60_000);
  });
  const serveMs = await allServing;
  const idleRss = rssKb(resolver.pid!);

  const names = Array.from({ length: n - 1 }, (_, i) => `c${i + 1}`).join(',');
  const load = (seconds: number, max: number) => {
    const out = sh(`ip netns exec c0 ${process.execPath} ${LOAD} --names ${names} --duration ${seconds * 1000} --max ${max} --inflight ${values.inflight}`);
    return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
  };
  load(1, 20_000); // warm-up: JIT both sides before measuring
  const cpu0 = cpuMs(resolver.pid!);
  const r = load(Number(values.seconds), Number(values.max));
  const cpuPerQueryUs = ((cpuMs(resolver.pid!) - cpu0) * 1000) / Math.max(1, r.answered);
  const busyRss = rssKb(resolver.pid!);
  const peakRss = rssKb(resolver.pid!, 'VmHWM');
  const exited = new Promise((r) => resolver.once('exit', r));
  resolver.kill('SIGTERM');
  await exited; // lets a --profile be written before the sandbox goes

  const ok = r.qps >= 20_000 && r.p99ms <= 2;
  // the load generator shares the machine with the resolver: say how busy the machine was
  console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (generator and resolver share them)`);
  console.log(`dns bench: ${n} container namespaces on one network (made in ${nsMs} ms); resolver served all of them ${serveMs} ms after start`);
  console.log(`  load: UDP A queries for c1..c${n - 1} from c0, ${r.inflight} in flight over ${r.sockets} sockets, ${r.seconds} s, at most ${values.max}`);
  console.log(`  answered ${r.answered} (lost ${r.lost}, non-NOERROR ${r.errors})`);
  console.log(`  throughput: ${r.qps} queries/s`);
  console.log(`  latency: p50 ${r.p50ms} ms, p99 ${r.p99ms} ms, p99.9 ${r.p999ms} ms`);
  console.log(`  resolver CPU: ${cpuPerQueryUs.toFixed(1)} µs per answered query (${((cpuPerQueryUs * r.qps) / 1e4).toFixed(0)}% of one core)`);
  console.log(`  resolver RSS: ${(idleRss / 1024).toFixed(1)} MiB idle, ${(busyRss / 1024).toFixed(1)} MiB after load (peak ${(peakRss / 1024).toFixed(1)} MiB)`);
  console.log(`  goal (>= 20000 q/s, p99 <= 2 ms): ${ok ? 'met' : 'NOT met'}`);
}

if (values.inside) {
  inside().then(
    () => process.exit(0),
    (e: Error) => {
      console.error(`bench/dns: ${e.message}`);
      process.exit(1);
    },
  );
} else {
  outside();
}
