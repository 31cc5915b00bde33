// host and none: drivers with nothing to create, attach or undo, which documents them.
// host: the container shares the host's network namespace. none (Docker's "null" driver): a
// namespace with loopback only. Only their predefined networks exist.
import type { DriverName } from '../core/model.js';
import type { NetworkDriver } from './driver.js';

function passiveDriver(name: DriverName): NetworkDriver {
  return {
    name,
    capabilities: { ipam: false, ports: false, dns: false, singleton: true },
    validate: async (net) => net,
    planCreate: () => [],
    planDelete: () => [],
    planAttach: () => [],
    planDetach: () => [],
  };
}

export const hostDriver = passiveDriver('host');
export const noneDriver = passiveDriver('null');
