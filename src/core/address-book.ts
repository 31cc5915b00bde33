// A network's allocated addresses, as its record keeps them in the store (NetworkRecord.book):
// in order, each entry one address ("172.18.0.2") or a run of them ("172.18.0.2-172.18.0.9", both
// ends included). A network that 500 containers joined one after the other is one entry: as one
// address each, every command beside them parsed and wrote 500 strings with the network's record
// (~80 KB of garbage, ~0.5 ms on a 2-core machine), and looked through them for a free address.
// Store version 1 (an older pont) kept one address per entry, in the order taken, and an address
// asked for with a leading zero as typed: read as that pont read them (parseStoredIPv4), and
// written back as runs. Pure.
import { formatIPv4, parseStoredIPv4 } from './ipv4.js';

/** Runs of allocated addresses, as numbers: [first, last], ascending, neither overlapping nor touching. */
export type Runs = readonly (readonly [first: number, last: number])[];

/** An entry's addresses, or null when it names none (the store's schema refuses such a file). */
function entryRun(entry: string): [number, number] | null {
  const dash = entry.indexOf('-');
  const first = parseStoredIPv4(dash < 0 ? entry : entry.slice(0, dash));
  const last = dash < 0 ? first : parseStoredIPv4(entry.slice(dash + 1));
  return first === null || last === null || last < first ? null : [first, last];
}

/** The runs of a book's entries: in one pass when they are in order (as written), else sorted and merged. */
export function bookRuns(allocated: readonly string[]): Runs {
  const runs: [number, number][] = [];
  let ordered = true;
  for (const entry of allocated) {
    const run = entryRun(entry);
    if (!run) continue;
    const last = runs.at(-1);
    if (last && run[0] >= last[0] && run[0] <= last[1] + 1) last[1] = Math.max(last[1], run[1]);
    else {
      if (last && run[0] < last[0]) ordered = false;
      runs.push(run);
    }
  }
  if (ordered) return runs;
  runs.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const run of runs) {
    const last = merged.at(-1);
    if (last && run[0] <= last[1] + 1) last[1] = Math.max(last[1], run[1]);
    else merged.push([run[0], run[1]]);
  }
  return merged;
}

/** The entries the store keeps for `runs`. */
export const bookEntries = (runs: Runs): string[] => runs.map(([a, b]) => (a === b ? formatIPv4(a) : `${formatIPv4(a)}-${formatIPv4(b)}`));

/** How many addresses the runs hold. */
export const runsSize = (runs: Runs): number => runs.reduce((n, [a, b]) => n + b - a + 1, 0);

/** The index of the run holding `n`, or -1. */
function runOf(runs: Runs, n: number): number {
  let lo = 0;
  for (let hi = runs.length; lo < hi; ) {
    const mid = (lo + hi) >> 1;
    if (runs[mid][1] < n) lo = mid + 1;
    else hi = mid;
  }
  return lo < runs.length && runs[lo][0] <= n ? lo : -1;
}

export const runsHave = (runs: Runs, n: number): boolean => runOf(runs, n) >= 0;

/** `runs` with `n` added (joined to the runs it touches). */
export function runsWith(runs: Runs, n: number): Runs {
  if (runsHave(runs, n)) return runs;
  const out: [number, number][] = [];
  let placed = false;
  for (const [a, b] of runs) {
    if (!placed && n < a) {
      out.push([n, n]);
      placed = true;
    }
    const last = out.at(-1);
    if (last && a <= last[1] + 1) last[1] = b;
    else out.push([a, b]);
    if (!placed && n === b + 1) {
      out[out.length - 1][1] = n;
      placed = true;
    }
  }
  if (!placed) out.push([n, n]);
  return out;
}

/** `runs` without `n` (the run holding it cut in two). */
export function runsWithout(runs: Runs, n: number): Runs {
  const i = runOf(runs, n);
  if (i < 0) return runs;
  const [a, b] = runs[i];
  const cut: [number, number][] = [];
  if (a < n) cut.push([a, n - 1]);
  if (n < b) cut.push([n + 1, b]);
  return [...runs.slice(0, i), ...cut, ...runs.slice(i + 1)];
}
