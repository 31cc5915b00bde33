// Reads `nft -s list table inet pont` (stateless: counters print as `counter`, without values)
// into sets with their elements and chains with their rules, as nft prints them. Pure.

export interface ListedSet {
  type: string;
  flags?: string;
  map: boolean;
  /** Each element as listed: `key` or `key : value`. */
  elements: Set<string>;
}

export interface ListedChain {
  base?: string;
  rules: string[];
}

export interface ListedTable {
  sets: Map<string, ListedSet>;
  chains: Map<string, ListedChain>;
}

/** Splits the text between `elements = {` and its `}` (nft wraps it over lines) into elements. */
function splitElements(text: string): string[] {
  return text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
}

/** The table's listing, or null for an empty text (no such table). */
export function parseTableListing(text: string): ListedTable | null {
  if (!text.trim()) return null;
  const table: ListedTable = { sets: new Map(), chains: new Map() };
  let set: ListedSet | undefined;
  let chain: ListedChain | undefined;
  let elements: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (elements !== undefined) {
      // continuation of a wrapped element list, up to its closing brace
      elements += ' ' + line;
      if (line.endsWith('}')) {
        for (const e of splitElements(elements.slice(0, -1))) set!.elements.add(e);
        elements = undefined;
      }
      continue;
    }
    if (!line) continue;
    const open = /^(set|map|chain) (\S+) \{$/.exec(line);
    if (open && !set && !chain) {
      if (open[1] === 'chain') table.chains.set(open[2], (chain = { rules: [] }));
      else table.sets.set(open[2], (set = { type: '', map: open[1] === 'map', elements: new Set() }));
    } else if (line === '}') {
      set = chain = undefined;
    } else if (set) {
      if (line.startsWith('type ')) set.type = line.slice(5);
      else if (line.startsWith('flags ')) set.flags = line.slice(6);
      else if (line.startsWith('elements = {')) {
        const rest = line.slice('elements = {'.length);
        if (rest.endsWith('}')) for (const e of splitElements(rest.slice(0, -1))) set.elements.add(e);
        else elements = rest;
      }
    } else if (chain) {
      if (!chain.rules.length && !chain.base && / hook /.test(line) && line.startsWith('type ')) chain.base = line;
      else chain.rules.push(line);
    }
  }
  return table;
}

/** An element's key: a map's element is `key : value`. */
export const keyOfListed = (element: string) => {
  const i = element.indexOf(' : ');
  return i < 0 ? element : element.slice(0, i);
};
