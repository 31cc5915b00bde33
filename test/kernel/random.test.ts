// Ids from /dev/urandom: 64 hex, like Docker's, never the same twice.
import test from 'ava';
import { newId } from '../../src/kernel/random.js';

test('an id is 64 lower-case hex, and a thousand of them are all different', (t) => {
  const ids = Array.from({ length: 1000 }, newId);
  for (const id of ids.slice(0, 10)) t.regex(id, /^[0-9a-f]{64}$/);
  t.is(new Set(ids).size, ids.length);
});
