// What pont's nftables table should be (every part the store implies, merged) against what
// `nft -s list table inet pont` shows, and the one script that repairs the difference. pont owns
// the whole table: a damaged chain is rewritten whole (flushed, then its rules in order), a
// missing element added, an element or chain or set that nothing in the store implies removed.
// Pure: no I/O.
import { elementText, isMap, type NftBatch, type NftChain, type NftElement, type NftSet } from './model.js';
import { keyOfListed, type ListedTable } from './listing.js';
import { addChain, addElements, addRule, addSet, addTable, deleteChain, deleteElements, deleteSet, flushChain } from './script.js';

export interface NftDiff {
  missingTable: boolean;
  missingSets: NftSet[];
  /** Sets whose type or flags differ: made again (with every element). */
  changedSets: NftSet[];
  extraSets: { name: string; map: boolean }[];
  missingChains: NftChain[];
  /** Chains whose rules (or hook) differ from what pont writes: rewritten whole. */
  damagedChains: { chain: NftChain; missing: string[]; extra: string[]; hook: boolean }[];
  extraChains: string[];
  missingElements: NftElement[];
  extraElements: { set: string; text: string; map: boolean }[];
}

export const isCleanNftDiff = (d: NftDiff) =>
  !d.missingTable && ![d.missingSets, d.changedSets, d.extraSets, d.missingChains, d.damagedChains, d.extraChains, d.missingElements, d.extraElements].some((l) => l.length);

const emptyDiff = (): NftDiff => ({
  missingTable: false, missingSets: [], changedSets: [], extraSets: [], missingChains: [], damagedChains: [], extraChains: [], missingElements: [], extraElements: [],
});

/** `want` empty means the store implies no firewall yet (a fresh host): nothing is checked. */
export function diffNft(want: NftBatch, listed: ListedTable | null): NftDiff {
  const d = emptyDiff();
  if (!want.sets.length && !want.chains.length && !want.elements.length) return d;
  if (!listed) return { ...d, missingTable: true, missingSets: want.sets, missingChains: want.chains, missingElements: want.elements };
  const wantSets = new Map(want.sets.map((s) => [s.name, s]));
  for (const s of want.sets) {
    const l = listed.sets.get(s.name);
    if (!l) d.missingSets.push(s);
    else if (l.type !== s.type || (l.flags ?? '') !== (s.flags ?? '') || l.map !== isMap(s)) d.changedSets.push(s);
  }
  for (const [name, l] of listed.sets) if (!wantSets.has(name)) d.extraSets.push({ name, map: l.map });
  const wantChains = new Set(want.chains.map((c) => c.name));
  for (const c of want.chains) {
    const l = listed.chains.get(c.name);
    if (!l) {
      d.missingChains.push(c);
      continue;
    }
    const hook = (l.base ?? '') !== (c.base ?? '');
    const same = !hook && l.rules.length === c.rules.length && l.rules.every((r, i) => r === c.rules[i]);
    if (!same) d.damagedChains.push({ chain: c, hook, missing: c.rules.filter((r) => !l.rules.includes(r)), extra: l.rules.filter((r) => !c.rules.includes(r)) });
  }
  for (const name of listed.chains.keys()) if (!wantChains.has(name)) d.extraChains.push(name);
  const wanted = new Map<string, Set<string>>();
  for (const e of want.elements) (wanted.get(e.set) ?? wanted.set(e.set, new Set()).get(e.set)!).add(elementText(e));
  for (const e of want.elements) if (listed.sets.has(e.set) && !listed.sets.get(e.set)!.elements.has(elementText(e))) d.missingElements.push(e);
  for (const s of want.sets) {
    if (!listed.sets.has(s.name)) d.missingElements.push(...want.elements.filter((e) => e.set === s.name));
    for (const text of listed.sets.get(s.name)?.elements ?? []) if (!wanted.get(s.name)?.has(text)) d.extraElements.push({ set: s.name, text, map: isMap(s) });
  }
  return d;
}

/** The commands that make the table what `want` says, in an order nft accepts in one transaction. */
export function repairCommands(want: NftBatch, d: NftDiff): string[] {
  if (isCleanNftDiff(d)) return [];
  const out: string[] = [];
  if (d.missingTable) out.push(addTable());
  // a set made again is deleted first: every rule that names it goes with its chain's flush
  const rewriteAll = d.changedSets.length > 0;
  const damaged = rewriteAll ? want.chains.filter((c) => !d.missingChains.includes(c)) : d.damagedChains.map((x) => x.chain);
  const rehook = new Set(d.damagedChains.filter((x) => x.hook).map((x) => x.chain.name));
  const changed = new Set(d.changedSets.map((s) => s.name));
  // deletions first: elements (a verdict map's element holds its chain), then rules, sets, chains
  out.push(...deleteElements(d.extraElements.filter((e) => !changed.has(e.set)).map((e) => ({ set: e.set, key: keyOfListed(e.text) }))));
  out.push(...damaged.map((c) => flushChain(c.name)));
  out.push(...d.extraChains.map(flushChain));
  // a set goes with its elements (and their references to chains) once no rule names it
  out.push(...d.changedSets.map((s) => deleteSet({ name: s.name, map: isMap(s) })), ...d.extraSets.map(deleteSet));
  out.push(...[...rehook].map(deleteChain), ...d.extraChains.map(deleteChain));
  // then what is missing: chains (a hook changed is made again), sets, rules, elements (chains
  // before sets, as applyCommands says why)
  out.push(...[...d.missingChains, ...want.chains.filter((c) => rehook.has(c.name))].map(addChain));
  out.push(...[...d.missingSets, ...d.changedSets].map(addSet));
  for (const c of [...damaged, ...d.missingChains]) out.push(...c.rules.map((r) => addRule(c.name, r)));
  out.push(...addElements([...d.missingElements.filter((e) => !changed.has(e.set)), ...want.elements.filter((e) => changed.has(e.set))]));
  return out;
}

const kind = (map: boolean) => (map ? 'map' : 'set');

/** One line per difference, for `pont system check`. */
export function describeNftDiff(d: NftDiff, wantSets: readonly NftSet[] = []): string[] {
  if (d.missingTable) return ['firewall: table inet pont is missing'];
  const setKind = (name: string) => kind(wantSets.some((s) => s.name === name && isMap(s)));
  return [
    ...d.missingSets.map((s) => `firewall: ${kind(isMap(s))} ${s.name} is missing`),
    ...d.changedSets.map((s) => `firewall: ${kind(isMap(s))} ${s.name} is not of pont's type (${s.type}${s.flags ? `, flags ${s.flags}` : ''})`),
    ...d.extraSets.map((s) => `firewall: ${kind(s.map)} ${s.name} is not pont's`),
    ...d.missingChains.map((c) => `firewall: chain ${c.name} is missing`),
    ...d.damagedChains.flatMap((x) => [
      ...(x.hook ? [`firewall: chain ${x.chain.name} is not hooked as pont hooks it (${x.chain.base})`] : []),
      ...x.missing.map((r) => `firewall: rule missing in chain ${x.chain.name}: ${r}`),
      ...x.extra.map((r) => `firewall: rule pont did not make in chain ${x.chain.name}: ${r}`),
      ...(!x.hook && !x.missing.length && !x.extra.length ? [`firewall: chain ${x.chain.name} has pont's rules in another order`] : []),
    ]),
    ...d.extraChains.map((name) => `firewall: chain ${name} is not pont's`),
    ...d.missingElements.filter((e) => !d.missingSets.some((s) => s.name === e.set)).map((e) => `firewall: element missing in ${setKind(e.set)} ${e.set}: ${elementText(e)}`),
    ...d.extraElements.map((e) => `firewall: element pont did not make in ${kind(e.map)} ${e.set}: ${e.text}`),
  ];
}

/** The part of `b` that the listing shows (what a deletion can still delete). */
export function presentNftPart(b: NftBatch, listed: ListedTable | null): NftBatch {
  if (!listed) return { sets: [], chains: [], elements: [] };
  const keys = new Map<string, Set<string>>();
  for (const [name, s] of listed.sets) keys.set(name, new Set([...s.elements].map(keyOfListed)));
  return {
    sets: b.sets.filter((s) => listed.sets.has(s.name)),
    chains: b.chains.filter((c) => listed.chains.has(c.name)),
    elements: b.elements.filter((e) => keys.get(e.set)?.has(e.key)),
  };
}
