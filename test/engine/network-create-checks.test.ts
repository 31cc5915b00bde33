// network create's --ipam-driver / --scope checks and how --ipam-opt is kept (no I/O, no root);
// the texts are compared with Docker 20.10 in test/parity/scenarios/network-create-ipam-scope.ts.
import test from 'ava';
import { PontError } from '../../src/core/errors.js';
import { checkIpamAndScope, storedIpamOptions } from '../../src/engine/network/create.js';

const refusal = (req: { ipamDriver?: string; scope?: string }, driver = 'bridge') => {
  try {
    checkIpamAndScope(req, driver);
    return null;
  } catch (e) {
    return e instanceof PontError ? e.message : `not a PontError: ${String(e)}`;
  }
};

test('the default IPAM driver by any of its names, and the scope of the driver, pass', (t) => {
  for (const req of [{}, { ipamDriver: '' }, { ipamDriver: 'default' }, { scope: '' }, { scope: 'local' }]) t.is(refusal(req), null, JSON.stringify(req));
  t.is(refusal({ scope: 'global' }, 'overlay'), null, "an overlay network's own scope");
  t.is(refusal({ scope: '' }, 'overlay'), null);
});

test("Docker's answers to an IPAM driver or a scope pont does not have; an overlay network is never local", (t) => {
  t.is(refusal({ ipamDriver: 'null' }), 'Error response from daemon: ipv4 pool is empty');
  t.is(refusal({ ipamDriver: 'nosuch' }), 'Error response from daemon: plugin "nosuch" not found');
  t.is(refusal({ scope: 'swarm' }), 'Error response from daemon: cannot create a swarm scoped network when swarm is not active');
  for (const scope of ['global', 'LOCAL', 'x']) t.regex(refusal({ scope }) ?? '', /This node is not a swarm manager/, scope);
  t.regex(refusal({ scope: 'local' }, 'overlay') ?? '', /their scope is "global", not "local"/);
});

test('--ipam-opt is kept by key, in order; none is no field at all', (t) => {
  t.deepEqual(storedIpamOptions({ c: 'd', a: 'b', '': 'x' }), { ipamOptions: { '': 'x', a: 'b', c: 'd' } });
  t.deepEqual(Object.keys(storedIpamOptions({ c: 'd', a: 'b' }).ipamOptions ?? {}), ['a', 'c']);
  t.deepEqual(storedIpamOptions({}), {});
  t.deepEqual(storedIpamOptions(undefined), {});
});
