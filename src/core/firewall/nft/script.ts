// nftables batches as `nft -f` scripts: one command a line, applied by the kernel as one
// transaction (all or nothing), and as the equivalent `nft '…'` shell lines for --dry-run and
// `pont system check`. A batch's undo deletes by name and by key what its apply added:
// elements first (a verdict map's element holds a reference to its chain), then chains
// (flushed, then deleted), then sets. Pure.
import { shellLine } from '../../shell.js';
import { elementText, isMap, type NftBatch, type NftChain, type NftElement, type NftSet, TABLE_REF } from './model.js';

export const addTable = () => `add table ${TABLE_REF}`;

export const addSet = (s: NftSet) => `add ${isMap(s) ? 'map' : 'set'} ${TABLE_REF} ${s.name} { type ${s.type};${s.flags ? ` flags ${s.flags};` : ''} }`;
export const deleteSet = (s: { name: string; map: boolean }) => `delete ${s.map ? 'map' : 'set'} ${TABLE_REF} ${s.name}`;

export const addChain = (c: Pick<NftChain, 'name' | 'base'>) => `add chain ${TABLE_REF} ${c.name}${c.base ? ` { ${c.base} }` : ''}`;
export const flushChain = (name: string) => `flush chain ${TABLE_REF} ${name}`;
export const deleteChain = (name: string) => `delete chain ${TABLE_REF} ${name}`;
export const addRule = (chain: string, rule: string) => `add rule ${TABLE_REF} ${chain} ${rule}`;

/** Elements grouped per set, in the order their sets first appear. */
function bySet(elements: readonly NftElement[]): Map<string, NftElement[]> {
  const out = new Map<string, NftElement[]>();
  for (const e of elements) (out.get(e.set) ?? out.set(e.set, []).get(e.set)!).push(e);
  return out;
}

export const addElements = (elements: readonly NftElement[]): string[] =>
  [...bySet(elements)].map(([set, es]) => `add element ${TABLE_REF} ${set} { ${es.map(elementText).join(', ')} }`);

/** A map's element is deleted by its key alone. */
export const deleteElements = (elements: readonly NftElement[]): string[] =>
  [...bySet(elements)].map(([set, es]) => `delete element ${TABLE_REF} ${set} { ${es.map((e) => e.key).join(', ')} }`);

/**
 * What a batch adds: chains (empty) first, then sets, then the chains' rules (which name sets),
 * then elements. Chains before sets: nft 1.0.6 refuses (ENOENT) an element of an interval
 * verdict map made in the same transaction when the map was added before the chain it jumps to.
 */
export function applyCommands(b: NftBatch): string[] {
  return [
    ...(b.sets.length || b.chains.some((c) => c.base) ? [addTable()] : []),
    ...b.chains.map(addChain),
    ...b.sets.map(addSet),
    ...b.chains.flatMap((c) => c.rules.map((r) => addRule(c.name, r))),
    ...addElements(b.elements),
  ];
}

/** The exact undo of applyCommands; the table goes with the batch that made it (the base's). */
export function undoCommands(b: NftBatch): string[] {
  return [
    ...deleteElements(b.elements),
    ...b.chains.map((c) => flushChain(c.name)),
    ...[...b.chains].reverse().map((c) => deleteChain(c.name)),
    ...[...b.sets].reverse().map((s) => deleteSet({ name: s.name, map: isMap(s) })),
    ...(b.sets.length || b.chains.some((c) => c.base) ? [`delete table ${TABLE_REF}`] : []),
  ];
}

/** Commands as an `nft -f -` script. */
export const renderScript = (commands: readonly string[]) => (commands.length ? commands.join('\n') + '\n' : '');

/** Commands as pasteable shell lines: `nft 'add rule inet pont forward …'`. */
export const explainCommands = (commands: readonly string[]) => commands.map((c) => shellLine(['nft', c]));
