// What a prune removes, as Docker 20.10's daemon decides (daemon/prune.go): network prune and
// container prune take the same filters.
import { daemonError } from '../errors.js';
import { matchesAllLabels, parseFilterArgs } from './args.js';
import { parseUntil } from './until.js';

const PRUNE_KEYS = ['label', 'label!', 'until'];

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
