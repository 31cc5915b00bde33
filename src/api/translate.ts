// Docker API bodies into pont's typed requests, with the checks the CLI makes on its flags (the
// same parsers): an unchecked value never reaches the engine. Pure; unit-tested without root.
import type { CreateNetworkRequest } from '../engine/network/create.js';
import type { RunRequest } from '../engine/container/run.js';
import { parseIPv4 } from '../core/ipv4.js';
import { parseExpose, parsePublish, requireIPv4HostIps, type PortBinding } from '../core/ports/portspec.js';
import { parseAddHost, parseAlias, parseContainerName, parseDns, parseDnsOption, parseDnsSearch, parseHostname, parseMac } from '../core/validate/container-flags.js';
import { parseAuxAddresses, parseNetworkName } from '../core/validate/network-flags.js';
import { CONTROL } from '../core/validate/flag-error.js';
import { ApiError, badRequest, toApiError } from './errors.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(v: unknown, what: string): Json {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw badRequest(`${what} must be an object`);
  return v;
}

/**
 * A list of strings; with `slice`, Docker's strslice, where a single string is a one-element list
 * (container Cmd and Entrypoint).
 */
export function strings(v: unknown, what: string, slice = false): string[] {
  if (v === undefined || v === null) return [];
  if (slice && typeof v === 'string') return [v];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badRequest(`${what} must be a list of strings`);
  return v as string[];
}

function optString(v: unknown, what: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw badRequest(`${what} must be a string`);
  return v;
}

function stringMap(v: unknown, what: string): Record<string, string> {
  const o = object(v, what);
  const out: [string, string][] = [];
  for (const [k, x] of Object.entries(o)) {
    if (typeof x !== 'string') throw badRequest(`${what}: the value of ${JSON.stringify(k)} must be a string`);
    if (CONTROL.test(k) || CONTROL.test(x)) throw badRequest(`${what}: control characters are not allowed`);
    out.push([k, x]);
  }
  return Object.fromEntries(out);
}

/** A FlagError or PontError thrown by a CLI parser keeps its text, as a 400. */
function checked<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw e instanceof ApiError ? e : badRequest(toApiError(e).message);
  }
}

/** POST /networks/create → the request `pont network create` makes. */
export function networkCreateRequest(body: unknown): CreateNetworkRequest {
  const b = object(body, 'body');
  if (typeof b.Name !== 'string') throw badRequest('network name must be a string');
  const name = checked(() => parseNetworkName(b.Name as string));
  if (b.EnableIPv6 === true) throw badRequest('pont networks are IPv4 only: EnableIPv6 is not supported (docs/differences.md)');
  if (b.Ingress === true) throw badRequest('ingress networks belong to swarm mode, which pont does not have');
  // not silently a network of its own: pont has no configuration-only networks
  if (b.ConfigOnly === true || (b.ConfigFrom !== undefined && b.ConfigFrom !== null)) throw badRequest('pont has no configuration-only networks: --config-only and --config-from are not supported');
  const ipam = object(b.IPAM, 'IPAM');
  const ipamDriver = optString(ipam.Driver, 'IPAM.Driver');
  // checked as --ipam-opt is, key by key (a key may hold "=", which a k=v string would split)
  const ipamOptions = stringMap(ipam.Options, 'IPAM.Options');
  for (const [k, v] of Object.entries(ipamOptions)) {
    if (k === '') throw badRequest('IPAM.Options: invalid key: it is empty');
    if (CONTROL.test(k) || CONTROL.test(v)) throw badRequest('control characters are not allowed');
  }
  const scope = optString(b.Scope, 'Scope');
  for (const v of [ipamDriver, scope]) if (v !== undefined && CONTROL.test(v)) throw badRequest('control characters are not allowed');
  const configs = ipam.Config === undefined || ipam.Config === null ? [] : ipam.Config;
  if (!Array.isArray(configs)) throw badRequest('IPAM.Config must be a list');
  if (configs.length > 1) throw badRequest(`${optString(b.Driver, 'Driver') ?? 'bridge'} driver doesn't support multiple subnets`);
  const c = object(configs[0], 'IPAM.Config[0]');
  const subnet = optString(c.Subnet, 'Subnet');
  const gateway = optString(c.Gateway, 'Gateway');
  const ipRange = optString(c.IPRange, 'IPRange');
  if ((gateway || ipRange) && !subnet) throw badRequest('every ip-range or gateway must have a corresponding subnet');
  const aux = stringMap(c.AuxiliaryAddresses ?? c.AuxAddress, 'AuxiliaryAddresses');
  const auxList = Object.entries(aux).map(([k, v]) => `${k}=${v}`);
  for (const v of [subnet, gateway, ipRange]) if (v !== undefined && CONTROL.test(v)) throw badRequest('control characters are not allowed');
  return {
    name,
    driver: optString(b.Driver, 'Driver') ?? 'bridge',
    subnet,
    gateway,
    ipRange,
    auxAddresses: auxList.length ? checked(() => parseAuxAddresses(auxList)) : undefined,
    internal: b.Internal === true,
    attachable: b.Attachable === true,
    labels: stringMap(b.Labels, 'Labels'),
    options: stringMap(b.Options, 'Options'),
    ipamDriver,
    ipamOptions,
    scope,
  };
}

/** POST /networks/{id}/connect → container, address and aliases. */
export function networkConnectRequest(body: unknown): { container: string; ip?: string; aliases: string[] } {
  const b = object(body, 'body');
  if (typeof b.Container !== 'string' || b.Container === '') throw badRequest('no container specified');
  const ep = object(b.EndpointConfig, 'EndpointConfig');
  const ipam = object(ep.IPAMConfig, 'IPAMConfig');
  // a malformed address is the engine's to refuse: after its refusals of any address on some networks, as Docker's
  const ip = optString(ipam.IPv4Address, 'IPv4Address');
  const aliases = strings(ep.Aliases, 'Aliases').map((a) => checked(() => parseAlias('--alias', a)));
  return { container: b.Container, ip, aliases };
}

/** The bindings of HostConfig.PortBindings, through `-p`'s own parser. */
function portBindings(v: unknown): PortBinding[] {
  const out: PortBinding[] = [];
  for (const [key, list] of Object.entries(object(v, 'PortBindings'))) {
    const targets = list === null ? [{}] : list;
    if (!Array.isArray(targets)) throw badRequest(`PortBindings ${key} must be a list`);
    for (const t of targets) {
      const o = object(t, `PortBindings ${key}`);
      const ip = optString(o.HostIp, 'HostIp') ?? '';
      const port = optString(o.HostPort, 'HostPort') ?? '';
      const hostIp = ip.includes(':') ? `[${ip}]` : ip;
      const spec = hostIp ? `${hostIp}:${port}:${key}` : port ? `${port}:${key}` : key;
      if (CONTROL.test(spec)) throw badRequest('control characters are not allowed');
      out.push(...checked(() => requireIPv4HostIps(parsePublish(spec))));
    }
  }
  return out;
}

export interface ContainerCreate {
  request: RunRequest;
  /** What pont takes and ignores (volumes, restart policies…), said back as Docker's Warnings. */
  warnings: string[];
}

/** POST /containers/create?name= → the request `pont run` makes, without starting. */
export function containerCreateRequest(name: string | null, body: unknown): ContainerCreate {
  const b = object(body, 'body');
  const host = object(b.HostConfig, 'HostConfig');
  const netConfig = object(object(b.NetworkingConfig, 'NetworkingConfig').EndpointsConfig, 'EndpointsConfig');
  const warnings: string[] = [];
  const image = optString(b.Image, 'Image');
  if (!image) throw badRequest('No command specified');
  const entrypoint = strings(b.Entrypoint, 'Entrypoint', true);
  const cmd = strings(b.Cmd, 'Cmd', true);
  const mode = optString(host.NetworkMode, 'NetworkMode');
  if (mode?.startsWith('container:')) throw badRequest('pont containers cannot share another container\'s network namespace (--network container:…)');
  const network = mode === undefined || mode === 'default' ? undefined : mode;
  const endpoints = Object.entries(netConfig);
  if (endpoints.length > 1) throw badRequest(`Container cannot be connected to network endpoints: ${endpoints.map(([n]) => n).sort().join(', ')}`);
  const ep = endpoints.length ? object(endpoints[0][1], 'EndpointsConfig') : {};
  const ip = optString(object(ep.IPAMConfig, 'IPAMConfig').IPv4Address, 'IPv4Address');
  if (ip !== undefined && parseIPv4(ip) === null) throw badRequest(`invalid IPv4 address: ${ip}`);
  const mac = optString(b.MacAddress, 'MacAddress') ?? optString(ep.MacAddress, 'MacAddress');
  if (strings(host.Binds, 'Binds').length || Object.keys(object(b.Volumes, 'Volumes')).length) warnings.push('pont containers see the host\'s filesystem: volumes and binds are ignored');
  const restart = optString(object(host.RestartPolicy, 'RestartPolicy').Name, 'RestartPolicy.Name');
  if (restart && restart !== 'no') warnings.push(`pont has no restart policies: "${restart}" is ignored`);
  const labels = stringMap(b.Labels, 'Labels');
  return {
    warnings,
    request: {
      name: name === null || name === '' ? undefined : checked(() => parseContainerName(name)),
      network,
      ip,
      hostname: optString(b.Hostname, 'Hostname') === undefined ? undefined : checked(() => parseHostname(b.Hostname as string)),
      mac: mac === undefined ? undefined : checked(() => parseMac(mac)),
      aliases: strings(ep.Aliases, 'Aliases').map((a) => checked(() => parseAlias('--network-alias', a))),
      dns: strings(host.Dns, 'Dns').map((d) => checked(() => parseDns(d))),
      dnsSearch: strings(host.DnsSearch, 'DnsSearch').map((d) => checked(() => parseDnsSearch(d))),
      dnsOptions: strings(host.DnsOptions, 'DnsOptions').map((d) => checked(() => parseDnsOption(d))),
      extraHosts: strings(host.ExtraHosts, 'ExtraHosts').map((h) => checked(() => parseAddHost(h))).map((h) => `${h.host}:${h.ip}`),
      detach: true,
      interactive: b.OpenStdin === true,
      tty: b.Tty === true,
      autoRemove: host.AutoRemove === true,
      env: envList(b.Env, 'drop'),
      // the image word, then the command: the entrypoint's words come first, as Docker joins them
      args: [image, ...entrypoint, ...cmd],
      publish: portBindings(host.PortBindings),
      expose: Object.keys(object(b.ExposedPorts, 'ExposedPorts')).flatMap((p) => checked(() => parseExpose(p))),
      publishAll: host.PublishAllPorts === true,
      labels,
      start: false,
    },
  };
}

/** A line pont's CLI prints as "WARNING: …", as the API's Warnings hold it (the client adds the prefix). */
export const unprefixed = (line: string): string => line.replace(/^WARNING: /, '');

/**
 * `Env` entries: NAME=VALUE, or a NAME alone, which Docker's CLI sends for `-e NAME` when its
 * caller has no NAME: dockerd then unsets NAME (an exec's: the container's NAME is taken away,
 * core/env.ts containerEnv; a container's: pont has no image variables to unset, so it is left
 * out). An empty name and a NUL, which no process can be given, are refused.
 */
export function envList(v: unknown, bare: 'keep' | 'drop'): string[] {
  const list = strings(v, 'Env');
  for (const e of list) {
    if (e === '' || e.startsWith('=')) throw badRequest(`invalid environment variable: ${JSON.stringify(e)} (NAME=VALUE)`);
    if (e.includes('\0')) throw badRequest('Env: a value holds a NUL byte');
  }
  return bare === 'keep' ? list : list.filter((e) => e.includes('='));
}
