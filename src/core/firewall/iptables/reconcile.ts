// What pont's firewall should be (every batch the store implies, replayed in order) against what
// iptables-save shows, and the one batch that repairs the difference. Pure: no I/O.
//
// A flush (`iptables -F`, a firewalld reload) or a hand edit can empty or change pont's chains.
// pont owns its chains, so a damaged one is rewritten whole (flushed, then every rule in its
// order), which also restores the order that positional inserts gave it. In chains it does not
// own (FORWARD, PREROUTING…), and in PONT-USER, which is the user's, it only adds its missing
// jumps and never removes anything.
import { CHAINS } from './layout.js';
import { type ChainRef, type FirewallBatch, type Line, parseSave, type Rule, renderDoc, renderShell, saveLine, type Table } from './rules.js';

const key = (t: Table, chain: string) => `${t} ${chain}`;

export interface DesiredFirewall {
  /** Every chain pont creates, in creation order. */
  chains: ChainRef[];
  /** Each chain's rules in the order the batches leave them. */
  contents: Map<string, Rule[]>;
}

/** Replays batches as the kernel applies them: appends, and inserts at their position. */
export function replay(batches: FirewallBatch[]): DesiredFirewall {
  const chains: ChainRef[] = [];
  const contents = new Map<string, Rule[]>();
  for (const b of batches) {
    for (const c of b.chains) {
      if (!contents.has(key(c.table, c.chain))) chains.push(c);
      contents.set(key(c.table, c.chain), contents.get(key(c.table, c.chain)) ?? []);
    }
    for (const r of b.rules) {
      const list = contents.get(key(r.table, r.chain)) ?? [];
      if (r.insert) list.splice(Math.min((r.position ?? 1) - 1, list.length), 0, r);
      else list.push(r);
      contents.set(key(r.table, r.chain), list);
    }
  }
  return { chains, contents };
}

export interface FirewallDiff {
  missingChains: ChainRef[];
  /** Rules the store implies that the kernel lacks. */
  missingRules: Rule[];
  /** Rules in pont's own chains (PONT-USER aside) that nothing in the store implies. */
  extraRules: { table: Table; chain: string; line: string }[];
}

export const isCleanDiff = (d: FirewallDiff) => !d.missingChains.length && !d.missingRules.length && !d.extraRules.length;

/** Chains whose whole content is pont's: all it creates but PONT-USER. */
const ownedChains = (want: DesiredFirewall) => want.chains.filter((c) => c.chain !== CHAINS.user);

export function diffFirewall(want: DesiredFirewall, saved: string): FirewallDiff {
  const tables = parseSave(saved);
  const has = (t: Table, line: string) => tables.get(t)?.rules.has(line) ?? false;
  const missingChains = want.chains.filter((c) => !tables.get(c.table)?.chains.has(c.chain));
  const missingRules: Rule[] = [];
  for (const rules of want.contents.values()) for (const r of rules) if (!has(r.table, saveLine(r))) missingRules.push(r);
  const extraRules: FirewallDiff['extraRules'] = [];
  for (const c of ownedChains(want)) {
    const wanted = new Set((want.contents.get(key(c.table, c.chain)) ?? []).map(saveLine));
    for (const line of tables.get(c.table)?.rules ?? []) {
      if (line.startsWith(`-A ${c.chain} `) && !wanted.has(line)) extraRules.push({ table: c.table, chain: c.chain, line });
    }
  }
  return { missingChains, missingRules, extraRules };
}

function repairLines(want: DesiredFirewall, diff: FirewallDiff): Line[] {
  const owned = new Set(ownedChains(want).map((c) => key(c.table, c.chain)));
  const damaged = new Set([
    ...diff.missingRules.map((r) => key(r.table, r.chain)),
    ...diff.extraRules.map((r) => key(r.table, r.chain)),
    ...diff.missingChains.map((c) => key(c.table, c.chain)),
  ]);
  const lines: Line[] = diff.missingChains.map((c) => ({ table: c.table, args: ['-N', c.chain] }));
  // pont's own chains first (built-in chains' jumps point at them), each rewritten whole
  for (const c of want.chains) {
    const k = key(c.table, c.chain);
    if (!owned.has(k) || !damaged.has(k)) continue;
    lines.push({ table: c.table, args: ['-F', c.chain] });
    for (const r of want.contents.get(k) ?? []) lines.push({ table: r.table, args: ['-A', r.chain, ...r.spec] });
  }
  for (const r of diff.missingRules) {
    if (owned.has(key(r.table, r.chain))) continue;
    lines.push({ table: r.table, args: r.insert ? ['-I', r.chain, ...(r.position ? [String(r.position)] : []), ...r.spec] : ['-A', r.chain, ...r.spec] });
  }
  return lines;
}

/** The iptables-restore --noflush document that makes the kernel match (empty when it does). */
export const renderRepair = (want: DesiredFirewall, diff: FirewallDiff): string => renderDoc(repairLines(want, diff));

/** The same repair as iptables commands, for check's output and --dry-run. */
export const explainRepair = (want: DesiredFirewall, diff: FirewallDiff): string[] => renderShell(repairLines(want, diff));

/** One line per difference, for `pont system check`. */
export function describeDiff(diff: FirewallDiff): string[] {
  return [
    ...diff.missingChains.map((c) => `firewall: chain ${c.chain} (${c.table}) is missing`),
    ...diff.missingRules.map((r) => `firewall: rule missing in ${r.table}: ${saveLine(r)}`),
    ...diff.extraRules.map((r) => `firewall: rule pont did not make in ${r.table}: ${r.line}`),
  ];
}
