// The probe itself (the trace.probe step, kernel/ops.ts): `nft monitor trace` listening in the
// host's namespace, one packet sent from the source's, the monitor stopped after a short settle.
// Every wait is bounded: the whole step takes a few seconds at most.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { KernelError } from '../../core/errors.js';
import type { Step } from '../../core/steps.js';

export interface ProbeOutput {
  /** What `nft monitor trace` printed. */
  trace: string;
  /** The probe tool's own words (ping's summary, `connected`, `ECONNREFUSED`, `no answer`). */
  outcome: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** NETLINK_NETFILTER sockets of `pid` subscribed to a group: the monitor is listening. */
function listening(pid: number): boolean {
  try {
    const inodes = new Set(readdirSync(`/proc/${pid}/fd`).flatMap((fd) => /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${pid}/fd/${fd}`))?.[1] ?? []));
    return readFileSync('/proc/net/netlink', 'utf8').split('\n').slice(1).some((l) => {
      const c = l.trim().split(/\s+/);
      return c[1] === '12' && c[3] !== '00000000' && inodes.has(c[9]);
    });
  } catch {
    return false;
  }
}

const safeReadlink = (p: string) => {
  try {
    return readlinkSync(p);
  } catch {
    return '';
  }
};

function run(argv: string[], timeoutMs: number): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => resolve({ code: 127, out: e.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** ping's verdict line, or the TCP/UDP script's one word. */
const outcomeOf = (out: string) => {
  const ping = /(\d+) packets transmitted, (\d+) received/.exec(out);
  if (ping) return ping[2] === '0' ? 'no echo reply within 1 s' : 'echo reply received';
  return out.trim().split('\n').pop() || 'no output';
};

export async function sendProbe(s: Extract<Step, { op: 'trace.probe' }>): Promise<ProbeOutput> {
  const monitor = spawn('nft', ['monitor', 'trace'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let trace = '';
  let err = '';
  monitor.stdout.on('data', (d) => (trace += d));
  monitor.stderr.on('data', (d) => (err += d));
  const exited = new Promise<void>((r) => monitor.on('close', () => r()));
  try {
    for (let waited = 0; !listening(monitor.pid ?? 0); waited += 20) {
      if (waited >= 3000 || monitor.exitCode !== null) throw new KernelError('nft monitor trace', err.trim() || 'it did not start listening within 3 s');
      await sleep(20);
    }
    const r = await run(s.netns ? ['ip', 'netns', 'exec', s.netns, ...s.argv] : s.argv, 5000);
    // the reply and the hooks after the last one the probe tool waited for
    await sleep(s.settleMs);
    return { trace, outcome: outcomeOf(r.out) };
  } finally {
    monitor.kill('SIGTERM');
    await Promise.race([exited, sleep(2000)]);
    if (monitor.exitCode === null && monitor.signalCode === null) monitor.kill('SIGKILL');
  }
}
