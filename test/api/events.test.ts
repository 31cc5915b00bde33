// Events derived from two states of the store, in Docker's order and shapes.
import test from 'ava';
import { diffEvents } from '../../src/api/events.js';
import { blankContainer, emptyState, type ContainerRecord, type NetworkRecord, type State } from '../../src/core/model.js';

const net = (id: string, name: string): NetworkRecord => ({
  id, name, driver: 'bridge', created: '', internal: false, attachable: false, labels: {}, options: {}, ipam: [], predefined: false, book: {} as NetworkRecord['book'],
});

const ctr = (id: string, over: Partial<ContainerRecord> = {}): ContainerRecord => blankContainer({ id, name: `c${id}`, created: '', netns: `c${id}`, networkMode: 'n', image: 'alpine', cmd: ['sh'], ...over });

const ep = (networkId: string) => ({ networkId, endpointId: 'e', ifname: 'eth0', ipAddress: '', prefixLen: 16, gateway: '', macAddress: '', aliases: [] });
const state = (networks: NetworkRecord[], containers: ContainerRecord[]): State => ({ ...emptyState(), networks, containers });
const said = (a: State, b: State) => diffEvents(a, b).map((e) => `${e.Type} ${e.Action} ${e.Actor.ID}${e.Actor.Attributes.container ? ` ${e.Actor.Attributes.container}` : ''}`);

test('a run: network create, container create, connect, start — in Docker\'s order', (t) => {
  const n = net('n1', 'mynet');
  const after = state([n], [ctr('c1', { running: true, endpoints: [ep('n1')], labels: { app: 'x' } })]);
  t.deepEqual(said(emptyState(), after), ['network create n1', 'container create c1', 'network connect n1 c1', 'container start c1']);
  const [, create] = diffEvents(emptyState(), after);
  t.like(create, { status: 'create', id: 'c1', from: 'alpine', Actor: { Attributes: { app: 'x', image: 'alpine', name: 'cc1' } } });
});

test('an exit, then a removal: die with the exit code, disconnect, destroy, network destroy', (t) => {
  const n = net('n1', 'mynet');
  const running = state([n], [ctr('c1', { running: true, endpoints: [ep('n1')] })]);
  const exited = state([n], [ctr('c1', { running: false, exitCode: 3, finishedAt: 'x', endpoints: [ep('n1')] })]);
  t.deepEqual(said(running, exited), ['container die c1']);
  t.is(diffEvents(running, exited)[0].Actor.Attributes.exitCode, '3');
  t.deepEqual(said(exited, state([], [])), ['network disconnect n1 c1', 'container destroy c1', 'network destroy n1']);
  t.deepEqual(said(running, running), []);
});
