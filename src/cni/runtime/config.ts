// CNI network configuration lists (SPEC.md §1): parsed from a `.conflist`, or a single `.conf`
// wrapped into a one-plugin list as libcni does, and found by path or by network name in a
// directory in libcni's order. parseConfList is pure; loadConfList reads the directory.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PontError } from '../../core/errors.js';
import { isCniVersion, selectListVersion } from './version.js';

export interface CniPluginConf {
  type: string;
  [k: string]: unknown;
}

export interface CniConfList {
  cniVersion: string;
  name: string;
  plugins: CniPluginConf[];
  disableCheck?: boolean;
  /** Spec 1.1: the runtime must not call GC for this list. */
  disableGC?: boolean;
  /** the file's text, as read */
  text: string;
  /** where it came from */
  source: string;
}

export const DEFAULT_CONF_DIR = '/etc/cni/net.d';

/** Network names and container IDs, as libcni validates them. */
export const CNI_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

const invalid = (source: string, why: string) =>
  new PontError(`invalid CNI network configuration ${source}: ${why}`, { category: 'usage' });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `disableCheck` and `disableGC` take a boolean or the strings "true"/"false" (libcni reads both). */
function readFlag(raw: Record<string, unknown>, key: string, source: string): boolean | undefined {
  const v = raw[key];
  if (v === undefined || typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw invalid(source, `"${key}" must be true or false, not ${JSON.stringify(v)}`);
}

function parsePlugin(raw: unknown, where: string, source: string): CniPluginConf {
  if (!isObject(raw)) throw invalid(source, `${where} is not an object`);
  const type = raw.type;
  if (typeof type !== 'string' || type === '') throw invalid(source, `${where} has no "type"`);
  if (type.includes('/') || type === '.' || type === '..') throw invalid(source, `${where} has an invalid "type" ${JSON.stringify(type)}: a plugin's file name, without "/"`);
  return raw as CniPluginConf;
}

function parseVersion(raw: Record<string, unknown>, source: string): string {
  const { cniVersion, cniVersions } = raw;
  if (cniVersion !== undefined && (typeof cniVersion !== 'string' || !isCniVersion(cniVersion))) {
    throw invalid(source, `"cniVersion" must be a version such as "1.0.0", not ${JSON.stringify(cniVersion)}`);
  }
  if (cniVersions !== undefined && (!Array.isArray(cniVersions) || !cniVersions.every((v) => typeof v === 'string' && isCniVersion(v)))) {
    throw invalid(source, '"cniVersions" must be a list of versions such as "1.0.0"');
  }
  const chosen = selectListVersion(cniVersion as string | undefined, (cniVersions as string[] | undefined) ?? []);
  if (chosen === undefined) {
    throw invalid(source, cniVersion === undefined && cniVersions === undefined ? 'no "cniVersion"' : 'none of its "cniVersions" is a version this runtime implements (up to 1.1.0)');
  }
  return chosen;
}

/**
 * A configuration list from its text. A document with a `plugins` key is a list; one without is
 * a single plugin configuration (`.conf`), which becomes the only plugin of a list carrying its
 * name and version, as libcni's ConfListFromConf does.
 */
export function parseConfList(text: string, source: string): CniConfList {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw invalid(source, `not JSON (${(e as Error).message})`);
  }
  if (!isObject(raw)) throw invalid(source, 'not a JSON object');
  const name = raw.name;
  if (typeof name !== 'string' || name === '') throw invalid(source, 'no "name"');
  if (!CNI_NAME.test(name)) throw invalid(source, `invalid network name ${JSON.stringify(name)}: letters, digits, "_", "." and "-", starting with a letter or digit`);
  const cniVersion = parseVersion(raw, source);
  const common = { cniVersion, name, disableCheck: readFlag(raw, 'disableCheck', source), disableGC: readFlag(raw, 'disableGC', source), text, source };

  if (!('plugins' in raw)) return { ...common, plugins: [parsePlugin(raw, 'the configuration', source)] };
  if (!Array.isArray(raw.plugins)) throw invalid(source, '"plugins" is not a list');
  if (raw.plugins.length === 0) throw invalid(source, '"plugins" is empty');
  return { ...common, plugins: raw.plugins.map((p, i) => parsePlugin(p, `plugin ${i + 1}`, source)) };
}

const looksLikePath = (ref: string) => ref.includes('/') || /\.(conflist|conf|json)$/.test(ref);

/** File names in dir with one of the extensions, sorted (Go's sort.Strings: by code unit). */
function confFiles(dir: string, exts: string[]): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // libcni: a missing directory holds no configurations
  }
  return names
    .filter((n) => exts.some((e) => n.endsWith(e)) && statSync(join(dir, n), { throwIfNoEntry: false })?.isFile())
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function readConf(path: string): CniConfList {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PontError(`CNI network configuration ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { category: code === 'ENOENT' ? 'not-found' : 'usage' });
  }
  return parseConfList(text, path);
}

/**
 * A list by path (anything with a "/" or a .conflist/.conf/.json name, relative to the working
 * directory) or by network name in dir: libcni's LoadConfList order, first the `.conflist` files
 * sorted by name, then the `.conf` and `.json` files sorted by name; the first whose "name"
 * matches. As in libcni, a file that does not parse stops the search with its error.
 */
export function loadConfList(ref: string, dir: string = DEFAULT_CONF_DIR): CniConfList {
  if (looksLikePath(ref)) return readConf(resolve(ref));
  const lists = confFiles(dir, ['.conflist']);
  const singles = confFiles(dir, ['.conf', '.json']);
  for (const file of [...lists, ...singles]) {
    const list = readConf(join(dir, file));
    if (list.name === ref) return list;
  }
  const looked = lists.length + singles.length === 0 ? 'no .conflist, .conf or .json file there' : `looked in ${[...lists, ...singles].join(', ')}`;
  throw new PontError(`no CNI network configuration named "${ref}" in ${dir} (${looked})`, { category: 'not-found' });
}
