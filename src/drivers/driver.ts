// The driver interface: a handful of verbs that return plans (lists of Steps), never act.
// host and none return near-empty plans, which documents them.
import type { Step } from '../core/steps.js';
import type { Kernel } from '../kernel/kernel.js';
import type { ContainerRecord, DriverName, EndpointRecord, NetworkRecord } from '../core/model.js';

export interface DriverCapabilities {
  /** Addresses come from pont's IPAM (false for host/none). */
  ipam: boolean;
  /** -p publishes ports through this network. */
  ports: boolean;
  /** The embedded DNS serves this network's containers (user-defined networks only). */
  dns: boolean;
  /** Only the predefined network of this driver may exist. */
  singleton: boolean;
}

/** Where an endpoint joins, for drivers whose kernel objects depend on this host (overlay). */
export interface Here {
  /** No other endpoint of this network on this host: the attach makes the network's devices, the detach removes them. */
  alone: boolean;
  /** This host's underlay address (the VTEP's local address) and the MTU of the link that holds it. */
  local: string;
  underlayMtu: number;
  /** This host's id in the cluster store. */
  host: string;
}

export interface NetworkDriver {
  readonly name: DriverName;
  readonly capabilities: DriverCapabilities;
  /**
   * Checks -o options and fills driver fields of the record (e.g. the bridge name); throws
   * PontError. May read the kernel (does the parent exist?), never changes it. `pending`: links
   * a crashed command made, which the command rolls back first (a dry run finds them still there).
   */
  validate(net: NetworkRecord, others: NetworkRecord[], k: Kernel, pending?: ReadonlySet<string>): Promise<NetworkRecord>;
  planCreate(net: NetworkRecord): Step[];
  planDelete(net: NetworkRecord): Step[];
  planAttach(net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord, here?: Here): Step[];
  planDetach(net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord, here?: Here): Step[];
  /** Drivers that publish ports: the steps that publish `ctr.ports` on this endpoint's network… */
  planPublish?(net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord): Step[];
  /** …and the steps that withdraw them. */
  planUnpublish?(net: NetworkRecord, ctr: ContainerRecord, ep: EndpointRecord): Step[];
}
