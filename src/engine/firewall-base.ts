// pont's base chains are installed once per boot and network namespace. The store remembers
// for which (boot id, netns inode) they were checked, so steady-state commands spawn only their
// own iptables-restore; after a reboot the first command reads iptables-save and adds what is
// missing (never flushing or redeclaring a chain that exists).
import { readFileSync, statSync } from 'node:fs';
import { baseLayout } from '../core/firewall/layout.js';
import { type FirewallBatch, parseSave, saveLine } from '../core/firewall/rules.js';
import type { Kernel } from '../kernel/kernel.js';

export function firewallMarker(): string {
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return `${boot}:${statSync('/proc/thread-self/ns/net').ino}`;
}

/** The part of the base layout the kernel lacks. */
export function missingBase(saved: string): FirewallBatch {
  const tables = parseSave(saved);
  const base = baseLayout();
  return {
    chains: base.chains.filter((c) => !tables.get(c.table)?.chains.has(c.chain)),
    rules: base.rules.filter((r) => !tables.get(r.table)?.rules.has(saveLine(r))),
  };
}

export async function planBaseFirewall(k: Kernel, marker: string | undefined): Promise<{ batch: FirewallBatch; marker: string } | null> {
  const now = firewallMarker();
  if (marker === now) return null;
  return { batch: missingBase(await k.saveFirewall()), marker: now };
}
