// /etc/pont/config.json: pont's settings, read once per command into the engine's Context. Keys
// are named as Docker's daemon.json names them where Docker has the setting (Docker 29:
// "firewall-backend"); like dockerd, pont refuses a key it does not know rather than ignore a
// typo. A missing file means the defaults.
import { readFileSync } from 'node:fs';
import { PontError } from '../core/errors.js';
import { FIREWALL_BACKENDS, type FirewallBackendName } from '../core/firewall/parts.js';

// Fixed, never taken from the environment: a variable must not choose a root tool's firewall.
export const CONFIG_FILE = '/etc/pont/config.json';

export interface Config {
  /** Which tool writes pont's firewall. iptables stays the default (see docs/differences.md). */
  firewallBackend: FirewallBackendName;
}

export const DEFAULT_CONFIG: Config = { firewallBackend: 'iptables' };

const KEYS = ['firewall-backend'];

const invalid = (file: string, why: string) => new PontError(`invalid ${file}: ${why}`, { category: 'store' });

export function parseConfig(text: string, file = CONFIG_FILE): Config {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalid(file, (e as Error).message);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid(file, 'it must hold one JSON object');
  const unknown = Object.keys(doc).filter((k) => !KEYS.includes(k));
  if (unknown.length) throw invalid(file, `unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')} (pont knows ${KEYS.map((k) => JSON.stringify(k)).join(', ')})`);
  const backend = (doc as Record<string, unknown>)['firewall-backend'] ?? DEFAULT_CONFIG.firewallBackend;
  if (typeof backend !== 'string' || !(FIREWALL_BACKENDS as readonly string[]).includes(backend)) {
    throw invalid(file, `"firewall-backend" must be ${FIREWALL_BACKENDS.map((b) => JSON.stringify(b)).join(' or ')}, not ${JSON.stringify(backend)}`);
  }
  return { firewallBackend: backend as FirewallBackendName };
}

export function readConfig(file = CONFIG_FILE): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_CONFIG;
    throw new PontError(`cannot read ${file}: ${(e as Error).message}`, { category: 'store', cause: e });
  }
  return parseConfig(text, file);
}
