// Driver lookup by the name given to --driver.
import { daemonError } from '../core/errors.js';
import type { DriverName } from '../core/model.js';
import { bridgeDriver } from './bridge/index.js';
import type { NetworkDriver } from './driver.js';
import { ipvlanDriver, macvlanDriver } from './macvlan.js';
import { hostDriver, noneDriver } from './passive.js';

const DRIVERS: Record<string, NetworkDriver> = { bridge: bridgeDriver, host: hostDriver, null: noneDriver, macvlan: macvlanDriver, ipvlan: ipvlanDriver };

export function driverFor(name: DriverName | string): NetworkDriver {
  const d = DRIVERS[name];
  if (!d) throw daemonError(`plugin "${name}" not found`, 'not-found');
  return d;
}
