// The order of the rules in pont's own chains, as iptables-save would print them, carried from
// one command to the next instead of read: a command that deletes rules must record their order
// first (an undone deletion re-adds a rule at the end of its chain, and the rollback puts the
// chain back in the order recorded). Read, that order costs an iptables-save (a process, ~8 ms
// from Node); but while pont's firewall is sealed (engine/system/seal.ts: nothing has touched
// it since the last command left it), it is the last command's order with that command's
// batches replayed on it: -N and -A append, -I inserts at its position, -D removes the first
// equal rule, -X removes the chain. Pure: no I/O.
import type { Step } from '../../steps.js';
import { type FirewallBackendName, nonEmptyParts } from '../parts.js';
import { batchOfParts } from './batch.js';
import { chainsInOrder, type FirewallBatch, saveLine } from './rules.js';

/** A batch as a command applied it. */
export interface AppliedBatch {
  op: 'add' | 'del';
  batch: FirewallBatch;
}

/**
 * A plan's iptables rule batches, in order, and whether they are all it does to the firewall
 * (`complete`: no repair, nft table or batch for the other backend, which a replay cannot model).
 */
export function planBatches(backend: FirewallBackendName, steps: readonly Step[]): { batches: AppliedBatch[]; complete: boolean } {
  const batches: AppliedBatch[] = [];
  let complete = backend === 'iptables';
  for (const s of steps) {
    if (s.op === 'fw.repair' || s.op === 'nft.table') complete = false;
    if (s.op !== 'fw.add' && s.op !== 'fw.del') continue;
    if ((s.backend ?? backend) !== 'iptables') complete = false;
    else batches.push({ op: s.op === 'fw.add' ? 'add' : 'del', batch: batchOfParts(nonEmptyParts(s.parts)) });
  }
  return { batches, complete };
}

type Tables = Map<string, Map<string, string[]>>;

const owned = (chain: string) => chain.startsWith('PONT');

/** The first line of the order as the seal carries it (see ChainOrder); any other text is iptables-save's. */
const ORDER_HEAD = '# pont chains';

/**
 * pont's chains and their rules, in order. Carried in the seal as blocks, a `*TABLE CHAIN` line
 * then its rules, and split into rules only for the chains a command touches: the nat and filter
 * PONT chains hold rules per published port, and splitting every line of them (then joining them
 * again) on every command cost more than the rest of the replay on a full host.
 */
class ChainOrder {
  private constructor(private readonly tables: Map<string, Map<string, { text: string | null; rules: string[] | null }>>) {}

  /** Of the seal's text (toText), or of an iptables-save text (pont's chains only). */
  static of(text: string): ChainOrder {
    const tables = new Map<string, Map<string, { text: string | null; rules: string[] | null }>>();
    const tableOf = (t: string) => tables.get(t) ?? tables.set(t, new Map()).get(t)!;
    if (!text.startsWith(`${ORDER_HEAD}\n`)) {
      for (const [table, chains] of chainsInOrder(text)) for (const [c, rules] of chains) if (owned(c)) tableOf(table).set(c, { text: null, rules });
      return new ChainOrder(tables);
    }
    // a rule line starts with -A: "\n*" begins the next block
    for (let at = ORDER_HEAD.length + 1; at < text.length;) {
      const next = text.indexOf('\n*', at);
      const end = next < 0 ? text.length : next;
      const eol = text.indexOf('\n', at);
      const header = text.slice(at + 1, eol < 0 || eol > end ? end : eol);
      const space = header.indexOf(' ');
      tableOf(header.slice(0, space)).set(header.slice(space + 1), { text: eol < 0 || eol >= end ? '' : text.slice(eol + 1, end), rules: null });
      at = end + 1;
    }
    return new ChainOrder(tables);
  }

  /** The rules of a chain, to read or change; undefined for a chain not there. */
  rules(table: string, chain: string): string[] | undefined {
    const block = this.tables.get(table)?.get(chain);
    if (!block) return undefined;
    if (block.rules === null) {
      block.rules = block.text ? block.text.split('\n') : [];
      block.text = null;
    }
    return block.rules;
  }

  has(table: string, chain: string): boolean {
    return Boolean(this.tables.get(table)?.has(chain));
  }

  /** A new, empty chain, last of its table. */
  add(table: string, chain: string): void {
    (this.tables.get(table) ?? this.tables.set(table, new Map()).get(table)!).set(chain, { text: null, rules: [] });
  }

  delete(table: string, chain: string): void {
    this.tables.get(table)?.delete(chain);
  }

  /** The seal's form: chains untouched are copied as they were read. */
  toText(): string {
    const out = [ORDER_HEAD];
    for (const [table, chains] of this.tables) {
      for (const [chain, b] of chains) {
        out.push(`*${table} ${chain}`);
        const body = b.text ?? b.rules!.join('\n');
        if (body) out.push(body);
      }
    }
    return out.join('\n');
  }

  toTables(): Tables {
    const out: Tables = new Map();
    for (const [table, chains] of this.tables) if (chains.size) out.set(table, new Map([...chains.keys()].map((c) => [c, this.rules(table, c)!])));
    return out;
  }
}

/** Of an iptables-save text, or of the seal's order, the tables and pont's own chains with their rules, in order. */
export const pontOrder = (saved: string): Tables => ChainOrder.of(saved).toTables();

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
 * The order after `batches`, applied in turn to the order `saved` shows (iptables-save's, or the
 * seal's), in the seal's form; null if a rule goes into one of pont's chains that `saved` does
 * not have (then nothing is known: the next command reads).
 */
export function replayOrder(saved: string, batches: readonly AppliedBatch[]): string | null {
  const order = ChainOrder.of(saved);
  for (const { op, batch } of batches) {
    if (op === 'add') {
      for (const c of batch.chains) if (owned(c.chain) && !order.has(c.table, c.chain)) order.add(c.table, c.chain);
      for (const r of batch.rules) {
        if (!owned(r.chain)) continue; // a built-in chain's jump: not pont's order to keep
        const rules = order.rules(r.table, r.chain);
        if (!rules) return null;
        if (r.insert) rules.splice(Math.min((r.position ?? 1) - 1, rules.length), 0, saveLine(r));
        else rules.push(saveLine(r));
      }
    } else {
      for (const r of batch.rules) {
        const rules = order.rules(r.table, r.chain);
        const at = rules ? rules.indexOf(saveLine(r)) : -1;
        if (at >= 0) rules!.splice(at, 1);
      }
      for (const c of batch.chains) order.delete(c.table, c.chain);
    }
  }
  return order.toText();
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
  const order = ChainOrder.of(saved);
  const taken = new Set<string>();
  const out: RulePosition[] = [];
  for (const b of deletions) {
    for (const r of b.rules) {
      const rules = order.rules(r.table, r.chain);
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
