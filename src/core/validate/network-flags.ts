// `pont network create` values: the name, --label, -o and --aux-address lists, parsed into
// typed values before the engine runs. Maps are built with Object.fromEntries, so a key such as
// `__proto__` or `constructor` is an ordinary own key, never the prototype's.
import { daemonError } from '../errors.js';
import { goQuote } from '../ports/goparse.js';
import { CONTROL, FlagError, printable } from './flag-error.js';

/**
 * A network's name: Docker 20.10 takes any text; pont refuses an empty name and control
 * characters, which would break the one-line outputs and messages that show names.
 */
export function parseNetworkName(name: string): string {
  if (name === '' || CONTROL.test(name)) {
    throw daemonError(`invalid network name ${goQuote(name)}: ${name === '' ? 'it is empty' : 'control characters are not allowed'}`, 'usage');
  }
  return name;
}

/** `--label k=v` (a bare `k` maps to ""), with docker/cli's ValidateLabel text for an empty key. */
export function parseLabels(flag: string, list: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    list.map((item) => {
      const [k, v] = splitKeyValue(item);
      if (k.trim() === '') throw new FlagError(flag, item, `invalid label '${printable(item)}': empty name`);
      if (CONTROL.test(item)) throw new FlagError(flag, item, 'control characters are not allowed');
      return [k, v];
    }),
  );
}

/** `-o k=v` driver options. Docker takes an empty key and control characters; pont does not. */
export function parseDriverOptions(flag: string, list: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    list.map((item) => {
      const [k, v] = splitKeyValue(item);
      if (k === '') throw new FlagError(flag, item, 'invalid key: it is empty');
      if (CONTROL.test(item)) throw new FlagError(flag, item, 'control characters are not allowed');
      return [k, v];
    }),
  );
}

/** `--aux-address name=ip`: the value is required (docker/cli's text). */
export function parseAuxAddresses(list: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    list.map((item) => {
      if (!item.includes('=')) throw new FlagError('--aux-address', item, `bad format for aux-address: ${printable(item)}`);
      const [k, v] = splitKeyValue(item);
      if (k === '' || CONTROL.test(item)) throw new FlagError('--aux-address', item, 'invalid key');
      return [k, v];
    }),
  );
}

function splitKeyValue(item: string): [string, string] {
  const i = item.indexOf('=');
  return i < 0 ? [item, ''] : [item.slice(0, i), item.slice(i + 1)];
}
