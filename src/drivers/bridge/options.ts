// The bridge driver's -o options, as Docker names them.
import { daemonError } from '../../core/errors.js';
import type { NetworkRecord } from '../../core/model.js';

export const OPT = {
  name: 'com.docker.network.bridge.name',
  icc: 'com.docker.network.bridge.enable_icc',
  masquerade: 'com.docker.network.bridge.enable_ip_masquerade',
  hostBinding: 'com.docker.network.bridge.host_binding_ipv4',
  defaultBridge: 'com.docker.network.bridge.default_bridge',
  mtu: 'com.docker.network.driver.mtu',
} as const;

/** The kernel's range for a veth's MTU (ETH_MIN_MTU..ETH_MAX_MTU). */
const MTU_MIN = 68;
const MTU_MAX = 65535;

/** Go's strconv.ParseBool, with the bridge driver's error text. */
export function parseBool(key: string, value: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw daemonError(`failed to parse ${key} value: ${value} (strconv.ParseBool: parsing "${value}": invalid syntax)`, 'usage');
}

export interface BridgeSettings {
  icc: boolean;
  masquerade: boolean;
  mtu?: number;
}

export function bridgeSettings(net: NetworkRecord): BridgeSettings {
  const o = net.options;
  const mtu = o[OPT.mtu];
  if (mtu !== undefined && !/^-?\d+$/.test(mtu)) {
    throw daemonError(`failed to parse ${OPT.mtu} value: ${mtu} (strconv.Atoi: parsing "${mtu}": invalid syntax)`, 'usage');
  }
  // Docker takes any int and the kernel refuses it when a container starts; 0 means the default
  if (mtu !== undefined && Number(mtu) !== 0 && !(Number(mtu) >= MTU_MIN && Number(mtu) <= MTU_MAX)) {
    throw daemonError(`invalid ${OPT.mtu} value: ${mtu} (an MTU is 0 for the default, or from ${MTU_MIN} to ${MTU_MAX})`, 'usage');
  }
  return {
    icc: o[OPT.icc] === undefined ? true : parseBool(OPT.icc, o[OPT.icc]),
    masquerade: o[OPT.masquerade] === undefined ? true : parseBool(OPT.masquerade, o[OPT.masquerade]),
    ...(mtu && Number(mtu) > 0 ? { mtu: Number(mtu) } : {}),
  };
}
