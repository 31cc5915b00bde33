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
  t.deepEqual(patch.containers, { ids: ['c1', 'c3'], changed: [] });
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
