// `docker ps` PORTS column for a container's published ports.
import type { ContainerRecord } from '../core/model.js';

export function formatPsPorts(c: ContainerRecord): string {
  return c.ports.map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${p.proto}`).join(', ');
}
