// none (Docker's "null" driver): a namespace with loopback only. Nothing to create or attach.
import type { NetworkDriver } from './driver.js';

export const noneDriver: NetworkDriver = {
  name: 'null',
  capabilities: { ipam: false, ports: false, dns: false, singleton: true },
  validate: async (net) => net,
  planCreate: () => [],
  planDelete: () => [],
  planAttach: () => [],
  planDetach: () => [],
};
