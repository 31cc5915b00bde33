// pont's base chains are installed once per boot and network namespace. The store remembers
// for which (boot id, netns inode, layout revision) they were checked, so steady-state commands
// spawn only their own iptables-restore; after a reboot (or an upgrade that changed the layout)
// the first command reads iptables-save and adds what is missing (never flushing or
// redeclaring a chain that exists) and removes the rules earlier layouts had and this one retired.
import { readFileSync, statSync } from 'node:fs';
import { baseLayout, retiredBaseRules } from '../core/firewall/layout.js';
import { type FirewallBatch, parseSave, saveLine } from '../core/firewall/rules.js';
import type { Kernel } from '../kernel/kernel.js';
import { firewallStep } from '../kernel/steps.js';
import { inverse, type Step } from './steps.js';

/** Bumped when the base layout changes, so that hosts set up by an earlier pont get the change. */
const LAYOUT_REVISION = 2;

/** This boot and network namespace: what the kernel objects pont made belong to. */
export function hostMarker(): string {
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return `${boot}:${statSync('/proc/thread-self/ns/net').ino}`;
}

export function firewallMarker(): string {
  return `${hostMarker()}:layout${LAYOUT_REVISION}`;
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

/** The retired rules the kernel still has. */
export function retiredPresent(saved: string): FirewallBatch {
  const tables = parseSave(saved);
  return { chains: [], rules: retiredBaseRules().filter((r) => tables.get(r.table)?.rules.has(saveLine(r))) };
}

export async function planBaseFirewall(k: Kernel, marker: string | undefined): Promise<{ steps: Step[]; marker: string } | null> {
  const now = firewallMarker();
  if (marker === now) return null;
  const saved = await k.saveFirewall();
  const retired = retiredPresent(saved);
  return { steps: [firewallStep(missingBase(saved)), ...(retired.rules.length ? inverse([firewallStep(retired)]) : [])], marker: now };
}
