// `docker run -p/--publish`, `--expose` and `-P` parsing with Docker 20.10 semantics:
// docker/cli opts.go (convertToStandardNotation, --expose loop) on top of go-connections
// v0.4.0 nat.ParsePortSpec. Check order and error texts follow that code so the first
// error reported for a bad value is the one Docker reports.

import { parsePortRange, splitHostPort, splitParts, splitProtoPort, isGoIP } from './goparse.js';
import { PortSpecError } from './errors.js';
import { PROTOS, type ExposedPort, type PortBinding, type Proto } from './types.js';

export type { ExposedPort, HostPortRange, PortBinding, Proto, PsPort } from './types.js';
export { PROTOS } from './types.js';
export {
  AllPortsAllocatedError, DOCKER_RUN_USAGE_EXIT, PortAllocatedError, PortAllocatorError, PortSpecError,
  dockerRunErrorText, dockerStartErrorText,
} from './errors.js';
export { formatPortBinding, formatPsPorts, toPsPorts } from './format.js';
export { allocateHostPorts, type PortRange } from './allocate.js';

const isProto = (p: string): p is Proto => (PROTOS as readonly string[]).includes(p);

/**
 * The long form `target=80,published=8080,protocol=udp` becomes "8080:80/udp" before parsing
 * (docker/cli 20.10 convertToStandardNotation; missing keys become empty, extra keys ignored).
 */
function toStandardNotation(spec: string): string {
  if (!spec.includes('=')) return spec;
  const params = new Map<string, string>([['protocol', 'tcp']]);
  for (const param of spec.split(',')) {
    const opt = param.split('=');
    if (opt.length < 2) {
      throw new PortSpecError(`invalid publish opts format (should be name=value but got '${param}')`);
    }
    params.set(opt[0], opt[1]);
  }
  return `${params.get('published') ?? ''}:${params.get('target') ?? ''}/${params.get('protocol')}`;
}

/** One -p value → its bindings, one per container port. */
export function parsePublish(spec: string): PortBinding[] {
  const raw = toStandardNotation(spec);
  const [rawIP, hostPort, containerSpec] = splitParts(raw);
  const [proto, containerPort] = splitProtoPort(containerSpec);

  // Docker strips [] by asking SplitHostPort about "<ip>:", hence its odd texts for bad IPv6.
  let ip: string;
  try {
    [ip] = splitHostPort(rawIP + ':');
  } catch (e) {
    throw new PortSpecError(`Invalid ip address ${rawIP}: ${(e as Error).message}`);
  }
  if (ip !== '' && !isGoIP(ip)) throw new PortSpecError(`Invalid ip address: ${ip}`);
  if (containerPort === '') throw new PortSpecError(`No port specified: ${raw}<empty>`);

  let start: number, end: number;
  try {
    [start, end] = parsePortRange(containerPort);
  } catch {
    throw new PortSpecError(`Invalid containerPort: ${containerPort}`);
  }
  let hostStart = 0, hostEnd = 0;
  if (hostPort !== '') {
    try {
      [hostStart, hostEnd] = parsePortRange(hostPort);
    } catch {
      throw new PortSpecError(`Invalid hostPort: ${hostPort}`);
    }
    // A host range with a single container port is allowed: it is the range to allocate from.
    if (end - start !== hostEnd - hostStart && end !== start) {
      throw new PortSpecError(`Invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
    }
  }
  // Checked last, and reported in the case the user typed.
  const lproto = proto.toLowerCase();
  if (!isProto(lproto)) throw new PortSpecError(`Invalid proto: ${proto}`);

  const out: PortBinding[] = [];
  for (let i = 0; i <= end - start; i++) {
    const b: PortBinding = { hostIp: ip, hostPort: null, containerPort: start + i, proto: lproto };
    if (start === end && hostStart !== hostEnd) {
      b.hostPortRange = { start: hostStart, end: hostEnd };
    } else if (hostPort !== '' && hostStart + i !== 0) {
      b.hostPort = hostStart + i; // HostPort "0" means "pick one", same as none
    }
    out.push(b);
  }
  return out;
}

/**
 * pont's firewall is IPv4 only (iptables, no ip6tables): an IPv6 host address, `::` and the
 * IPv4-mapped form included, is refused here rather than becoming an iptables rule that fails.
 * Docker 20.10 accepts them (it publishes through ip6tables or its proxy).
 */
export function requireIPv4HostIps(bindings: PortBinding[]): PortBinding[] {
  for (const b of bindings) {
    if (b.hostIp.includes(':')) throw new PortSpecError(`Invalid ip address: ${b.hostIp}: pont publishes ports on IPv4 host addresses only`);
  }
  return bindings;
}

/**
 * nat.ParsePortSpecs over every -p value: all bindings in order, plus the container ports they
 * expose (Docker adds each published port to Config.ExposedPorts).
 */
export function parsePublishSpecs(specs: string[]): { exposed: ExposedPort[]; bindings: PortBinding[] } {
  const bindings = specs.flatMap(parsePublish);
  return { exposed: dedupe(bindings.map((b) => ({ port: b.containerPort, proto: b.proto }))), bindings };
}

/** One --expose value; ranges expand to one entry per port. */
export function parseExpose(spec: string): ExposedPort[] {
  if (spec.includes(':')) throw new PortSpecError(`invalid port format for --expose: ${spec}`);
  const [proto, port] = splitProtoPort(spec);
  let start: number, end: number;
  try {
    [start, end] = parsePortRange(port);
  } catch (e) {
    throw new PortSpecError(`invalid range format for --expose: ${spec}, error: ${(e as Error).message}`);
  }
  // Docker 20.10 does not check the protocol here (it would store e.g. "80/foo" or "80/TCP");
  // pont can only represent tcp/udp/sctp, so it normalises case and refuses the rest.
  const lproto = proto.toLowerCase();
  if (!isProto(lproto)) throw new PortSpecError(`Invalid proto: ${proto}`);
  const out: ExposedPort[] = [];
  for (let p = start; p <= end; p++) out.push({ port: p, proto: lproto });
  return out;
}

const key = (port: number, proto: string) => `${port}/${proto}`;

function dedupe(list: ExposedPort[]): ExposedPort[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = key(e.port, e.proto);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * -P: every exposed port without an explicit binding gets one on all addresses with a
 * daemon-chosen host port. Explicit bindings come first, unchanged; the added ones follow in
 * port order, tcp before udp before sctp (as nat.SortPortMap puts them to the allocator).
 */
export function planPublishAll(exposed: ExposedPort[], explicit: PortBinding[]): PortBinding[] {
  const published = new Set(explicit.map((b) => key(b.containerPort, b.proto)));
  const added = dedupe(exposed)
    .filter((e) => !published.has(key(e.port, e.proto)))
    .sort((a, b) => a.port - b.port || PROTOS.indexOf(a.proto) - PROTOS.indexOf(b.proto))
    .map((e): PortBinding => ({ hostIp: '', hostPort: null, containerPort: e.port, proto: e.proto }));
  return [...explicit, ...added];
}
