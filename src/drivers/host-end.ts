// The host end of a container's veth pair, as the bridge and overlay drivers leave it.
import type { Step } from '../core/steps.js';

/**
 * No IPv6 on the host end, set while it is still down (pont's networks are IPv4, and the container
 * end has none). Docker leaves each vethXXX a link-local address: with it, every host end adds
 * three routes to the host's IPv6 tables (fe80::/64, ff00::/8, its address), and each link
 * change walks those tables (fib6_ifdown): 1,510 routes at 500 containers, a few ms more on
 * every run, rm, connect and disconnect. The link's deletion takes the setting with it.
 */
export const hostEndIpv4Only = (host: string): Step => ({ op: 'sysctl', key: `net.ipv6.conf.${host}.disable_ipv6`, value: '1' });
