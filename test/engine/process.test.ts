// Reading /proc/PID/stat, which decides whether a recorded pid is still pont's process.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { parseProcStat } from '../../src/kernel/proc-stat.js';

// fields 3..22 after comm: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
// utime stime cutime cstime priority nice threads itrealvalue starttime
const tail = 'S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1234 5';

test('parseProcStat: state, parent, process group and start time (field 22)', (t) => {
  t.deepEqual(parseProcStat(`4242 (sleep) ${tail}`), { state: 'S', ppid: 1, pgrp: 4242, start: 987654 });
});

test('parseProcStat: a comm with spaces and parentheses is skipped up to its last ")"', (t) => {
  t.deepEqual(parseProcStat(`4242 (a) b (c) 9 9 9) ${tail}`), { state: 'S', ppid: 1, pgrp: 4242, start: 987654 });
  t.deepEqual(parseProcStat(`4242 ()) ${tail}`), { state: 'S', ppid: 1, pgrp: 4242, start: 987654 });
});

test('parseProcStat: garbage gives nothing', (t) => {
  t.is(parseProcStat(''), undefined);
  t.is(parseProcStat('4242 (x) S 1'), undefined);
});

test("parseProcStat: this process's own stat parses, and its group and start time are stable", (t) => {
  const a = parseProcStat(readFileSync('/proc/self/stat', 'utf8'));
  const b = parseProcStat(readFileSync(`/proc/${process.pid}/stat`, 'utf8'));
  t.truthy(a);
  t.is(a!.start, b!.start);
  t.regex(b!.state, /^[RS]$/);
});
