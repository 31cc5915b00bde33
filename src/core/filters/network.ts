// Which networks `network ls --filter` shows and `network prune --filter` removes, as Docker
// 20.10's daemon decides (daemon/network/filter.go, daemon/prune.go).
import { daemonError } from '../errors.js';
import type { NetworkRecord, State } from '../model.js';
import { matchesAllLabels, planMatchAny, parseBoolFilter, parseFilterArgs } from './args.js';

type Keep = (n: NetworkRecord) => boolean;

const LS_KEYS = ['driver', 'type', 'name', 'id', 'label', 'scope', 'dangling'];

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


