// `--filter` for networks, as Docker defines the keys: driver, id (prefix), label (key or
// key=value), name (substring), scope, type (custom|builtin), dangling (unused).
import { daemonError } from '../core/errors.js';
import type { NetworkRecord, State } from '../core/model.js';

export function networkFilter(filters: string[], state: State): (n: NetworkRecord) => boolean {
  const tests: ((n: NetworkRecord) => boolean)[] = [];
  const byKey = new Map<string, string[]>();
  for (const f of filters) {
    const i = f.indexOf('=');
    if (i < 0) throw daemonError(`bad format of filter (expected name=value)`, 'usage');
    const k = f.slice(0, i).toLowerCase();
    byKey.set(k, [...(byKey.get(k) ?? []), f.slice(i + 1)]);
  }
  const used = (n: NetworkRecord) => state.containers.some((c) => c.endpoints.some((e) => e.networkId === n.id));
  for (const [key, values] of byKey) {
    // Values of one key are OR-ed, keys are AND-ed, as in Docker.
    const any = (pred: (n: NetworkRecord, v: string) => boolean) => tests.push((n) => values.some((v) => pred(n, v)));
    switch (key) {
      case 'driver': any((n, v) => n.driver === v); break;
      case 'id': any((n, v) => n.id.startsWith(v)); break;
      case 'name': any((n, v) => matchName(n.name, v)); break;
      case 'scope': any((_n, v) => v === 'local'); break;
      case 'label':
        any((n, v) => labelMatches(n.labels, v));
        break;
      case 'label!':
        // prune's negative label filter: keep networks that carry the label
        tests.push((n) => !values.some((v) => labelMatches(n.labels, v)));
        break;
      case 'type':
        for (const v of values) if (v !== 'custom' && v !== 'builtin') throw daemonError(`invalid filter: 'type'='${v}'`, 'usage');
        any((n, v) => (v === 'custom' ? !n.predefined : n.predefined));
        break;
      case 'dangling':
        any((n, v) => (['true', '1'].includes(v) ? !n.predefined && !used(n) : n.predefined || used(n)));
        break;
      default:
        throw daemonError(`Invalid filter '${key}'`, 'usage');
    }
  }
  return (n) => tests.every((t) => t(n));
}

/** Docker matches name filters as regular expressions (`^alpha$`), plain text otherwise. */
export function matchName(name: string, pattern: string): boolean {
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return name.includes(pattern);
  }
}

function labelMatches(labels: Record<string, string>, v: string): boolean {
  const j = v.indexOf('=');
  return j < 0 ? v in labels : labels[v.slice(0, j)] === v.slice(j + 1);
}
