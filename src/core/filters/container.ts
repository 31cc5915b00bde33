// Which containers `ps --filter` shows, as Docker 20.10's daemon decides (daemon/list.go):
// keys AND-ed, a key's values OR-ed (labels: all must hold). pont containers have no volumes,
// health checks or tasks, so those keys match as they would for such a container.
import { PontError } from '../errors.js';
import { containerState, type ContainerRecord, type State } from '../model.js';
import { type FilterArgs, matchesAllLabels, planMatchAny, parseBoolFilter, parseFilterArgs } from './args.js';

type Keep = (c: ContainerRecord) => boolean;

const PS_KEYS = ['ancestor', 'before', 'expose', 'exited', 'health', 'id', 'isolation', 'is-task', 'label', 'name', 'network', 'publish', 'since', 'status', 'volume'];
const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];
const HEALTH = ['starting', 'healthy', 'unhealthy', 'none'];

const refused = (text: string) => new PontError(`Error response from daemon: ${text}`, { category: 'usage' });

/** Parsed (and refused, but for before/since, which name containers) at once; applied to a state. */
export function planContainerFilter(list: readonly string[]): (state: State) => Keep {
  const f = parseFilterArgs(list, PS_KEYS);
  const get = (k: string) => f.get(k) ?? [];
  const has = (k: string) => f.has(k);
  for (const v of get('status')) if (!STATUSES.includes(v)) throw refused(`Invalid filter 'status=${v}'`);
  for (const v of get('health')) if (!HEALTH.includes(v)) throw refused(`Unrecognised filter value for health: ${v}`);
  for (const v of get('isolation')) if (v !== '' && v !== 'default') throw refused(`Unrecognised filter value for isolation: ${v}`);
  const exited = get('exited').map((v) => {
    if (!/^[-+]?\d+$/.test(v)) throw refused(`strconv.Atoi: parsing "${v}": invalid syntax`);
    return Number(v);
  });
  const isTask = has('is-task') ? parseBoolFilter('is-task', get('is-task')) : undefined;
  const match = { name: planMatchAny(get('name')), id: planMatchAny(get('id')), isolation: planMatchAny(get('isolation')) };
  return (state) => matchContainers(f, state, exited, isTask, match);
}

type Matcher = (source: string) => boolean;

function matchContainers(f: FilterArgs, state: State, exited: number[], isTask: boolean | undefined, match: Record<'name' | 'id' | 'isolation', Matcher>): Keep {
  const tests: Keep[] = [];
  const get = (k: string) => f.get(k) ?? [];
  const has = (k: string) => f.has(k);
  const byRef = (key: string) =>
    get(key).map((v) => {
      const c = state.containers.find((x) => x.id === v || x.name === v.replace(/^\//, '')) ?? state.containers.find((x) => v !== '' && x.id.startsWith(v));
      if (!c) throw new PontError(`Error response from daemon: No such container: ${v}`, { category: 'not-found' });
      return c.created;
    });
  const before = byRef('before');
  const since = byRef('since');

  if (has('name')) tests.push((c) => match.name(`/${c.name}`));
  if (has('id')) tests.push((c) => match.id(c.id));
  if (has('label')) tests.push((c) => matchesAllLabels(get('label'), c.labels ?? {}));
  if (has('status')) tests.push((c) => get('status').includes(containerState(c)));
  if (has('exited')) tests.push((c) => containerState(c) === 'exited' && exited.includes(c.exitCode));
  if (has('health')) tests.push(() => get('health').includes('none'));
  if (has('isolation')) tests.push(() => match.isolation(''));
  if (isTask !== undefined) tests.push(() => !isTask);
  if (has('volume')) tests.push(() => false);
  if (has('ancestor')) tests.push((c) => c.image !== '' && get('ancestor').includes(c.image));
  if (before.length) tests.push((c) => before.every((t) => c.created < t));
  if (since.length) tests.push((c) => since.every((t) => c.created > t));
  if (has('network')) tests.push((c) => get('network').some((v) => onNetwork(state, c, v)));
  if (has('publish')) tests.push((c) => get('publish').some((v) => portMatches(v, c.ports.map((p) => `${p.containerPort}/${p.proto}`))));
  if (has('expose')) tests.push((c) => get('expose').some((v) => portMatches(v, c.exposed)));
  return (c) => tests.every((t) => t(c));
}

/** A network the container is on, by exact name or id prefix (as NetworkSettings.Networks lists them). */
function onNetwork(state: State, c: ContainerRecord, v: string): boolean {
  // host and none have no endpoint; their name is the container's network mode
  const nets = state.networks.filter((n) => c.endpoints.some((e) => e.networkId === n.id) || ((c.networkMode === 'host' || c.networkMode === 'none') && n.name === c.networkMode));
  return nets.some((n) => n.name === v || (v !== '' && n.id.startsWith(v)));
}

/** `80`, `80/udp`, `8000-8080/tcp` against "port/proto" entries. */
function portMatches(spec: string, entries: string[]): boolean {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(spec);
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[2] ? Number(m[2]) : lo;
  const proto = m[3] ?? 'tcp';
  return entries.some((e) => {
    const [p, pr] = e.split('/');
    return pr === proto && Number(p) >= lo && Number(p) <= hi;
  });
}
