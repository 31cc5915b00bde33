// Running a network configuration list on an attachment, as a CNI runtime (libcni) does
// (SPEC.md §3): ADD in order threading prevResult, DEL in reverse and CHECK in order with the
// cached ADD result, GC with the attachments still valid; and the same runs as pasteable shell
// lines for --dry-run. Plugins run in the caller's namespaces; the attachment's netns is a path.
//
//   ADD   plugin 1 ──result──► plugin 2 (prevResult) ──► … ──► last result → cache file
//   DEL   … plugin 2 ◄── plugin 1, each with prevResult = the cached result; cache removed
//   a failed ADD: DEL of the whole list in reverse (errors ignored), then the plugin's error
import { PontError } from '../../core/errors.js';
import { shellArg } from '../../core/shell.js';
import { DEFAULT_CACHE_DIR, listCacheEntries, readCacheEntry, removeCacheEntry, renderCacheEntry, writeCacheEntry } from './cache.js';
import { CNI_NAME, type CniConfList, type CniPluginConf } from './config.js';
import { CniError } from './errors.js';
import { DEFAULT_TIMEOUT_MS, defaultCniPath, findPlugin, runPlugin } from './exec.js';
import { type CniAttachment, type CniCommand, buildPluginRequest, pluginEnv } from './request.js';
import { CNI_SPEC_VERSION, atLeast, describeVersions } from './version.js';

export { CniError };

/** An attachment: CNI_CONTAINERID, CNI_NETNS (a path such as /run/netns/NAME), CNI_IFNAME, CNI_ARGS, capability args. */
export type CniRuntime = CniAttachment;

export interface CniResult {
  cniVersion: string;
  interfaces?: { name: string; mac?: string; sandbox?: string; mtu?: number }[];
  ips?: { address: string; gateway?: string; interface?: number; version?: string }[];
  routes?: { dst: string; gw?: string }[];
  dns?: { nameservers?: string[]; domain?: string; search?: string[]; options?: string[] };
}

export interface ChainOptions {
  /** CNI_PATH directories; default from env CNI_PATH, else ['/usr/lib/cni', '/opt/cni/bin'] */
  path?: string[];
  /** default '/var/lib/cni' */
  cacheDir?: string;
  /** per plugin execution; default 60 s */
  timeoutMs?: number;
}

interface Resolved {
  path: string[];
  cacheDir: string;
  timeoutMs: number;
}

const resolveOptions = (o: ChainOptions = {}): Resolved => ({
  path: o.path ?? defaultCniPath(),
  cacheDir: o.cacheDir ?? DEFAULT_CACHE_DIR,
  timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
});

/** prevResult on DEL and CHECK, and CHECK itself, came with spec 0.4.0. */
const CACHED_PREV_RESULT_SINCE = '0.4.0';
const GC_SINCE = '1.1.0';

/** libcni's checks on the attachment parameters, before any plugin runs. */
function validateAttachment(rt: Pick<CniRuntime, 'containerId' | 'ifname'>): void {
  const bad = (m: string) => new PontError(`invalid CNI attachment: ${m}`, { category: 'usage' });
  if (!rt.containerId) throw bad('empty container ID');
  if (!CNI_NAME.test(rt.containerId)) throw bad(`container ID ${JSON.stringify(rt.containerId)} has characters other than letters, digits, "_", "." and "-"`);
  if (!rt.ifname) throw bad('empty interface name');
  if (Buffer.byteLength(rt.ifname) > 15) throw bad(`interface name "${rt.ifname}" is longer than 15 bytes`);
  if (rt.ifname === '.' || rt.ifname === '..' || /[/:\s]/.test(rt.ifname)) throw bad(`interface name ${JSON.stringify(rt.ifname)} is ".", "..", or has "/", ":" or spaces`);
}

interface Located {
  conf: CniPluginConf;
  file: string;
}

const locate = (list: CniConfList, o: Resolved): Located[] => list.plugins.map((conf) => ({ conf, file: findPlugin(conf.type, o.path) }));

/** A plugin's supported spec versions (CNI_COMMAND=VERSION), read as libcni's GetVersionInfo does. */
export async function pluginVersions(type: string, file: string, opts: ChainOptions = {}): Promise<string[]> {
  const o = resolveOptions(opts);
  // old plugins built on skel insist on these variables even for VERSION
  const env = { ...pluginEnv('VERSION', { netns: 'dummy', ifname: 'dummy' }, o.path) };
  let out: string;
  try {
    out = await runPlugin({ type, file, command: 'VERSION', env, stdin: JSON.stringify({ cniVersion: CNI_SPEC_VERSION }), timeoutMs: o.timeoutMs });
  } catch (e) {
    if (e instanceof CniError && e.msg === 'unknown CNI_COMMAND: VERSION') return ['0.1.0'];
    throw e;
  }
  let info: { cniVersion?: unknown; supportedVersions?: unknown };
  try {
    info = JSON.parse(out);
  } catch {
    throw new CniError(type, 'version', { code: 6, msg: 'printed version information that is not JSON', details: out.trim().slice(0, 200) });
  }
  if (Array.isArray(info.supportedVersions) && info.supportedVersions.length) return info.supportedVersions.map(String);
  if (info.cniVersion === '0.2.0') return ['0.1.0', '0.2.0'];
  throw new CniError(type, 'version', { code: 6, msg: 'printed version information without "supportedVersions"' });
}

/** Every plugin found and speaking the list's version, before the first one runs (libcni's ValidateNetworkList). */
async function preflight(list: CniConfList, o: Resolved): Promise<Located[]> {
  const located = locate(list, o);
  const seen = new Set<string>();
  for (const { conf, file } of located) {
    if (seen.has(file)) continue;
    seen.add(file);
    const versions = await pluginVersions(conf.type, file, o);
    if (!versions.includes(list.cniVersion)) {
      throw new PontError(`CNI plugin ${conf.type} (${file}) does not support cniVersion ${list.cniVersion} of network "${list.name}" (${list.source}): it supports ${describeVersions(versions)}`, { category: 'usage' });
    }
  }
  return located;
}

function execute(command: CniCommand, list: CniConfList, p: Located, rt: CniRuntime, o: Resolved, prevResult?: unknown): Promise<string> {
  const stdin = JSON.stringify(buildPluginRequest(list, p.conf, { prevResult, capabilityArgs: rt.capabilityArgs }));
  return runPlugin({ type: p.conf.type, file: p.file, command, env: pluginEnv(command, rt, o.path), stdin, timeoutMs: o.timeoutMs });
}

function parseResult(type: string, stdout: string): CniResult {
  try {
    const r = JSON.parse(stdout);
    if (typeof r === 'object' && r !== null && !Array.isArray(r)) return r as CniResult;
  } catch {
    // reported below
  }
  throw new CniError(type, 'add', { code: 6, msg: 'printed a result that is not a JSON object', details: stdout.trim().slice(0, 200) || '(nothing)' });
}

/**
 * ADD of every plugin in order, each given the previous one's result; the last result is cached
 * and returned. When a plugin fails, DEL runs for the whole list in reverse, as runtimes do
 * after a failed ADD (spec §3: "a delete must still be executed even if the add fails"), its
 * errors ignored, so nothing is left behind; then the plugin's error is thrown.
 */
export async function addNetworkList(list: CniConfList, rt: CniRuntime, opts?: ChainOptions): Promise<CniResult> {
  validateAttachment(rt);
  const o = resolveOptions(opts);
  const plugins = await preflight(list, o);
  let result: CniResult | undefined;
  try {
    for (const p of plugins) result = parseResult(p.conf.type, await execute('ADD', list, p, rt, o, result));
    try {
      writeCacheEntry(o.cacheDir, renderCacheEntry(list, rt, result));
    } catch (e) {
      throw new PontError(`cannot cache the CNI result of network "${list.name}" in ${o.cacheDir}: ${(e as Error).message}`, { category: 'kernel', cause: e });
    }
    return result!;
  } catch (e) {
    // the partial result names what was made so far (interfaces, addresses): the best prevResult there is
    const prev = atLeast(list.cniVersion, CACHED_PREV_RESULT_SINCE) ? result : undefined;
    for (const p of [...plugins].reverse()) await execute('DEL', list, p, rt, o, prev).catch(() => {});
    removeCacheEntry(o.cacheDir, list.name, rt);
    throw e;
  }
}

/**
 * DEL of every plugin in reverse, with the cached ADD result as prevResult (spec ≥ 0.4.0), or
 * none when there is no cache: plugins must succeed when things are already gone. Stops at the
 * first plugin that fails (spec §3), keeping the cache for a retry; removes it on success.
 */
export async function delNetworkList(list: CniConfList, rt: CniRuntime, opts?: ChainOptions): Promise<void> {
  validateAttachment(rt);
  const o = resolveOptions(opts);
  const plugins = locate(list, o);
  const cached = atLeast(list.cniVersion, CACHED_PREV_RESULT_SINCE) ? readCacheEntry(o.cacheDir, list.name, rt) : null;
  for (const p of [...plugins].reverse()) await execute('DEL', list, p, rt, o, cached?.result);
  removeCacheEntry(o.cacheDir, list.name, rt);
}

const checkSkipReason = (list: CniConfList): string | undefined =>
  list.disableCheck ? 'disableCheck is set' : !atLeast(list.cniVersion, CACHED_PREV_RESULT_SINCE) ? `cniVersion ${list.cniVersion} predates CHECK (0.4.0)` : undefined;

/**
 * CHECK of every plugin in order with the cached ADD result; stops at the first failure. Does
 * nothing when the list sets disableCheck or its version predates CHECK (libcni refuses the
 * latter with an error; a runtime's health check has nothing to ask such plugins).
 */
export async function checkNetworkList(list: CniConfList, rt: CniRuntime, opts?: ChainOptions): Promise<void> {
  if (checkSkipReason(list)) return;
  validateAttachment(rt);
  const o = resolveOptions(opts);
  const plugins = await preflight(list, o);
  const cached = readCacheEntry(o.cacheDir, list.name, rt);
  if (!cached?.result) throw noCache(list, rt, o);
  for (const p of plugins) await execute('CHECK', list, p, rt, o, cached.result);
}

const noCache = (list: CniConfList, rt: Pick<CniRuntime, 'containerId' | 'ifname'>, o: Resolved) =>
  new PontError(`no cached CNI result for network "${list.name}", container ${rt.containerId}, interface ${rt.ifname} in ${o.cacheDir}/results: not added, or already deleted`, { category: 'not-found' });

/** The result the last successful ADD cached for this attachment; null when there is none. */
export function readCachedResult(list: CniConfList, rt: Pick<CniRuntime, 'containerId' | 'ifname'>, opts?: ChainOptions): CniResult | null {
  const entry = readCacheEntry(resolveOptions(opts).cacheDir, list.name, rt);
  return (entry?.result as CniResult | undefined) ?? null;
}

export interface GcReport {
  /** plugin types that ran GC */
  ran: string[];
  /** "type: reason" for each plugin GC was not sent to */
  skipped: string[];
  /** "containerId/ifname" of cached attachments not in `valid`, deleted first (libcni's GCNetworkList) */
  deleted: string[];
}

/**
 * GC (spec 1.1): first DEL of the attachments cached for this network that `valid` does not
 * name, as libcni does; then GC to each plugin that speaks 1.1.0, with the valid attachments.
 * Plugins that don't (Debian's 1.1.1 build stops at 1.0.0) are reported in `skipped` with the
 * reason. A 1.x list's configuration is the same format at 1.1.0 (spec §1: compatible within a
 * major version), so a 1.0.0 list's plugin that speaks 1.1.0 is asked at 1.1.0. Errors do not
 * stop the others (spec §3); they are thrown together at the end.
 */
export async function gcNetworkList(list: CniConfList, valid: { containerId: string; ifname: string }[], opts?: ChainOptions): Promise<GcReport> {
  const o = resolveOptions(opts);
  const report: GcReport = { ran: [], skipped: [], deleted: [] };
  if (list.disableGC) {
    report.skipped = list.plugins.map((p) => `${p.type}: disableGC is set in ${list.source}`);
    return report;
  }
  const errors: string[] = [];
  const keep = new Set(valid.map((v) => `${v.containerId}/${v.ifname}`));
  for (const entry of listCacheEntries(o.cacheDir, list.name)) {
    const id = `${entry.containerId}/${entry.ifName}`;
    if (keep.has(id)) continue;
    const rt: CniRuntime = { containerId: entry.containerId, ifname: entry.ifName, netns: entry.netns ?? '', args: entry.cniArgs, capabilityArgs: entry.capabilityArgs };
    await delNetworkList(list, rt, o).then(() => report.deleted.push(id), (e: Error) => errors.push(`stale attachment ${id}: ${e.message}`));
  }
  const gcVersion = atLeast(list.cniVersion, GC_SINCE) ? list.cniVersion : GC_SINCE;
  const sameMajor = list.cniVersion.split('.')[0] === gcVersion.split('.')[0];
  const attachments = valid.map((v) => ({ containerID: v.containerId, ifname: v.ifname }));
  for (const conf of list.plugins) {
    if (!sameMajor) {
      report.skipped.push(`${conf.type}: cniVersion ${list.cniVersion} of the list predates GC (${GC_SINCE})`);
      continue;
    }
    try {
      const file = findPlugin(conf.type, o.path);
      const versions = await pluginVersions(conf.type, file, o);
      if (!versions.includes(gcVersion)) {
        report.skipped.push(`${conf.type}: supports CNI ${describeVersions(versions)}, GC needs ${gcVersion}`);
        continue;
      }
      // libcni also writes cni.dev/attachments, the key an early 1.1 draft named (cni#1101)
      const inject = { cniVersion: gcVersion, 'cni.dev/valid-attachments': attachments, 'cni.dev/attachments': attachments };
      const stdin = JSON.stringify(buildPluginRequest(list, conf, { inject }));
      await runPlugin({ type: conf.type, file, command: 'GC', env: pluginEnv('GC', {}, o.path), stdin, timeoutMs: o.timeoutMs });
      report.ran.push(conf.type);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  if (errors.length) throw new PontError(`GC of CNI network "${list.name}" failed: ${errors.join('; ')}`, { category: 'kernel' });
  return report;
}

/**
 * The shell lines that would run `command` on this attachment: per plugin, its environment and
 * path, and the exact JSON it gets on stdin as a quoted here-document. A prevResult that comes
 * from the previous plugin's output reads "$PREV_RESULT"; on DEL and CHECK it is the cached
 * result when there is one ("$CACHED_RESULT" for a CHECK without one, which would fail).
 */
export function explainNetworkList(command: 'ADD' | 'DEL' | 'CHECK', list: CniConfList, rt: CniRuntime, opts?: ChainOptions): string[] {
  const o = resolveOptions(opts);
  if (command === 'CHECK') {
    const why = checkSkipReason(list);
    if (why) return [`# CHECK of network ${list.name} skipped: ${why}`];
  }
  const cached = command !== 'ADD' && atLeast(list.cniVersion, CACHED_PREV_RESULT_SINCE) ? readCacheEntry(o.cacheDir, list.name, rt) : null;
  const order = command === 'DEL' ? [...list.plugins].reverse() : list.plugins;
  const env = pluginEnv(command, rt, o.path);
  const envWords = Object.entries(env)
    .filter(([k, v]) => k !== 'CNI_ARGS' || v !== '')
    .map(([k, v]) => `${k}=${shellArg(v)}`);
  const lines: string[] = [];
  order.forEach((conf, i) => {
    let file: string;
    try {
      file = findPlugin(conf.type, o.path);
    } catch (e) {
      lines.push(`# ${(e as Error).message}`);
      file = conf.type;
    }
    const prevResult = command === 'ADD' ? (i > 0 ? '$PREV_RESULT' : undefined) : (cached?.result ?? (command === 'CHECK' ? '$CACHED_RESULT' : undefined));
    const request = buildPluginRequest(list, conf, { prevResult, capabilityArgs: rt.capabilityArgs });
    lines.push(`${envWords.join(' ')} ${shellArg(file)} <<'EOF'`, JSON.stringify(request), 'EOF');
  });
  return lines;
}

