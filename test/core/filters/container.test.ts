import test from 'ava';
import type { ContainerRecord, NetworkRecord, State } from '../../../src/core/model.js';
import { planContainerFilter } from '../../../src/core/filters/container.js';

const ctr = (name: string, over: Partial<ContainerRecord> = {}): ContainerRecord =>
  ({ id: name.padEnd(64, 'f'), name, created: '2026-01-01T00:00:00Z', networkMode: 'default', image: 'alpine', running: true, startedAt: '2026-01-01T00:00:01Z', exitCode: 0, endpoints: [], exposed: [], ports: [], ...over }) as ContainerRecord;
const mynet = { id: 'aa'.repeat(32), name: 'mynet' } as NetworkRecord;
const bridge = { id: 'bb'.repeat(32), name: 'bridge' } as NetworkRecord;
const none = { id: 'cc'.repeat(32), name: 'none' } as NetworkRecord;
const ctrs = [
  ctr('web', { endpoints: [{ networkId: mynet.id } as never], ports: [{ networkId: mynet.id, hostIp: '', hostPort: 8080, containerPort: 80, proto: 'tcp' }], exposed: ['80/tcp'] }),
  ctr('db', { created: '2026-01-02T00:00:00Z', running: false, exitCode: 3, endpoints: [{ networkId: bridge.id } as never] }),
  ctr('fresh', { created: '2026-01-03T00:00:00Z', running: false, startedAt: '0001-01-01T00:00:00Z', image: '', networkMode: 'none' }),
];
const state = { networks: [mynet, bridge, none], containers: ctrs } as State;
const names = (list: string[]) => ctrs.filter(planContainerFilter(list)(state)).map((c) => c.name);

test('name matches /NAME as an expression; values of one key are OR-ed', (t) => {
  t.deepEqual(names(['name=web']), ['web']);
  t.deepEqual(names(['name=^/d']), ['db']);
  t.deepEqual(names(['name=web', 'name=db']), ['web', 'db']);
  // Docker lets a pattern Go cannot compile match nothing; pont refuses it (D-strict-input)
  t.throws(() => names(['name=[']), { message: /^Error response from daemon: invalid filter regexp '\[': error parsing regexp: / });
});

test('label=constructor matches no container', (t) => {
  t.deepEqual(names(['label=constructor']), []);
});

test('status, exited, network, publish, expose, ancestor, before, since', (t) => {
  t.deepEqual(names(['status=running']), ['web']);
  t.deepEqual(names(['status=exited']), ['db']);
  t.deepEqual(names(['status=created']), ['fresh']);
  t.deepEqual(names(['exited=3']), ['db']);
  t.deepEqual(names(['network=mynet']), ['web']);
  t.deepEqual(names(['network=bridge']), ['db']);
  t.deepEqual(names(['network=none']), ['fresh']);
  t.deepEqual(names([`network=${bridge.id.slice(0, 6)}`]), ['db']);
  t.deepEqual(names(['publish=80']), ['web']);
  t.deepEqual(names(['publish=8080']), []);
  t.deepEqual(names(['expose=79-81/tcp']), ['web']);
  t.deepEqual(names(['ancestor=alpine']), ['web', 'db']);
  t.deepEqual(names(['before=db']), ['web']);
  t.deepEqual(names(['since=db']), ['fresh']);
});

test("Docker's refusals", (t) => {
  t.throws(() => names(['x=1']), { message: "Error response from daemon: Invalid filter 'x'" });
  t.throws(() => names(['dangling=true']), { message: "Error response from daemon: Invalid filter 'dangling'" });
  t.throws(() => names(['status=bogus']), { message: "Error response from daemon: Invalid filter 'status=bogus'" });
  t.throws(() => names(['exited=x']), { message: 'Error response from daemon: strconv.Atoi: parsing "x": invalid syntax' });
  t.throws(() => names(['before=nope']), { message: 'Error response from daemon: No such container: nope' });
});
