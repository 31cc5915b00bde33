// What one plugin execution gets (SPEC.md §2 "Parameters", §3 "Deriving request configuration"):
// its environment and its stdin, built from the list, the attachment and the previous result;
// and what a failed plugin said, read back as the spec's error structure. Pure.
import type { CniConfList, CniPluginConf } from './config.js';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'GC' | 'VERSION' | 'STATUS';

export interface CniAttachment {
  containerId: string;
  netns: string;
  ifname: string;
  args?: [string, string][];
  capabilityArgs?: Record<string, unknown>;
}

/** A plugin's stdin: its configuration with the list's name and version, and what the command adds. */
export function buildPluginRequest(
  list: Pick<CniConfList, 'name' | 'cniVersion'>,
  plugin: CniPluginConf,
  add: { prevResult?: unknown; capabilityArgs?: Record<string, unknown>; inject?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const req: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(plugin)) {
    // spec §3: `capabilities` must not be set; keys under cni.dev/ are the runtime's to write
    if (k === 'capabilities' || k.startsWith('cni.dev/')) continue;
    req[k] = v;
  }
  req.name = list.name;
  req.cniVersion = list.cniVersion;
  if (add.prevResult !== undefined && add.prevResult !== null) req.prevResult = add.prevResult;
  const runtimeConfig = selectRuntimeConfig(plugin, add.capabilityArgs);
  if (runtimeConfig) req.runtimeConfig = runtimeConfig;
  Object.assign(req, add.inject);
  return req;
}

/** The capability arguments whose key the plugin declares true in `capabilities`; none → undefined. */
export function selectRuntimeConfig(plugin: CniPluginConf, capabilityArgs: Record<string, unknown> = {}): Record<string, unknown> | undefined {
  const caps = plugin.capabilities;
  if (typeof caps !== 'object' || caps === null) return undefined;
  const picked = Object.entries(caps as Record<string, unknown>).filter(([k, on]) => on === true && capabilityArgs[k] !== undefined);
  return picked.length ? Object.fromEntries(picked.map(([k]) => [k, capabilityArgs[k]])) : undefined;
}

/** CNI_ARGS: "K=V;K2=V2", as libcni joins them. */
export const renderCniArgs = (args: readonly [string, string][] = []): string => args.map(([k, v]) => `${k}=${v}`).join(';');

/** The CNI_* variables for one execution, in the order libcni sets them; GC and VERSION leave the attachment empty. */
export function pluginEnv(command: CniCommand, at: Partial<CniAttachment>, path: readonly string[]): Record<string, string> {
  return {
    CNI_COMMAND: command,
    CNI_CONTAINERID: at.containerId ?? '',
    CNI_NETNS: at.netns ?? '',
    CNI_ARGS: renderCniArgs(at.args),
    CNI_IFNAME: at.ifname ?? '',
    CNI_PATH: path.join(':'),
  };
}

export interface PluginErrorReport {
  code: number;
  msg: string;
  details?: string;
}

/** Squeezes a plugin's text onto one line: a multi-line msg must not break the one-line error. */
const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/**
 * What a failed plugin said: the spec's error structure on stdout ({cniVersion, code, msg,
 * details}); else its stderr or its stdout as text, code 0 (no structured error).
 */
export function parsePluginError(stdout: string, stderr: string, exit: string): PluginErrorReport {
  const out = stdout.trim();
  if (out) {
    try {
      const e = JSON.parse(out) as Record<string, unknown>;
      if (typeof e === 'object' && e !== null && (typeof e.msg === 'string' || typeof e.code === 'number')) {
        const details = typeof e.details === 'string' && e.details.trim() ? oneLine(e.details) : undefined;
        return { code: typeof e.code === 'number' ? e.code : 0, msg: oneLine(typeof e.msg === 'string' && e.msg ? e.msg : `error code ${e.code}`), ...(details ? { details } : {}) };
      }
    } catch {
      // not the spec's structure: reported as text below
    }
  }
  const text = oneLine(stderr) || oneLine(out);
  return text ? { code: 0, msg: text, details: exit } : { code: 0, msg: `failed with no message (${exit})` };
}
