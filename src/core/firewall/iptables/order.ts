// The order of the rules in pont's own chains, as iptables-save would print them, carried from
// one command to the next instead of read: a command that deletes rules must record their order
// first (an undone deletion re-adds a rule at the end of its chain, and the rollback puts the
// chain back in the order recorded). Read, that order costs an iptables-save (a process, ~8 ms
// from Node); but while pont's firewall is sealed (engine/system/seal.ts: nothing has touched
// it since the last command left it), it is the last command's order with that command's
// batches replayed on it: -N and -A append, -I inserts at its position, -D removes the first
// equal rule, -X removes the chain. Pure: no I/O.
import { chainsInOrder, type FirewallBatch, saveLine, type Table } from './rules.js';

/** A batch as a command applied it. */
export interface AppliedBatch {
  op: 'add' | 'del';
  batch: FirewallBatch;
}

type Tables = Map<string, Map<string, string[]>>;

const owned = (chain: string) => chain.startsWith('PONT');

/** Of an iptables-save text, the tables and pont's own chains with their rules, in order. */
export function pontOrder(saved: string): Tables {
  const tables: Tables = new Map();
  for (const [table, chains] of chainsInOrder(saved)) tables.set(table, new Map([...chains].filter(([c]) => owned(c))));
  return tables;
}

/** As iptables-save prints it: tables, chains, rules. */
export function renderOrder(tables: Tables): string {
  const out: string[] = [];
  for (const [table, chains] of tables) {
    out.push(`*${table}`);
    for (const c of chains.keys()) out.push(`:${c} - [0:0]`);
    for (const rules of chains.values()) out.push(...rules);
    out.push('COMMIT');
  }
  return out.join('\n');
}

/**
 * The order after `batches`, applied in turn to the order `saved` shows; null if a rule goes into
 * one of pont's chains that `saved` does not have (then nothing is known: the next command reads).
 */
export function replayOrder(saved: string, batches: readonly AppliedBatch[]): string | null {
  const tables = pontOrder(saved);
  const chainsOf = (t: Table) => tables.get(t) ?? tables.set(t, new Map()).get(t)!;
  for (const { op, batch } of batches) {
    if (op === 'add') {
      for (const c of batch.chains) if (owned(c.chain) && !chainsOf(c.table).has(c.chain)) chainsOf(c.table).set(c.chain, []);
      for (const r of batch.rules) {
        if (!owned(r.chain)) continue; // a built-in chain's jump: not pont's order to keep
        const rules = chainsOf(r.table).get(r.chain);
        if (!rules) return null;
        if (r.insert) rules.splice(Math.min((r.position ?? 1) - 1, rules.length), 0, saveLine(r));
        else rules.push(saveLine(r));
      }
    } else {
      for (const r of batch.rules) {
        const rules = chainsOf(r.table).get(r.chain);
        const at = rules ? rules.indexOf(saveLine(r)) : -1;
        if (at >= 0) rules!.splice(at, 1);
      }
      for (const c of batch.chains) chainsOf(c.table).delete(c.chain);
    }
  }
  return renderOrder(tables);
}

/** Where a rule that a command deletes stood: its index in its chain before the command. */
export interface RulePosition {
  table: string;
  chain: string;
  index: number;
  rule: string;
}

/**
 * The positions, in the order `saved` shows, of the rules `deletions` remove from pont's chains:
 * all a rollback needs to put them back where they were (the journal keeps these few lines, not
 * every rule of pont's: on a full host that was tens of kB per rm, and more than a full disk had).
 * Of two equal rules, -D takes the first not yet taken.
 */
export function deletedPositions(saved: string, deletions: readonly FirewallBatch[]): RulePosition[] {
  const tables = pontOrder(saved);
  const taken = new Set<string>();
  const out: RulePosition[] = [];
  for (const b of deletions) {
    for (const r of b.rules) {
      const rules = tables.get(r.table)?.get(r.chain);
      if (!rules) continue;
      const line = saveLine(r);
      const index = rules.findIndex((l, i) => l === line && !taken.has(`${r.table} ${r.chain} ${i}`));
      if (index < 0) continue;
      taken.add(`${r.table} ${r.chain} ${index}`);
      out.push({ table: r.table, chain: r.chain, index, rule: line });
    }
  }
  return out;
}

/**
 * After an undone deletion (its rules added back: appended, or inserted at their -I position),
 * the iptables-restore document that puts each chain back in its order: the rules re-added taken
 * out (of equal rules, the last: pont's duplicates are appended ones), then each put back at its
 * index, lowest first. '' when every chain is in order already.
 */
export function renderPositionRestore(positions: readonly RulePosition[], now: string): string {
  const current = chainsInOrder(now);
  const byChain = new Map<string, RulePosition[]>();
  for (const p of positions) byChain.set(`${p.table} ${p.chain}`, [...(byChain.get(`${p.table} ${p.chain}`) ?? []), p]);
  const out: string[] = [];
  for (const [key, ps] of byChain) {
    const [table, chain] = key.split(' ');
    const is = current.get(table)?.get(chain);
    if (!is) continue;
    const lines = [...is];
    // a rule not back (the undo failed) leaves its chain to the repair
    if (!ps.every((p) => lines.includes(p.rule))) continue;
    for (const p of ps) lines.splice(lines.lastIndexOf(p.rule), 1);
    for (const p of [...ps].sort((a, b) => a.index - b.index)) lines.splice(Math.min(p.index, lines.length), 0, p.rule);
    if (lines.every((l, i) => l === is[i])) continue;
    out.push(`*${table}`, `-F ${chain}`, ...lines, 'COMMIT');
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
