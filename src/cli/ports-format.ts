// `docker ps` PORTS column for a container: its published ports and the exposed ones, grouped
// as the docker CLI groups them. pont publishes IPv4 only, so no "[::]" twins.
import type { ContainerRecord } from '../core/model.js';
import { formatPsPorts as display, toPsPorts, type Proto } from '../core/ports/portspec.js';

export function formatPsPorts(c: ContainerRecord): string {
  const exposed = c.exposed.map((e) => ({ port: Number(e.split('/')[0]), proto: e.split('/')[1] as Proto }));
  const bound = c.ports.map((p) => ({ binding: { hostIp: p.hostIp, hostPort: p.hostPort, containerPort: p.containerPort, proto: p.proto }, hostPort: p.hostPort }));
  return display(toPsPorts(exposed, bound));
}
