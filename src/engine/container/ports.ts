// A container's published ports: host ports chosen at run and start (fixed ones as asked, others
// from the ephemeral range), stored bindings as Docker stores them, and their withdrawal at stop.
import { daemonError } from '../../core/errors.js';
import type { ContainerRecord, NetworkRecord, PublishedPort, State } from '../../core/model.js';
import { PortAllocatorError } from '../../core/ports/errors.js';
import { allocateHostPorts, type ExposedPort, type PortBinding, type Proto } from '../../core/ports/portspec.js';
import type { Step } from '../../core/steps.js';
import { driverFor } from '../../drivers/registry.js';
import { ephemeralRange, hostBoundPorts } from '../../kernel/sockets.js';
import { atStart } from './errors.js';

/**
 * What the host holds (the Context reads it from /proc), read before the store's lock is taken:
 * host processes do not take it, so reading under it would be no less racy, only longer.
 */
export interface HostPorts {
  bound: Set<string>;
  range: { low: number; high: number };
}
export const readHostPorts = (): HostPorts => ({ bound: hostBoundPorts(), range: ephemeralRange() });

/**
 * For a container that publishes nothing: /proc/net/{tcp,udp}[6] are not read, their reading walks
 * the kernel's socket tables of every namespace (~4 ms beside 500 containers' resolvers).
 */
export const NO_HOST_PORTS: HostPorts = { bound: new Set(), range: { low: 0, high: 0 } };

export const portKey = (e: ExposedPort) => `${e.port}/${e.proto}`;

/**
 * Chooses host ports for the bindings (random ones from the ephemeral range, first free
 * ascending), refusing ports another container publishes or a host process holds.
 */
export function planPorts(state: State, net: NetworkRecord, bindings: PortBinding[], name: string, host: HostPorts, newId: () => string): PublishedPort[] {
  if (!bindings.length) return [];
  const inUse = new Set(host.bound);
  for (const c of state.containers) for (const p of c.ports) inUse.add(`${p.proto}:${p.hostIp || '0.0.0.0'}:${p.hostPort}`);
  let chosen: number[];
  try {
    chosen = allocateHostPorts(bindings, inUse, host.range);
  } catch (e) {
    if (!(e instanceof PortAllocatorError)) throw e;
    const msg = `driver failed programming external connectivity on endpoint ${name} (${newId()}): ${e.message}`;
    throw atStart(daemonError(msg.replace(/\.$/, '')));
  }
  return bindings.map((b, i) => ({ networkId: net.id, hostIp: b.hostIp, hostPort: chosen[i], containerPort: b.containerPort, proto: b.proto }));
}

/** HostConfig.PortBindings as Docker stores them: HostPort "" (any), "8000" or "8000-8010". */
export function storedBinding(b: PortBinding): ContainerRecord['portBindings'][number] {
  const hostPort = b.hostPortRange ? `${b.hostPortRange.start}-${b.hostPortRange.end}` : b.hostPort === null ? '' : String(b.hostPort);
  return { hostIp: b.hostIp, hostPort, containerPort: b.containerPort, proto: b.proto };
}

/** The inverse of storedBinding, for `start`. */
export function bindingOf(b: ContainerRecord['portBindings'][number]): PortBinding {
  const range = /^(\d+)-(\d+)$/.exec(b.hostPort);
  return {
    hostIp: b.hostIp,
    hostPort: range || b.hostPort === '' ? null : Number(b.hostPort),
    containerPort: b.containerPort,
    proto: b.proto as Proto,
    ...(range ? { hostPortRange: { start: Number(range[1]), end: Number(range[2]) } } : {}),
  };
}

/**
 * A stopped container publishes nothing: as Docker does on stop, its port rules go and its host
 * ports are free for others (its address stays, see D-stopped-keeps-address).
 */
export function planUnpublishAll(state: State, ctr: ContainerRecord): Step[] {
  const steps: Step[] = [];
  for (const ep of ctr.endpoints) {
    const net = state.networks.find((n) => n.id === ep.networkId);
    if (net) steps.push(...(driverFor(net.driver).planUnpublish?.(net, ctr, ep) ?? []));
  }
  return steps;
}
