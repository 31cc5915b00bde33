// host: the container shares the host's network namespace. Nothing to create, attach or undo.
import type { NetworkDriver } from './driver.js';

export const hostDriver: NetworkDriver = {
  name: 'host',
  capabilities: { ipam: false, ports: false, dns: false, singleton: true },
  validate: async (net) => net,
  planCreate: () => [],
  planDelete: () => [],
  planAttach: () => [],
  planDetach: () => [],
};
