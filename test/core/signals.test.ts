// A signal as Docker names it: a number, a name with or without SIG, in any case.
import test from 'ava';
import { parseSignalName } from '../../src/core/signals.js';

test('names, numbers and case, as dockerd reads them; anything else is none', (t) => {
  t.is(parseSignalName('KILL'), 'SIGKILL');
  t.is(parseSignalName('sigterm'), 'SIGTERM');
  t.is(parseSignalName('usr1'), 'SIGUSR1');
  t.is(parseSignalName('9'), 'SIGKILL');
  t.is(parseSignalName('15'), 'SIGTERM');
  for (const bad of ['NOPE', '', '999', '-9', 'SIG', 'constructor', 'toString', '__proto__', '9x']) t.is(parseSignalName(bad), null, bad);
});
