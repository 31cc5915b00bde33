import test from 'ava';
import { defaultNetworks } from '../../src/engine/defaults.js';

const origin = { seed: 'boot-1:4026531840', created: '2026-11-30T08:00:00Z' };

test('the predefined networks derive their ids and creation time from the host, so a view of them matches what is later recorded', (t) => {
  const a = defaultNetworks([], origin);
  const b = defaultNetworks([], origin);
  t.deepEqual(a, b);
  t.deepEqual(a.networks.map((n) => n.name), ['bridge', 'host', 'none']);
  for (const n of a.networks) {
    t.regex(n.id, /^[0-9a-f]{64}$/);
    t.is(n.created, origin.created);
  }
  t.is(new Set(a.networks.map((n) => n.id)).size, 3);
  const other = defaultNetworks([], { ...origin, seed: 'boot-2:4026531840' });
  t.false(other.networks.some((n) => a.networks.some((m) => m.id === n.id)), 'another boot or namespace, other ids');
});
