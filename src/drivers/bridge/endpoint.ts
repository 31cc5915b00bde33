// Attaching a container to a bridge network (issue 3 fills this in).
import type { ContainerRecord, EndpointRecord, NetworkRecord } from '../../core/model.js';
import type { Step } from '../../engine/steps.js';

export function planBridgeAttach(_net: NetworkRecord, _ctr: ContainerRecord, _ep: EndpointRecord): Step[] {
  return [];
}

export function planBridgeDetach(_net: NetworkRecord, _ctr: ContainerRecord, _ep: EndpointRecord): Step[] {
  return [];
}
