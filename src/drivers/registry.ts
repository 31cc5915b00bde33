// Driver lookup by the name given to --driver.
import { daemonError } from '../core/errors.js';
import type { DriverName } from '../core/model.js';
import { goQuote } from '../core/ports/goparse.js';
import { bridgeDriver } from './bridge/index.js';
import type { NetworkDriver } from './driver.js';
import { ipvlanDriver, macvlanDriver } from './macvlan.js';
import { hostDriver, noneDriver } from './passive.js';
import { overlayDriver } from './overlay.js';
import { cniNetworkDriver } from './cni.js';

const DRIVERS: Record<string, NetworkDriver> = { bridge: bridgeDriver, host: hostDriver, null: noneDriver, macvlan: macvlanDriver, ipvlan: ipvlanDriver, overlay: overlayDriver, cni: cniNetworkDriver };

export function driverFor(name: DriverName | string): NetworkDriver {
  // an own key only: `--driver constructor` is an unknown plugin, not Object's constructor
  if (!Object.hasOwn(DRIVERS, name)) throw daemonError(`plugin ${goQuote(name)} not found`, 'not-found');
  return DRIVERS[name];
}
