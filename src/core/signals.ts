// A signal as Docker names it (`kill -s`, the API's ?signal=): a number, or a name with or
// without SIG, in any case. Pure: the names are Node's own (os.constants.signals), with Docker's
// names of the real-time signals (RTMIN, RTMIN+1 … RTMIN+15, RTMAX-14 … RTMAX-1, RTMAX) and CLD.
import { constants } from 'node:os';

/** A signal by Node's name, or by number where Node has none (the real-time ones, an unsupported one). */
export type Signal = NodeJS.Signals | number;

const SIGRTMIN = 34;
const SIGRTMAX = 64;

/** Docker's table (moby's SignalMap on Linux): name without SIG → number. */
const TABLE: ReadonlyMap<string, number> = new Map([
  ...Object.entries(constants.signals as Record<string, number>).map(([k, v]) => [k.slice(3), v] as [string, number]),
  ['CLD', 17],
  ['RTMIN', SIGRTMIN],
  ...Array.from({ length: 15 }, (_, i) => [`RTMIN+${i + 1}`, SIGRTMIN + i + 1] as [string, number]),
  ...Array.from({ length: 14 }, (_, i) => [`RTMAX-${14 - i}`, SIGRTMAX - 14 + i] as [string, number]),
  ['RTMAX', SIGRTMAX],
]);

/** Number → Node's first name for it (SIGABRT before SIGIOT). */
const NAMES = new Map<number, NodeJS.Signals>();
for (const [k, v] of Object.entries(constants.signals as Record<string, number>)) if (!NAMES.has(v)) NAMES.set(v, k as NodeJS.Signals);

/**
 * The signal `value` names, or null for none (Docker's "Invalid signal: VALUE"). A number is
 * taken as dockerd's strconv.Atoi takes it, any but 0: whether this platform has it is asked later
 * (supportsSignal), after the container is found, as dockerd does.
 */
export function parseSignalName(value: string): Signal | null {
  if (/^[+-]?\d+$/.test(value)) {
    const n = Number(value);
    if (n === 0 || !Number.isSafeInteger(n)) return null;
    return NAMES.get(n) ?? n;
  }
  const upper = value.toUpperCase();
  const n = TABLE.get(upper.startsWith('SIG') ? upper.slice(3) : upper);
  return n === undefined ? null : (NAMES.get(n) ?? n);
}

/** Whether Linux has this signal as Docker's table does (32 and 33 are the C library's). */
export const supportsSignal = (s: Signal): boolean => typeof s === 'string' || [...TABLE.values()].includes(s);

/** dockerd's "The linux daemon does not support signal N": N as the uint64 it was converted to. */
export const unsupportedSignalText = (s: number): string => `The linux daemon does not support signal ${BigInt.asUintN(64, BigInt(s))}`;

/** How `kill` names it: KILL, or 40. */
export const signalArgument = (s: Signal): string => (typeof s === 'number' ? String(s) : s.replace(/^SIG/, ''));
