// Processes named by pid + start time: what the supervisor writes to its pid file and hands its
// resolver child in PONT_DNS_PARENT, so a recycled pid or a forged variable is never trusted.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import test from 'ava';
import { claimedParent, formatProcessId, isAlive, parseProcessId, processId } from '../../src/dns/proc.js';

test('processId reads the start time; isAlive needs the same pid AND start time', (t) => {
  const self = processId(process.pid)!;
  t.regex(self.start, /^\d+$/);
  t.true(isAlive(self));
  t.false(isAlive({ pid: process.pid, start: String(Number(self.start) + 1) }), 'same pid, another start: a recycled pid');
  t.is(processId(0), null);
  t.is(processId(-1), null);
  t.is(processId(2 ** 31), null);
  t.deepEqual(parseProcessId(formatProcessId(self)), self);
});

test('parseProcessId takes "PID:START" only', (t) => {
  t.deepEqual(parseProcessId('42:1234\n'), { pid: 42, start: '1234' });
  for (const bad of ['', '42', '42:', ':1', '0:5', '-1:5', '42:12a', '42 1234', '1e3:5', '42:1:2', '../x:1']) t.is(parseProcessId(bad), null, bad);
});

test('claimedParent accepts only our live parent with its start time', (t) => {
  const parent = processId(process.ppid)!;
  t.deepEqual(claimedParent(formatProcessId(parent), process.ppid), parent);
  t.is(claimedParent(`${parent.pid}:${Number(parent.start) + 1}`, process.ppid), null, 'wrong start time');
  t.is(claimedParent(formatProcessId(processId(process.pid)!), process.ppid), null, 'alive, but not the parent');
  t.is(claimedParent(String(process.ppid), process.ppid), null, 'a bare pid is not enough');
  t.is(claimedParent('junk', process.ppid), null);
});

test('a zombie (killed, not yet reaped) is not alive', async (t) => {
  // the background sleep exits after its shell has become `sleep 5`, which never reaps it
  const holder = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const pid = Number(await new Promise<string>((r) => holder.stdout!.once('data', (d) => r(String(d)))));
    let stat = '';
    for (let i = 0; i < 60 && !/\) Z /.test(stat); i++) {
      await new Promise((r) => setTimeout(r, 50));
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    }
    t.regex(stat, /\) Z /, 'the child is a zombie');
    t.is(processId(pid), null);
  } finally {
    holder.kill('SIGKILL');
  }
});
