// Firewall rules as data, rendered to one `iptables-restore --noflush` document per operation
// and to its exact inverse. Pure: no I/O.
//
// In --noflush mode a ":CHAIN - [0:0]" line flushes an existing chain, so chains are created
// with "-N" lines (which fail, atomically, if the chain exists) and only by the batch that
// installs pont's base chains.

import { shellLine } from '../../shell.js';

export type Table = 'filter' | 'nat' | 'raw';
const TABLE_ORDER: Table[] = ['raw', 'nat', 'filter'];

export interface Rule {
  table: Table;
  chain: string;
  /** Match and target, as iptables arguments. */
  spec: string[];
  /** Insert at the head of the chain (or at rule number `position`) instead of appending. */
  insert?: boolean;
  position?: number;
}

export interface ChainRef {
  table: Table;
  chain: string;
}

/** What one operation adds; its inverse deletes the rules, then the chains. */
export interface FirewallBatch {
  chains: ChainRef[];
  rules: Rule[];
}

export const emptyBatch = (): FirewallBatch => ({ chains: [], rules: [] });

export function mergeBatches(...bs: FirewallBatch[]): FirewallBatch {
  return { chains: bs.flatMap((b) => b.chains), rules: bs.flatMap((b) => b.rules) };
}

export const isEmptyBatch = (b: FirewallBatch): boolean => b.chains.length === 0 && b.rules.length === 0;

/** One iptables-restore line (`-A CHAIN …`, `-N CHAIN`, `-F CHAIN`) in its table. */
export type Line = { table: Table; args: string[] };

function applyLines(b: FirewallBatch): Line[] {
  return [
    ...b.chains.map((c) => ({ table: c.table, args: ['-N', c.chain] })),
    ...b.rules.map((r) => ({
      table: r.table,
      args: r.insert ? ['-I', r.chain, ...(r.position ? [String(r.position)] : []), ...r.spec] : ['-A', r.chain, ...r.spec],
    })),
  ];
}

/**
 * Rules are deleted by their spec, so their order does not matter to the result; it does to the
 * cost: iptables-nft looks each one up from the chain's head, so deleting in insertion order
 * finds each rule near the head (3,000 DNAT rules: 0.12 s, against 8.9 s in reverse order).
 */
function undoLines(b: FirewallBatch): Line[] {
  return [
    ...b.rules.map((r) => ({ table: r.table, args: ['-D', r.chain, ...r.spec] })),
    ...[...b.chains].reverse().map((c) => ({ table: c.table, args: ['-X', c.chain] })),
  ];
}

/** iptables-restore quoting: arguments with spaces go in double quotes. */
const restoreArg = (a: string) => (/[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a);

export function renderDoc(lines: Line[]): string {
  let out = '';
  for (const t of TABLE_ORDER) {
    const mine = lines.filter((l) => l.table === t);
    if (!mine.length) continue;
    out += `*${t}\n` + mine.map((l) => l.args.map(restoreArg).join(' ')).join('\n') + '\nCOMMIT\n';
  }
  return out;
}

export function renderShell(lines: Line[]): string[] {
  return lines.map((l) => shellLine(['iptables', '-t', l.table, ...l.args]));
}

export const renderApply = (b: FirewallBatch) => renderDoc(applyLines(b));
export const renderUndo = (b: FirewallBatch) => renderDoc(undoLines(b));
export const explainApply = (b: FirewallBatch) => renderShell(applyLines(b));
export const explainUndo = (b: FirewallBatch) => renderShell(undoLines(b));

/** "-A CHAIN spec" as iptables-save prints it, for comparing plans with the kernel. */
export const saveLine = (r: Rule) => ['-A', r.chain, ...r.spec].join(' ');

/** Parses iptables-save into table → { chains, rule lines }. */
export function parseSave(text: string): Map<string, { chains: Set<string>; rules: Set<string> }> {
  const tables = new Map<string, { chains: Set<string>; rules: Set<string> }>();
  let cur: { chains: Set<string>; rules: Set<string> } | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) {
      cur = { chains: new Set(), rules: new Set() };
      tables.set(line.slice(1).trim(), cur);
    } else if (line.startsWith(':') && cur) cur.chains.add(line.slice(1).split(' ')[0]);
    else if (line.startsWith('-A ') && cur) cur.rules.add(line.trim());
  }
  return tables;
}

/**
 * Of an iptables-save text, each table's chains (as declared) with their rule lines in order,
 * duplicates kept: two equal rules are two rules (`-p 8080:80 -p 8081:80` writes two equal
 * ACCEPTs), which parseSave's sets would make one.
 */
export function chainsInOrder(text: string): Map<string, Map<string, string[]>> {
  const tables = new Map<string, Map<string, string[]>>();
  let cur: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) tables.set(line.slice(1), (cur = new Map()));
    else if (line.startsWith(':') && cur) cur.set(line.slice(1).split(' ')[0], []);
    else if (line.startsWith('-A ') && cur) {
      const chain = line.split(' ')[1];
      (cur.get(chain) ?? cur.set(chain, []).get(chain)!).push(line);
    }
  }
  return tables;
}

/** The rules and chains of `batch` that an iptables-save text shows. */
export function presentPart(batch: FirewallBatch, saved: string): FirewallBatch {
  const tables = parseSave(saved);
  return {
    chains: batch.chains.filter((c) => tables.get(c.table)?.chains.has(c.chain)),
    rules: batch.rules.filter((r) => tables.get(r.table)?.rules.has(saveLine(r))),
  };
}

/** A built-in chain's policy as iptables-save shows it (`:FORWARD DROP [0:0]`), if the table is there. */
export function chainPolicy(saved: string, table: Table, chain: string): string | undefined {
  let inTable = false;
  for (const line of saved.split('\n')) {
    if (line.startsWith('*')) inTable = line.slice(1).trim() === table;
    else if (inTable && line.startsWith(`:${chain} `)) return line.split(' ')[1];
  }
  return undefined;
}
