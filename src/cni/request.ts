// A CNI invocation (SPEC section 2: environment variables + the network configuration on stdin)
// parsed into a typed request at the edge: nothing unchecked reaches the engine. Pure, no I/O.
// pont's own configuration keys, beside the spec's cniVersion/name/type:
//   { "type": "pont", "network": "NAME", "aliases": ["db"] }
// and what runtimes pass by convention (CONVENTIONS.md): CNI_ARGS K8S_POD_NAME (the container's
// name on the network) and IP, runtimeConfig "ips" and "aliases" (Podman's capability args).
import { parseIPv4 } from '../core/ipv4.js';
import { VALID_NAME } from '../core/names.js';
import { ifnameProblem } from '../core/validate/ifname.js';
import { CNI_CODE, CniError } from './errors.js';

export const SUPPORTED_VERSIONS = ['0.4.0', '1.0.0', '1.1.0'] as const;
/** What an error says when the request's own version cannot be read. */
export const LATEST_VERSION = '1.1.0';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION' | 'STATUS' | 'GC';
const COMMANDS: CniCommand[] = ['ADD', 'DEL', 'CHECK', 'VERSION', 'STATUS', 'GC'];

export interface PontNetConf {
  cniVersion: string;
  /** The network configuration's name (the conflist's). */
  name: string;
  /** The pont network the containers join. */
  network: string;
  aliases: string[];
  /** A previous plugin's result, passed through (pont is normally first in a chain). */
  prevResult?: Record<string, unknown>;
}

export interface Attachment {
  containerId: string;
  ifname: string;
  /** CNI_NETNS as given, and its name under /run/netns (absent for a DEL without one). */
  netnsPath?: string;
  netns?: string;
  /** From K8S_POD_NAME, else the container id's first 12 characters. */
  name: string;
  ip?: string;
}

export type CniRequest =
  | { command: 'VERSION'; cniVersion: string }
  | { command: 'STATUS'; conf: PontNetConf }
  | { command: 'GC'; conf: PontNetConf; valid: { containerId: string; ifname: string }[] }
  | { command: 'ADD' | 'CHECK'; conf: PontNetConf; attachment: Attachment & { netnsPath: string; netns: string } }
  | { command: 'DEL'; conf: PontNetConf; attachment: Attachment };

export type Env = Record<string, string | undefined>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const envError = (name: string, why: string) => new CniError(CNI_CODE.invalidEnvironment, `invalid ${name}: ${why}`);
const confError = (why: string) => new CniError(CNI_CODE.invalidConfig, `invalid network configuration: ${why}`);

/** The cniVersion an error should carry: the request's when it can be read. */
export function requestVersion(stdin: string): string {
  try {
    const v = (JSON.parse(stdin) as { cniVersion?: unknown }).cniVersion;
    return typeof v === 'string' && v !== '' ? v : LATEST_VERSION;
  } catch {
    return LATEST_VERSION;
  }
}

export function parseRequest(env: Env, stdin: string): CniRequest {
  const command = env.CNI_COMMAND;
  if (!command) throw envError('CNI_COMMAND', 'it is not set');
  if (!COMMANDS.includes(command as CniCommand)) throw envError('CNI_COMMAND', `"${command}" is none of ${COMMANDS.join(', ')}`);
  const json = parseJson(stdin, command === 'VERSION');
  if (command === 'VERSION') return { command, cniVersion: typeof json.cniVersion === 'string' && json.cniVersion ? json.cniVersion : LATEST_VERSION };
  const conf = parseConf(json);
  if ((command === 'STATUS' || command === 'GC') && conf.cniVersion !== '1.1.0') {
    throw new CniError(CNI_CODE.incompatibleVersion, `incompatible CNI versions: ${command} is an operation of spec 1.1.0, the configuration says ${conf.cniVersion}`);
  }
  if (command === 'STATUS') return { command, conf };
  if (command === 'GC') return { command, conf, valid: parseValidAttachments(json['cni.dev/valid-attachments']) };
  const attachment = parseAttachment(env, json, conf, command === 'DEL');
  if (command === 'DEL') return { command, conf, attachment };
  if (!attachment.netnsPath) throw envError('CNI_NETNS', `it is required for ${command}`);
  return { command: command as 'ADD' | 'CHECK', conf, attachment: attachment as Attachment & { netnsPath: string; netns: string } };
}

function parseJson(stdin: string, lenient: boolean): Record<string, unknown> {
  if (lenient && stdin.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(stdin);
  } catch (e) {
    throw new CniError(CNI_CODE.decode, 'the network configuration on stdin is not JSON', (e as Error).message);
  }
  if (!isObject(json)) throw new CniError(CNI_CODE.decode, 'the network configuration on stdin is not a JSON object');
  return json;
}

function parseConf(json: Record<string, unknown>): PontNetConf {
  const cniVersion = json.cniVersion;
  if (typeof cniVersion !== 'string' || !(SUPPORTED_VERSIONS as readonly string[]).includes(cniVersion)) {
    throw new CniError(CNI_CODE.incompatibleVersion, 'incompatible CNI versions', `config is ${JSON.stringify(cniVersion ?? null)}, plugin supports ${JSON.stringify(SUPPORTED_VERSIONS)}`);
  }
  if (typeof json.name !== 'string' || json.name === '') throw confError('"name" must be a non-empty string');
  if (typeof json.network !== 'string' || json.network === '') {
    throw confError(`"network" must name the pont network to join, e.g. {"type": "pont", "network": "mynet"}; found ${JSON.stringify(json.network ?? null)}`);
  }
  const aliases = stringList(json.aliases, '"aliases"');
  // Podman passes its network aliases as the "aliases" capability, keyed by network name
  const runtime = isObject(json.runtimeConfig) ? json.runtimeConfig : {};
  if (isObject(runtime.aliases)) aliases.push(...stringList(runtime.aliases[json.name], `runtimeConfig.aliases.${json.name}`));
  if (json.prevResult !== undefined && !isObject(json.prevResult)) throw confError('"prevResult" must be an object');
  return {
    cniVersion,
    name: json.name,
    network: json.network,
    aliases: [...new Set(aliases)],
    ...(isObject(json.prevResult) ? { prevResult: json.prevResult } : {}),
  };
}

function stringList(v: unknown, what: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === '')) throw confError(`${what} must be a list of non-empty strings`);
  return [...(v as string[])];
}

/** CNI_ARGS: "K=V;K2=V2" (SPEC section 2). */
export function parseCniArgs(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!text) return out;
  for (const pair of text.split(';')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    if (at <= 0) throw envError('CNI_ARGS', `"${pair}" is not KEY=VALUE`);
    out.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return out;
}

/** /run/netns/NAME (or /var/run/netns/NAME): where Podman, `ip netns` and pont put named namespaces. */
export function netnsName(path: string): string | null {
  const m = /^(?:\/var)?\/run\/netns\/([^/\0]+)$/.exec(path);
  return m && m[1] !== '.' && m[1] !== '..' ? m[1] : null;
}

function parseAttachment(env: Env, json: Record<string, unknown>, conf: PontNetConf, isDel: boolean): Attachment {
  const containerId = env.CNI_CONTAINERID ?? '';
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(containerId)) {
    throw envError('CNI_CONTAINERID', containerId ? `"${containerId}" must start with a letter or digit, then only letters, digits, '_', '.' and '-'` : 'it is not set');
  }
  const ifname = env.CNI_IFNAME ?? '';
  const problem = ifnameProblem(ifname, 'parent');
  if (problem) throw envError('CNI_IFNAME', `"${ifname}": ${problem}`);
  const path = env.CNI_NETNS || undefined;
  const netns = path === undefined ? undefined : netnsName(path);
  // a DEL cleans up whatever it is given: pont's record knows the namespace
  if (path !== undefined && netns === null && !isDel) {
    throw envError('CNI_NETNS', `"${path}" is not a network namespace under /run/netns (pont joins namespaces named there, as Podman and ip netns make them)`);
  }
  const args = parseCniArgs(env.CNI_ARGS);
  const pod = args.get('K8S_POD_NAME');
  if (pod !== undefined && pod !== '' && !VALID_NAME.test(pod)) {
    throw envError('CNI_ARGS', `K8S_POD_NAME "${pod}" is no valid container name (only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed)`);
  }
  const name = pod || containerId.slice(0, 12).replace(/^[^A-Za-z0-9]+/, '');
  return {
    containerId,
    ifname,
    ...(path !== undefined && netns ? { netnsPath: path, netns } : {}),
    name: VALID_NAME.test(name) ? name : `cni-${name}`,
    ...parseIp(args.get('IP'), json, conf),
  };
}

/** A requested address: CNI_ARGS IP=, or the "ips" capability (runtimeConfig.ips, CIDR or plain). */
function parseIp(fromArgs: string | undefined, json: Record<string, unknown>, conf: PontNetConf): { ip?: string } {
  const runtime = isObject(json.runtimeConfig) ? json.runtimeConfig : {};
  const fromCap = Array.isArray(runtime.ips) && typeof runtime.ips[0] === 'string' ? runtime.ips[0] : undefined;
  const given = fromArgs || fromCap;
  if (!given) return {};
  const ip = given.split('/')[0];
  if (parseIPv4(ip) === null) throw confError(`requested address "${given}" for ${conf.network} is no IPv4 address`);
  return { ip };
}

function parseValidAttachments(v: unknown): { containerId: string; ifname: string }[] {
  // without the list, every attachment would look stale: refuse rather than remove them all
  if (!Array.isArray(v)) throw confError('GC needs "cni.dev/valid-attachments" (a list of {containerID, ifname})');
  return v.map((a, i) => {
    if (!isObject(a) || typeof a.containerID !== 'string' || typeof a.ifname !== 'string') {
      throw confError(`cni.dev/valid-attachments[${i}] must be {"containerID": "...", "ifname": "..."}`);
    }
    return { containerId: a.containerID, ifname: a.ifname };
  });
}
