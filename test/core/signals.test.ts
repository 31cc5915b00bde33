// A signal as Docker names it: a number, a name with or without SIG, in any case; Docker's names
// of the real-time signals; the numbers Linux has no signal for, refused later (supportsSignal).
import test from 'ava';
import { parseSignalName, signalArgument, supportsSignal, unsupportedSignalText } from '../../src/core/signals.js';

test('names, numbers and case, as dockerd reads them; anything else is none', (t) => {
  t.is(parseSignalName('KILL'), 'SIGKILL');
  t.is(parseSignalName('sigterm'), 'SIGTERM');
  t.is(parseSignalName('usr1'), 'SIGUSR1');
  t.is(parseSignalName('9'), 'SIGKILL');
  t.is(parseSignalName('+15'), 'SIGTERM', 'strconv.Atoi takes a sign');
  t.is(parseSignalName('6'), 'SIGABRT');
  t.is(parseSignalName('cld'), 'SIGCHLD');
  // what dockerd refuses as "Invalid signal: …" (observed, parity scenario kill)
  for (const bad of ['NOPE', '', '0', '-0', 'SIG', 'constructor', 'toString', '__proto__', '9x', '0x10', 'RTMIN+16', 'rtmax-15', 'RTMIN+01', ' 9']) t.is(parseSignalName(bad), null, bad);
});

test('the real-time signals by Docker\'s names and by number', (t) => {
  t.is(parseSignalName('RTMIN'), 34);
  t.is(parseSignalName('sigrtmin+6'), 40);
  t.is(parseSignalName('RTMIN+15'), 49);
  t.is(parseSignalName('RTMAX-14'), 50);
  t.is(parseSignalName('SIGRTMAX'), 64);
  t.is(parseSignalName('40'), 40);
  t.is(signalArgument(40), '40');
  t.is(signalArgument('SIGUSR1'), 'USR1');
});

test('a number Linux has no signal for is read, and refused by supportsSignal in dockerd\'s words', (t) => {
  for (const n of [32, 33, 65, 99, -1, -9]) {
    t.is(parseSignalName(String(n)), n);
    t.false(supportsSignal(n), String(n));
  }
  for (const s of ['SIGKILL', 1, 31, 34, 64] as const) t.true(supportsSignal(s), String(s));
  t.is(unsupportedSignalText(99), 'The linux daemon does not support signal 99');
  t.is(unsupportedSignalText(-1), 'The linux daemon does not support signal 18446744073709551615', 'as the uint64 dockerd converts it to');
});
