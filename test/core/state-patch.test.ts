// A journal's "after" as changes to the store it found: applied to an equal copy of that store
// (read back from disk), it gives the very text the command would have written.
import test from 'ava';
import type { State } from '../../src/core/model.js';
import { applyStatePatch, diffState } from '../../src/core/state-patch.js';

const ctr = (n: number) => ({ id: `c${n}`, name: `n${n}`, running: true, endpoints: [] });
const before = { version: 1, networks: [{ id: 'net', name: 'big', book: { allocated: ['a', 'b'] } }], containers: [1, 2, 3].map(ctr), firewallMarker: 'm' } as unknown as State;
const roundTrip = (s: State) => JSON.parse(JSON.stringify(s)) as State;
const text = (s: State) => JSON.stringify(s, null, 1);

test('a removal and a changed network: small, and applied to a copy read back gives the same text', (t) => {
  const after = { ...before, networks: [{ ...before.networks[0], book: { allocated: ['a'] } }], containers: before.containers.filter((c) => c.id !== 'c2') } as State;
  const patch = diffState(before, after);
  t.deepEqual(patch.containers, { list: [[0, 1, 'c1', 'c1'], [2, 3, 'c3', 'c3']], changed: [] }, 'runs of the old list, not an id each');
  t.is(patch.networks.changed.length, 1);
  t.is(text(applyStatePatch(roundTrip(before), roundTrip(patch as unknown as State) as unknown as typeof patch)), text(after));
});

test('added, replaced and reordered records and new fields keep their places', (t) => {
  const after = { version: 1, poolCursor: 3, networks: before.networks, containers: [ctr(4), before.containers[2], { ...before.containers[0], running: false }], firewallMarker: 'n' } as unknown as State;
  const patch = diffState(before, after);
  t.deepEqual(patch.containers.changed.map((c) => c.id), ['c4', 'c1']);
  t.is(text(applyStatePatch(roundTrip(before), patch)), text(after));
});

test('a patch naming a record the store lacks is refused', (t) => {
  const patch = diffState(before, { ...before, containers: before.containers.slice(0, 1) });
  t.throws(() => applyStatePatch({ ...before, containers: [] }, patch), { message: /container c1/ });
});

test('a store of 500 records with one removed: a patch of a few bytes, applied to a copy read back', (t) => {
  const many = { ...before, containers: Array.from({ length: 500 }, (_, i) => ctr(i)) } as unknown as State;
  const after = { ...many, containers: many.containers.filter((c) => c.id !== 'c250') } as State;
  const patch = diffState(many, after);
  t.true(JSON.stringify(patch.containers).length < 100, JSON.stringify(patch.containers));
  t.is(text(applyStatePatch(roundTrip(many), roundTrip(patch as unknown as State) as unknown as typeof patch)), text(after));
  // a store not the one the patch was made from (a record moved away): refused, not misapplied
  const moved = { ...many, containers: [many.containers[1], many.containers[0], ...many.containers.slice(2)] } as State;
  t.throws(() => applyStatePatch(moved, patch), { message: /container c0 to c249, which the store does not have where it says/ });
});

test('a journal of an earlier build (the new list by id) is applied as it was', (t) => {
  const after = { ...before, containers: [ctr(4), before.containers[2]] } as unknown as State;
  const patch = { ...diffState(before, after), containers: { ids: ['c4', 'c3'], changed: [ctr(4)] } };
  t.is(text(applyStatePatch(roundTrip(before), patch as unknown as ReturnType<typeof diffState>)), text(after));
});

test('records reversed, repeated and replaced: each kept record is found wherever it stands', (t) => {
  const many = { ...before, containers: Array.from({ length: 20 }, (_, i) => ctr(i)) } as unknown as State;
  const c = many.containers;
  const after = { ...many, containers: [...c.slice(10).reverse(), c[3], c[3], { ...c[4] }, ...c.slice(0, 10)] } as State;
  const patch = diffState(many, after);
  t.deepEqual(patch.containers.changed.map((r) => r.id), ['c4'], 'only the copy is a changed record');
  t.is(text(applyStatePatch(roundTrip(many), roundTrip(patch as unknown as State) as unknown as typeof patch)), text(after));
});
