// Which networks `network ls --filter` shows and `network prune --filter` removes, as Docker
// 20.10's daemon decides (daemon/network/filter.go, daemon/prune.go).
import { daemonError } from '../errors.js';
import type { NetworkRecord, State } from '../model.js';
import { matchesAllLabels, planMatchAny, parseBoolFilter, parseFilterArgs } from './args.js';
import { parseUntil } from './until.js';

type Keep = (n: NetworkRecord) => boolean;

const LS_KEYS = ['driver', 'type', 'name', 'id', 'label', 'scope', 'dangling'];
const PRUNE_KEYS = ['label', 'label!', 'until'];

/**
 * `network ls --filter`: keys AND-ed; a key's values OR-ed, except labels (all must hold).
 * Parsed (and refused) at once; the result reads the state it is given.
 */
export function planNetworkListFilter(list: readonly string[]): (state: State) => Keep {
  const f = parseFilterArgs(list, LS_KEYS);
  const tests: Keep[] = [];
  const get = (k: string) => f.get(k) ?? [];
  if (f.has('driver')) tests.push((n) => get('driver').includes(n.driver));
  if (f.has('name')) {
    const name = planMatchAny(get('name'));
    tests.push((n) => name(n.name));
  }
  if (f.has('id')) {
    const id = planMatchAny(get('id'));
    tests.push((n) => id(n.id));
  }
  if (f.has('label')) tests.push((n) => matchesAllLabels(get('label'), n.labels));
  if (f.has('scope')) tests.push(() => get('scope').includes('local'));
  const dangling = f.has('dangling') ? parseBoolFilter('dangling', get('dangling')) : undefined;
  if (f.has('type')) {
    for (const v of get('type')) if (v !== 'custom' && v !== 'builtin') throw daemonError(`invalid filter: 'type'='${v}'`, 'usage');
    tests.push((n) => get('type').includes(n.predefined ? 'builtin' : 'custom'));
  }
  return (state) => {
    const used = (n: NetworkRecord) => n.predefined || state.containers.some((c) => c.endpoints.some((e) => e.networkId === n.id));
    return (n) => tests.every((t) => t(n)) && (dangling === undefined || used(n) !== dangling);
  };
}

/** `network prune --filter`: until (created before), label, label! (Docker's matchLabels). */
export const planNetworkPruneFilter: (list: readonly string[], now?: number) => Keep = (list, now) => planPruneFilter(list, now);

/**
 * A prune's --filter (network prune, container prune: daemon/prune.go): until (created before),
 * label, label! (Docker's matchLabels), for anything with a creation time and labels.
 */
export function planPruneFilter(list: readonly string[], now = Date.now()): (x: { created: string; labels?: Readonly<Record<string, string>> }) => boolean {
  const f = parseFilterArgs(list, PRUNE_KEYS, '--filter');
  const until = f.get('until') ?? [];
  if (until.length > 1) throw daemonError('more than one until filter specified', 'usage');
  const before = until.length ? parseUntil(until[0], now) : undefined;
  const label = f.get('label') ?? [];
  const notLabel = f.get('label!');
  return (n) =>
    (before === undefined || Date.parse(n.created) <= before) &&
    matchesAllLabels(label, n.labels ?? {}) &&
    !(notLabel && matchesAllLabels(notLabel, n.labels ?? {}));
}
