// Interface names that reach the kernel, iptables rules and sysctl keys (a bridge's name, a
// macvlan/ipvlan parent). The kernel takes any 1-15 bytes without '/', ':' or whitespace, but
// iptables reads a trailing '+' as a wildcard (`-i eth+` is every eth*) and a sysctl key
// `net.ipv4.conf.NAME.x` splits on '.', so pont allows only [A-Za-z0-9_-] (and '.' in a parent,
// whose 802.1q names are `eth0.10`; pont writes no sysctl of a parent), starting alphanumeric.
import { daemonError, PontError } from '../errors.js';
import { goQuote } from '../ports/goparse.js';

export const IFNAMSIZ = 15;

export type IfnameRole = 'bridge' | 'parent';

/** Why `name` cannot name an interface in this role, or null when it can. */
export function ifnameProblem(name: string, role: IfnameRole): string | null {
  if (name === '') return 'it is empty';
  if (Buffer.byteLength(name) > IFNAMSIZ) return `it is longer than ${IFNAMSIZ} bytes`;
  if (name.includes('+')) return "'+' is iptables' interface wildcard";
  if (role === 'bridge' && name.includes('.')) return "'.' separates the parts of a sysctl key";
  const allowed = role === 'bridge' ? /^[A-Za-z0-9][A-Za-z0-9_-]*$/ : /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
  if (!allowed.test(name)) {
    return `only letters, digits, '_'${role === 'parent' ? ", '.'" : ''} and '-' are allowed, starting with a letter or digit`;
  }
  return null;
}

/** `-o com.docker.network.bridge.name=NAME`, checked before anything is made. */
export function parseBridgeName(name: string): string {
  // Docker passes a 16-byte name to the kernel and reports its refusal
  if (Buffer.byteLength(name) > IFNAMSIZ) throw daemonError('failed to check bridge interface existence: numerical result out of range', 'usage');
  const problem = ifnameProblem(name, 'bridge');
  if (problem) throw daemonError(`invalid bridge name ${goQuote(name)}: ${problem}`, 'usage');
  return name;
}

export interface ParentName {
  name: string;
  /** `eth0.10`: the 802.1q parent's base link and VLAN id, if the name has that form. */
  vlan?: { base: string; id: number };
}

/** `-o parent=NAME` of macvlan/ipvlan. */
export function parseParentName(name: string): ParentName {
  const problem = ifnameProblem(name, 'parent');
  if (problem) throw daemonError(`invalid parent interface name ${goQuote(name)}: ${problem}`, 'usage');
  const m = /^(.+)\.(\d+)$/.exec(name);
  if (!m) return { name };
  const id = Number(m[2]);
  if (!(id >= 1 && id <= 4094)) throw new PontError(`Error response from daemon: vlan id must be between 1-4094, received: ${m[2]}`, { category: 'usage' });
  return { name, vlan: { base: m[1], id } };
}
