// What the CNI verbs share: the request they take, the record of a runtime's container (one per
// CNI_CONTAINERID, an endpoint per CNI_IFNAME) and the errors a runtime must tell apart.
import { CNI_CODE, CniError } from '../../cni/errors.js';
import { daemonError } from '../../core/errors.js';
import type { ContainerRecord, NetworkRecord, State } from '../../core/model.js';
import { findNetwork } from '../lookup.js';

export interface CniAttachRequest {
  /** The pont network (the configuration's "network"). */
  network: string;
  containerId: string;
  /** CNI_NETNS as given, and its name under /run/netns. */
  netnsPath: string;
  netns: string;
  ifname: string;
  /** The container's name on the network (its DNS name). */
  name: string;
  aliases: string[];
  ip?: string;
}

export interface CniDetachRequest {
  network: string;
  containerId: string;
  ifname: string;
}

/** The image column of `pont ps` for a runtime's container. */
export const CNI_IMAGE = '(cni)';

export const externalRecord = (state: State, containerId: string): ContainerRecord | undefined =>
  state.containers.find((c) => c.external?.containerId === containerId);

export function mustFindNetwork(state: State, ref: string): NetworkRecord {
  const net = findNetwork(state, ref);
  if (!net) throw new CniError(CNI_CODE.invalidConfig, `pont network ${ref} not found`, `create it first: pont network create ${ref}`);
  return net;
}

/** `stop`, `start`, `rm` of a runtime's container: its process and namespace are the runtime's. */
export function refuseExternal(c: ContainerRecord, verb: string, hint = ''): void {
  if (!c.external) return;
  throw daemonError(`container ${c.name} was attached by a CNI runtime (its container ${c.external.containerId.slice(0, 12)}): ${verb} it with that runtime${hint}`);
}
