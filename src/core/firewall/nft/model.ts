// The nftables backend's data: pont's whole firewall is one table of its own, `table inet pont`,
// made of named sets and maps, chains, and elements. A batch is what one operation adds to it
// (and its undo deletes); every text here is written exactly as `nft list` prints it back, so
// the kernel's listing can be compared with what the store implies line for line. Pure.

export const FAMILY = 'inet';
export const TABLE = 'pont';
/** How commands name the table: `add rule inet pont forward …`. */
export const TABLE_REF = `${FAMILY} ${TABLE}`;

/** A named set, or a map when its type has a ` : ` (key : value). */
export interface NftSet {
  name: string;
  /** As nft prints it after `type `, e.g. `ipv4_addr . inet_proto . inet_service`. */
  type: string;
  flags?: string;
}

export interface NftChain {
  name: string;
  /** A base chain's hook line as nft prints it, e.g. `type filter hook forward priority filter; policy accept;`. */
  base?: string;
  /** Rules in order, as nft prints them. */
  rules: string[];
}

/** One element of a set (`key`) or of a map (`key : value`). */
export interface NftElement {
  set: string;
  key: string;
  value?: string;
}

export interface NftBatch {
  sets: NftSet[];
  chains: NftChain[];
  elements: NftElement[];
}

export const emptyNftBatch = (): NftBatch => ({ sets: [], chains: [], elements: [] });

export const isEmptyNftBatch = (b: NftBatch) => !b.sets.length && !b.chains.length && !b.elements.length;

/** An element as nft lists it: `key` or `key : value`. */
export const elementText = (e: NftElement) => (e.value === undefined ? e.key : `${e.key} : ${e.value}`);

export const isMap = (s: NftSet) => s.type.includes(' : ');

/**
 * Batches as one, in order. An element twice (one container publishing 80/tcp on two host
 * ports: the forward set's `ip . tcp . 80` once) is kept once: a set holds each key once, and a
 * delete of the same key twice in one transaction would fail.
 */
export function mergeNftBatches(...bs: NftBatch[]): NftBatch {
  const seen = new Set<string>();
  const elements: NftElement[] = [];
  for (const e of bs.flatMap((b) => b.elements)) {
    const id = `${e.set}\n${e.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    elements.push(e);
  }
  return { sets: bs.flatMap((b) => b.sets), chains: bs.flatMap((b) => b.chains), elements };
}
