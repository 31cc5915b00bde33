// The nftables part of the fake kernel (fake-host.ts): tables of sets (with elements) and chains
// (with rules), changed by `nft -f` scripts of the commands pont writes, and listed as
// `nft -s list table` prints them (tabs, wrapped element lists). A script applies whole or not at
// all, as one nft transaction does, and is refused where the kernel refuses: a table, chain or
// set that does not exist (ENOENT), an element added again with another value (EEXIST), an
// element deleted that is not there (ENOENT), a chain deleted with rules in it or while a verdict
// map's element or a rule jumps to it (EBUSY), a rule or element naming a missing set or chain,
// and nft 1.0.6's quirk: an element of an interval verdict map made in the same script before the
// chain it jumps to (ENOENT).
// Rules are kept as the text given: pont writes them as nft prints them.

import type { NftBaseChain } from '../../src/kernel/nft.js';

class NftError extends Error {}

/** When, in the script being applied, a set or chain was made (`set NAME` / `chain NAME` → line). */
type Made = Map<string, number>;

interface FakeSet {
  type: string;
  flags?: string;
  map: boolean;
  /** key → listed text (`key` or `key : value`), in insertion order. */
  elements: Map<string, string>;
}
interface FakeChain {
  base?: string;
  rules: string[];
}
interface FakeTable {
  sets: Map<string, FakeSet>;
  chains: Map<string, FakeChain>;
}

/** A foreign base chain, as another tool (iptables-nft, a host firewall) would have made it. */
export type FakeBaseChain = NftBaseChain;

const refuse = (why: string): never => {
  throw new NftError(why);
};

const splitTop = (text: string) =>
  text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);

const keyOf = (element: string) => {
  const i = element.indexOf(' : ');
  return i < 0 ? element : element.slice(0, i);
};

export class FakeNft {
  private tables = new Map<string, FakeTable>();
  private made: Made = new Map();
  private line = 0;
  readonly foreign: FakeBaseChain[];

  constructor(foreign: FakeBaseChain[] = []) {
    this.foreign = foreign;
  }

  /** Applies a script whole, or throws and changes nothing. */
  apply(script: string): void {
    const next = structuredClone(this.tables);
    this.made = new Map();
    for (const [i, line] of script.split('\n').entries()) {
      if (!line.trim()) continue;
      try {
        this.line = i;
        this.command(next, line.trim());
      } catch (e) {
        if (e instanceof NftError) throw new Error(`/dev/stdin:${i + 1}: Error: ${e.message}\n${line}`);
        throw e;
      }
    }
    this.tables = next;
  }

  private command(tables: Map<string, FakeTable>, line: string): void {
    const m = /^(add|delete|flush|insert) (table|set|map|chain|rule|element) (\S+) (\S+)(?: (.*))?$/.exec(line) ?? refuse(`syntax error: ${line}`);
    const [, verb, what, family, tableName, rest = ''] = m;
    const id = `${family} ${tableName}`;
    if (what === 'table') {
      if (verb === 'add') tables.set(id, tables.get(id) ?? { sets: new Map(), chains: new Map() });
      else if (verb === 'delete') tables.delete(id) || refuse('No such file or directory');
      return;
    }
    const t = tables.get(id) ?? refuse('No such file or directory');
    const [name, ...words] = rest.split(' ');
    const body = words.join(' ');
    if (what === 'set' || what === 'map') {
      if (verb === 'add') {
        const d = /^\{ type ([^;]+);(?: flags ([^;]+);)? \}$/.exec(body) ?? refuse(`syntax error: ${body}`);
        if (!t.sets.has(name)) {
          t.sets.set(name, { type: d[1], ...(d[2] ? { flags: d[2] } : {}), map: what === 'map', elements: new Map() });
          this.made.set(`set ${name}`, this.line);
        }
      } else if (verb === 'delete') {
        if (!t.sets.has(name)) refuse('No such file or directory');
        if (this.rulesNaming(t, `@${name}`)) refuse('Device or resource busy');
        t.sets.delete(name);
      }
      return;
    }
    if (what === 'chain') {
      if (verb === 'add') {
        if (!t.chains.has(name)) {
          t.chains.set(name, { ...(body ? { base: body.replace(/^\{ | \}$/g, '') } : {}), rules: [] });
          this.made.set(`chain ${name}`, this.line);
        }
      } else if (verb === 'flush') (t.chains.get(name) ?? refuse('No such file or directory')).rules = [];
      else if (verb === 'delete') {
        const c = t.chains.get(name) ?? refuse('No such file or directory');
        if (c.rules.length || this.rulesNaming(t, `jump ${name}`)) refuse('Device or resource busy');
        for (const s of t.sets.values()) for (const text of s.elements.values()) if (text.endsWith(` : jump ${name}`)) refuse('Device or resource busy');
        t.chains.delete(name);
      }
      return;
    }
    if (what === 'rule') {
      const c = t.chains.get(name) ?? refuse('No such file or directory');
      for (const ref of body.match(/@[\w-]+/g) ?? []) if (!t.sets.has(ref.slice(1))) refuse(`Set '${ref.slice(1)}' does not exist`);
      for (const j of body.match(/jump [\w-]+/g) ?? []) if (!t.chains.has(j.slice(5))) refuse('No such file or directory');
      if (verb === 'insert') c.rules.unshift(body);
      else c.rules.push(body);
      return;
    }
    // elements
    const s = t.sets.get(name) ?? refuse('No such file or directory');
    const list = /^\{ (.*) \}$/.exec(body) ?? refuse(`syntax error: ${body}`);
    for (const e of splitTop(list[1])) {
      const key = keyOf(e);
      if (verb === 'add') {
        if (s.map !== e.includes(' : ')) refuse('Invalid argument');
        const j = / : jump (\S+)$/.exec(e);
        if (j && !t.chains.has(j[1])) refuse('No such file or directory');
        const setMade = this.made.get(`set ${name}`);
        const chainMade = j ? this.made.get(`chain ${j[1]}`) : undefined;
        if (s.flags === 'interval' && setMade !== undefined && chainMade !== undefined && chainMade > setMade) refuse('Could not process rule: No such file or directory');
        const had = s.elements.get(key);
        if (had !== undefined && had !== e) refuse('Could not process rule: File exists');
        s.elements.set(key, e);
      } else if (verb === 'delete') {
        if (!s.elements.delete(key)) refuse('Could not process rule: No such file or directory');
      }
    }
  }

  private rulesNaming(t: FakeTable, word: string): boolean {
    return [...t.chains.values()].some((c) => c.rules.some((r) => r.includes(word)));
  }

  /** `nft -s list table FAMILY NAME` as nft prints it; '' when there is no such table (nft fails ENOENT). */
  list(family: string, name: string): string {
    const t = this.tables.get(`${family} ${name}`);
    if (!t) return '';
    const blocks: string[] = [];
    for (const [n, s] of t.sets) {
      const lines = [`\t${s.map ? 'map' : 'set'} ${n} {`, `\t\ttype ${s.type}`, ...(s.flags ? [`\t\tflags ${s.flags}`] : [])];
      // nft wraps long element lists, continuing under the first element
      const es = [...s.elements.values()];
      if (es.length) lines.push(`\t\telements = { ${es.map((e, i) => (i === 0 ? e : `\n\t\t\t     ${e}`)).join(',')} }`);
      blocks.push([...lines, '\t}'].join('\n'));
    }
    for (const [n, c] of t.chains) blocks.push([`\tchain ${n} {`, ...(c.base ? [`\t\t${c.base}`] : []), ...c.rules.map((r) => `\t\t${r}`), '\t}'].join('\n'));
    return `table ${family} ${name} {\n${blocks.join('\n\n')}\n}\n`;
  }

  /** Every base chain: pont's own (in the fake's tables) and the foreign ones given. */
  baseChains(): FakeBaseChain[] {
    const mine: FakeBaseChain[] = [];
    for (const [id, t] of this.tables) {
      const [family, table] = id.split(' ');
      for (const [name, c] of t.chains) {
        const m = c.base && /^type \S+ hook (\S+) priority (\S+); policy (\S+);$/.exec(c.base);
        if (m) mine.push({ family, table, name, hook: m[1], priority: Number(m[2]) || 0, policy: m[3] });
      }
    }
    return [...mine, ...this.foreign];
  }

  /** Tables as plain sorted data (elements sorted: a set has no order), for deepEqual before/after. */
  snapshot(): Record<string, { sets: Record<string, string[]>; chains: Record<string, string[]> }> {
    const out: Record<string, { sets: Record<string, string[]>; chains: Record<string, string[]> }> = {};
    for (const id of [...this.tables.keys()].sort()) {
      const t = this.tables.get(id)!;
      const sets: Record<string, string[]> = {};
      for (const n of [...t.sets.keys()].sort()) sets[n] = [`type ${t.sets.get(n)!.type}`, ...[...t.sets.get(n)!.elements.values()].sort()];
      const chains: Record<string, string[]> = {};
      for (const n of [...t.chains.keys()].sort()) chains[n] = [...(t.chains.get(n)!.base ? [t.chains.get(n)!.base!] : []), ...t.chains.get(n)!.rules];
      out[id] = { sets, chains };
    }
    return out;
  }
}
