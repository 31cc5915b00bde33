// Which boot and network namespace the store's kernel objects belong to. The store records it
// (State.firewallMarker, a name kept from when it only guarded the base chains): when it differs,
// the host rebooted (or pont moved to another namespace) and the first mutating command brings
// back the networks the store describes (world.ts). pont's firewall itself is compared with the
// store by every mutating command (system/firewall.ts), so it needs no marker.
import { readFileSync, statSync } from 'node:fs';

/** This boot and network namespace: what the kernel objects pont made belong to. */
export function hostMarker(): string {
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return `${boot}:${statSync('/proc/thread-self/ns/net').ino}`;
}

export const firewallMarker = hostMarker;
