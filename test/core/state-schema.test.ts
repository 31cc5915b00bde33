// The store's schema: bad records are named field by field, older files get their defaults,
// newer files are refused as such.
import test from 'ava';
import { NewerStoreError, parseState, SchemaError } from '../../src/core/state-schema.js';

const NET = 'a'.repeat(64);
const CTR = 'b'.repeat(64);
const network = () => ({
  id: NET, name: 'mon-bridge', driver: 'bridge', created: '2026-01-01T00:00:00Z', internal: false, attachable: false,
  labels: {}, options: {}, ipam: [{ subnet: '172.18.0.0/16', gateway: '172.18.0.1' }], predefined: false,
  bridge: 'pont-aaaaaaaaaa', book: { allocated: ['172.18.0.2'] },
});
const endpoint = () => ({
  networkId: NET, endpointId: 'c'.repeat(64), ifname: 'eth0', hostIfname: 'pvbbbbbbbbe0', ipAddress: '172.18.0.2',
  prefixLen: 16, gateway: '172.18.0.1', macAddress: '02:42:ac:12:00:02', aliases: [],
});
const container = (extra: Record<string, unknown> = {}) => ({
  id: CTR, name: 'alpine1', created: '2026-01-01T00:00:00Z', netns: 'alpine1', networkMode: 'mon-bridge',
  endpoints: [endpoint()], ...extra,
});

test('a whole state passes and keeps fields the schema does not name', (t) => {
  const s = parseState({ version: 1, networks: [network()], containers: [container({ futureField: 7 })], poolCursor: 1 });
  t.is(s.networks[0].name, 'mon-bridge');
  t.is((s.containers[0] as unknown as { futureField: number }).futureField, 7);
});

test('fields an older pont did not write get their defaults', (t) => {
  const s = parseState({ version: 1, networks: [network()], containers: [container()] });
  const c = s.containers[0];
  t.deepEqual([c.dns, c.ports, c.portBindings, c.exposed], [[], [], [], []]);
  t.false(c.running);
  t.is(c.pid, 0);
  t.is(c.nextIfIndex, 1, 'behind eth0: the next interface is eth1');
});

const bad: [string, (s: { networks: Record<string, unknown>[]; containers: Record<string, unknown>[] }) => void, RegExp][] = [
  ['a network id that is not 64 hex', (s) => (s.networks[0].id = 'xyz'), /^state\.networks\[0\]\.id: expected a 64-hex id, found "xyz"$/],
  ['an unknown driver', (s) => (s.networks[0].driver = 'weave'), /networks\[0\]\.driver: expected one of bridge, host/],
  ['an address that is a number', (s) => ((s.containers[0].endpoints as Record<string, unknown>[])[0].ipAddress = 42), /containers\[0\]\.endpoints\[0\]\.ipAddress: expected an IPv4 address, found 42/],
  ['a bridge name with an iptables wildcard', (s) => (s.networks[0].bridge = 'eth+'), /networks\[0\]\.bridge: expected an interface name/],
  ['a missing container name', (s) => delete s.containers[0].name, /containers\[0\]\.name: expected a value, found nothing/],
  ['a pid that is not a number', (s) => (s.containers[0].pid = '12; kill 1'), /containers\[0\]\.pid: expected an integer/],
  ['labels that are not strings', (s) => (s.networks[0].labels = { a: 1 }), /networks\[0\]\.labels\.a: expected a string/],
  ['a list that is an object', (s) => (s.containers = {} as never), /^state\.containers: expected a list/],
  ['two containers with one id', (s) => s.containers.push({ ...s.containers[0], name: 'other' }), /^state\.containers\[1\]\.id: expected an id no other container has \(containers\[0\] has it\), found "/],
];
for (const [what, spoil, message] of bad) {
  test(`refused with the field named: ${what}`, (t) => {
    const s = { version: 1, networks: [network()], containers: [container()] };
    spoil(s);
    const e = t.throws(() => parseState(s));
    t.true(e instanceof SchemaError);
    t.regex(e!.message, message);
  });
}

test('a store from a newer pont is refused as such, not as corrupt', (t) => {
  const e = t.throws(() => parseState({ version: 3, networks: 'whatever' }));
  t.true(e instanceof NewerStoreError);
  t.regex(e!.message, /newer pont \(store version 3; this pont reads up to 2\)/);
});

test('a version that is not a known number is a bad field', (t) => {
  t.throws(() => parseState({ version: 0 }), { instanceOf: SchemaError, message: /state\.version/ });
  t.throws(() => parseState([]), { instanceOf: SchemaError, message: /^state: expected an object/ });
});
