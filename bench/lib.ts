// Small helpers shared by the benchmarks: throwaway sandboxes (pont's from test/helpers, Docker's
// from test/parity), wall-clock timing taken inside the sandbox, medians, process counting with
// strace, and table printing. Nothing here touches the real host: every command runs in a sandbox.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, Sandbox, isRoot, type RunOptions, type SandboxOptions } from '../test/helpers/sandbox.js';
import { DockerEngine, dockerUnavailable } from '../test/parity/engine-docker.js';

export { DockerEngine };
export const DOCKER = '/usr/bin/docker';
export const NODE = process.execPath;
/** Where NODE_EXTRA_CA_CERTS is set, a line saying the floor (`node_floor`, see TM) is measured without it. */
export const caCertsNote = () =>
  process.env.NODE_EXTRA_CA_CERTS ? `NODE_EXTRA_CA_CERTS is set here (${process.env.NODE_EXTRA_CA_CERTS}): the floor is node without it, as bin/pont starts node` : '';

let snapshot: string | null = null;
const newest = (dir: string) => Math.max(...readdirSync(dir, { recursive: true }).map((f) => statSync(join(dir, String(f))).mtimeMs));
const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * A private copy of the built pont (bin/, dist/src/, dist/bundle/, package.json; node_modules
 * linked; times kept, so that the bundle's code cache still fits), taken when dist/ has not
 * changed for 5 s and checked unchanged after the copy: others rebuild dist/ while a run lasts,
 * and a half-written build would break pont in the middle of a benchmark.
 */
export function pontSnapshot(): string {
  if (snapshot) return snapshot;
  const src = `${ROOT}/dist`;
  for (let i = 0; i < 120; i++) {
    const t = newest(src);
    if (Date.now() - t > 5000) {
      const dir = mkdtempSync('/tmp/pont-bench-');
      process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
      mkdirSync(`${dir}/dist`);
      for (const p of ['bin', 'dist/src', 'dist/bundle', 'package.json']) cpSync(`${ROOT}/${p}`, `${dir}/${p}`, { recursive: true, preserveTimestamps: true });
      symlinkSync(`${ROOT}/node_modules`, `${dir}/node_modules`);
      if (newest(src) === t) return (snapshot = dir);
      rmSync(dir, { recursive: true, force: true });
    }
    sleepSync(1000);
  }
  throw new Error('dist/ kept changing for 2 minutes: no stable build to benchmark');
}

/** pont's throwaway sandbox (test/helpers/sandbox.ts) with the snapshot's bin/ first in PATH. */
export class PontBox {
  readonly main: string;
  private constructor(private readonly sb: Sandbox, private readonly root: string) {
    this.main = `${root}/dist/bundle/cli/main.js`;
  }
  static async create(opts: SandboxOptions = {}): Promise<PontBox> {
    const root = pontSnapshot();
    return new PontBox(await Sandbox.create(opts), root);
  }
  sh(command: string, opts: RunOptions = {}) {
    return this.sb.sh(command, { ...opts, env: { PATH: `${this.root}/bin:/usr/sbin:/usr/bin:/sbin:/bin`, ...opts.env } });
  }
  destroy() {
    return this.sb.destroy();
  }
}

/** Anything that runs bash in a sandbox: a PontBox or the Docker engine. */
export interface Shell {
  sh(command: string, opts?: { timeoutMs?: number }): Promise<{ stdout: string; stderr: string; exitCode: number }>;
}

/** One line of a benchmark's result, for the summary table. */
export interface Row {
  bench: string;
  metric: string;
  pont: string;
  docker: string;
  /** e.g. "0.42×" or "97 %" */
  value: string;
  goal: string;
  /** true met, false missed, null no goal or not measurable */
  met: boolean | null;
}

export async function ok(s: Shell, command: string, timeoutMs = 120_000): Promise<string> {
  const r = await s.sh(command, { timeoutMs });
  if (r.exitCode !== 0) throw new Error(`failed (${r.exitCode}): ${command.slice(0, 300)}\n${r.stderr}${r.stdout}`.slice(0, 3000));
  return r.stdout;
}

/**
 * A bash function `tm LABEL CMD...`: runs CMD (output discarded) and prints "LABEL <wall µs> <user s> <sys s>".
 * The clock is bash's $EPOCHREALTIME, read without forking, so only CMD's own wall time is counted;
 * the CPU time is user + system of CMD and the children it waited for (bash's `time`).
 * And `node_floor`, the floor of every pont command: `node -e 0` as bin/pont starts Node, without
 * NODE_EXTRA_CA_CERTS, which Node 20 parses at every start (bin/pont's shebang drops it: pont makes
 * no TLS connection). With Debian's bundle of ~140 certificates that parse costs ~40 ms on the
 * 2-core machine, half of Node's own start: a floor measured with it would flatter every ratio.
 */
export const TM = `TIMEFORMAT='%3U %3S'
node_floor() { NODE_EXTRA_CA_CERTS= node -e 0; }
tm() { local l=$1; shift; local a=$EPOCHREALTIME; { time "$@" >/dev/null 2>/run/tm.err; } 2>/run/tm.cpu || { echo "FAIL $l: $(head -c 500 /run/tm.err)"; return 1; }; local b=$EPOCHREALTIME; read -r u s < /run/tm.cpu; echo "$l $(( \${b/./} - \${a/./} )) $u $s"; }`;

/** Runs a script that uses `tm` and returns label → list of milliseconds (wall), and "cpu:label" → CPU ms. */
export async function timed(s: Shell, script: string, timeoutMs = 300_000): Promise<Map<string, number[]>> {
  const out = await ok(s, `${TM}\nset -e\n${script}`, timeoutMs);
  const m = new Map<string, number[]>();
  const add = (k: string, v: number) => m.set(k, [...(m.get(k) ?? []), v]);
  for (const line of out.split('\n')) {
    const hit = /^(\S+) (\d+) ([\d.]+) ([\d.]+)$/.exec(line);
    if (!hit) continue;
    add(hit[1], Number(hit[2]) / 1000);
    add(`cpu:${hit[1]}`, (Number(hit[3]) + Number(hit[4])) * 1000);
  }
  return m;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 1 : 0)} ms` : 'n/a');
export const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');

export const hasStrace = () => existsSync('/usr/bin/strace');

/**
 * Processes a command spawns, counted with `strace -f -e trace=execve`: every pid other than the
 * command's own that ran a program (failed execve's of a PATH search do not count). Returns the
 * count and the programs' names; `daemons`, apart, are the programs still running once the command
 * has exited (the resolver `network create` starts in the background), which would keep strace -f
 * waiting for ever: a shell runs the command, then tells strace to let go (SIGINT detaches; -I 1,
 * as with -o strace blocks it otherwise). That shell and the command's own pid are not counted.
 */
export async function spawnedByStrace(s: Shell, command: string): Promise<Spawned> {
  const f = `/run/strace.${Math.random().toString(36).slice(2)}`;
  await ok(s, `strace -I 1 -f -qq -e trace=execve -o ${f} sh -c '${command} >/dev/null; echo $? > ${f}.rc; kill -INT $PPID' || true
test "$(cat ${f}.rc)" = 0`);
  const text = await ok(s, `cat ${f}; echo ==; for p in $(awk '/execve\\(/ {print $1}' ${f} | sort -u); do kill -0 $p 2>/dev/null && echo $p; done; rm -f ${f} ${f}.rc`);
  const [trace, alive] = text.split('\n==\n');
  const lines = trace.split('\n').filter((l) => l.includes('execve('));
  const pid = (l?: string) => l?.split(/\s+/)[0];
  const shell = pid(lines[0]);
  const running = new Set(alive.split('\n').filter(Boolean));
  const rest = lines.filter((l) => pid(l) !== shell);
  const root = pid(rest[0]);
  const daemons = countExecs(rest.filter((l) => running.has(pid(l)!)), root).programs;
  return { ...countExecs(rest.filter((l) => !running.has(pid(l)!)), root), daemons };
}

/** What spawnedByStrace and spawnedBySampling tell: the processes a command ran, and those it left running. */
export interface Spawned {
  count: number;
  programs: string[];
  daemons: string[];
}

/** Programs run by pids other than `root`, one per pid (the last program a pid became). */
export function countExecs(lines: string[], root?: string): { count: number; programs: string[] } {
  const byPid = new Map<string, string>();
  for (const l of lines) {
    const hit = /^(\d+)\s+execve\("([^"]+)".*= 0$/.exec(l);
    if (hit && hit[1] !== root) byPid.set(hit[1], hit[2].split('/').pop()!);
  }
  return { count: byPid.size, programs: [...byPid.values()] };
}

/**
 * Fallback when strace is missing: runs the command in the sandbox and samples /proc every
 * millisecond for descendants of the command. Short-lived children can be missed: a lower bound.
 */
export async function spawnedBySampling(s: Shell, command: string): Promise<Spawned> {
  const script = `
${command} >/dev/null & root=$!
declare -A seen; seen[$root]=self
while kill -0 $root 2>/dev/null; do
  for st in /proc/[0-9]*/stat; do
    read -r pid comm _ ppid _ < "$st" 2>/dev/null || continue
    [ "$pid" != "$root" ] && [ -n "\${seen[$ppid]}" ] && seen[$pid]=$comm
  done
done
unset "seen[$root]"
for p in "\${!seen[@]}"; do echo "\${seen[$p]}"; done`;
  const programs = (await ok(s, script)).split('\n').filter(Boolean).map((c) => c.replace(/[()]/g, ''));
  return { count: programs.length, programs, daemons: [] };
}

export async function countSpawned(s: Shell, command: string) {
  return hasStrace() ? spawnedByStrace(s, command) : spawnedBySampling(s, command);
}

export const spawnMethod = () =>
  hasStrace() ? 'strace -f -e trace=execve (pids other than the command that ran a program)' : 'sampling /proc every ms (a lower bound: strace missing)';

/** Starts the Docker engine in its own sandbox, or returns why it cannot. */
export async function startDocker(): Promise<DockerEngine | string> {
  const why = dockerUnavailable();
  if (why) return why;
  try {
    return await DockerEngine.start();
  } catch (e) {
    return `dockerd did not start: ${String((e as Error).message).split('\n')[0]}`;
  }
}

export function requireRoot(name: string): void {
  if (!isRoot()) {
    console.error(`bench/${name}: needs root (it makes namespaces in a throwaway sandbox)`);
    process.exit(1);
  }
}

export function machineLine(): string {
  return `machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

/**
 * Waits until the machine's CPUs are idle (at least `idle` of the time over `windowMs`), up to
 * `maxMs`; returns how long it waited and the idle share last seen. What a bench's set-up left
 * running (a fill's 500 namespaces, the kernel's clean-up of a previous run's, the resolver
 * catching up) otherwise falls on its first measured rounds.
 */
export async function settle(idle = 0.8, windowMs = 1000, maxMs = 60_000): Promise<{ waitedMs: number; idle: number }> {
  const t0 = Date.now();
  let seen = 0;
  do {
    const a = cpuTimes();
    await new Promise((r) => setTimeout(r, windowMs));
    const b = cpuTimes();
    seen = (b.idle - a.idle) / Math.max(1, b.total - a.total);
  } while (seen < idle && Date.now() - t0 < maxMs);
  return { waitedMs: Date.now() - t0, idle: seen };
}

/** The machine's CPU times, idle and total, from /proc/stat's first line. */
function cpuTimes(): { idle: number; total: number } {
  const f = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return { idle: f[3] + f[4], total: f.slice(0, 8).reduce((x, y) => x + y, 0) };
}

export function printTable(header: string[], rows: string[][]): void {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (c ?? '').padEnd(w[i])).join('  ').trimEnd();
  console.log(line(header));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of rows) console.log(line(r));
}

export function printRows(rows: Row[]): void {
  printTable(
    ['bench', 'metric', 'pont', 'docker', 'value', 'goal', 'met'],
    rows.map((r) => [r.bench, r.metric, r.pont, r.docker, r.value, r.goal, r.met === null ? '-' : r.met ? 'yes' : 'NO']),
  );
}

/** True when this module is the script node was asked to run. */
export const isMain = (url: string) => process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === url;

/** Runs a bench standalone: prints its rows and exits non-zero only on an error (not on a missed goal). */
export async function runAlone(name: string, bench: () => Promise<Row[]>): Promise<void> {
  requireRoot(name);
  try {
    const rows = await bench();
    console.log('');
    printRows(rows);
  } catch (e) {
    console.error(`bench/${name} failed: ${(e as Error).stack ?? e}`);
    process.exitCode = 1;
  }
}
