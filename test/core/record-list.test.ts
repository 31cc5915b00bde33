// One record replaced or left out of a list: found by reference, or by id for a copy of it.
import test from 'ava';
import { replaceRecord, withoutRecord } from '../../src/core/record-list.js';

const list = [1, 2, 3].map((n) => ({ id: `c${n}`, n }));

test('replaceRecord puts the new record where the old one stood, and leaves the list given as it was', (t) => {
  const next = { id: 'c2', n: 20 };
  const out = replaceRecord(list, list[1], next);
  t.deepEqual(out, [list[0], next, list[2]]);
  t.is(out[0], list[0], 'the others are the very records');
  t.deepEqual(list.map((r) => r.n), [1, 2, 3]);
  t.deepEqual(replaceRecord(list, { ...list[2] }, next).map((r) => r.n), [1, 2, 20], 'a copy of the record: found by its id');
});

test('withoutRecord leaves out the record, by reference or by id, and only it', (t) => {
  t.deepEqual(withoutRecord(list, list[0]), [list[1], list[2]]);
  t.deepEqual(withoutRecord(list, list[2]), [list[0], list[1]]);
  t.deepEqual(withoutRecord(list, { ...list[1] }), [list[0], list[2]]);
  t.deepEqual(withoutRecord(list, { id: 'c9', n: 9 }), list, 'a record not there: the same records');
  t.is(list.length, 3);
});
