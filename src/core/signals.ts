// A signal as Docker names it (`kill -s`, the API's ?signal=): a number, or a name with or
// without SIG, in any case. Pure: the table is Node's own (os.constants.signals).
import { constants } from 'node:os';

/** The signal `value` names, or null for none (Docker's "Invalid signal: VALUE"). */
export function parseSignalName(value: string): NodeJS.Signals | null {
  const sigs = constants.signals as Record<string, number>;
  if (/^\d+$/.test(value)) return (Object.keys(sigs).find((k) => sigs[k] === Number(value)) as NodeJS.Signals | undefined) ?? null;
  const name = value.toUpperCase().startsWith('SIG') ? value.toUpperCase() : `SIG${value.toUpperCase()}`;
  return Object.hasOwn(sigs, name) ? (name as NodeJS.Signals) : null;
}
