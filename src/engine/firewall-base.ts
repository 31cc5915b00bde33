// Which boot and network namespace the store's kernel objects belong to. The store records it
// (State.firewallMarker, a name kept from when it only guarded the base chains): when it differs,
// the host rebooted (or pont moved to another namespace) and the first mutating command brings
// back the networks the store describes (world.ts). pont's firewall itself is compared with the
// store by every mutating command (system/firewall.ts), so it needs no marker.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';

/** This boot and network namespace: what the kernel objects pont made belong to. */
export function hostMarker(): string {
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  // opened and fstat'ed as the store's file is (store.ts), not statSync: a function's first
  // call compiles Node's code for it, ~0.1 ms of a read-only command's start
  const fd = openSync('/proc/thread-self/ns/net', 'r');
  try {
    return `${boot}:${fstatSync(fd, { bigint: true }).ino}`;
  } finally {
    closeSync(fd);
  }
}

export const firewallMarker = hostMarker;
