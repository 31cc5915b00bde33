// The iptables part of the fake kernel (fake-host.ts): tables of chains of rules, changed by
// `iptables-restore --noflush` documents and shown as `iptables-save` text. A document applies
// whole or not at all (as iptables-nft-restore does; iptables-legacy-restore commits table by
// table). Rule specs are kept as the exact arguments given: iptables-save would print its own
// canonical form (`-s 10.0.0.1/32`, options in its order), which pont's specs already are.

export type FwTable = 'raw' | 'mangle' | 'nat' | 'filter' | 'security';

/** Built-in chains in the order iptables-save lists them. */
const BUILTIN: Record<FwTable, readonly string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};
const TABLES = Object.keys(BUILTIN) as FwTable[];

/** Targets iptables knows besides chains; those of the nat table are refused elsewhere. */
const TARGETS = new Set(['ACCEPT', 'DROP', 'RETURN', 'QUEUE', 'REJECT', 'LOG', 'MARK', 'CONNMARK', 'CT', 'NOTRACK', 'TCPMSS', 'NFQUEUE', 'CHECKSUM', 'TRACE', 'AUDIT', 'TPROXY']);
const NAT_TARGETS = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP']);

interface FwRule {
  args: readonly string[];
  /** The rule as iptables-save prints it after `-A CHAIN `; also its identity for -D. */
  text: string;
}
interface FwChain {
  /** ACCEPT/DROP for a built-in chain, '-' for a user-defined one. */
  policy: string;
  rules: FwRule[];
}
type Chains = Map<string, FwChain>;

/** iptables-save's quoting of an argument (and iptables-restore's, as pont renders it). */
const saveArg = (a: string) => (/[\s"]/.test(a) || a === '' ? `"${a.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : a);
const ruleOf = (args: readonly string[]): FwRule => ({ args, text: args.map(saveArg).join(' ') });

class RestoreError extends Error {}

/** Splits an iptables-restore line into arguments: blanks separate, "…" groups, \" is a quote. */
export function splitRestoreLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && (line[i + 1] === '"' || (quoted && line[i + 1] === '\\'))) {
      cur += line[++i];
      started = true;
    } else if (c === '"') {
      quoted = !quoted;
      started = true;
    } else if (!quoted && /\s/.test(c)) {
      if (started) out.push(cur);
      cur = '';
      started = false;
    } else {
      cur += c;
      started = true;
    }
  }
  if (quoted) throw new RestoreError('unterminated quote');
  if (started) out.push(cur);
  return out;
}

/** The chain a rule jumps or goes to (`-j`/`-g`), if any. */
function targetOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length - 1; i++) if (['-j', '--jump', '-g', '--goto'].includes(args[i])) return args[i + 1];
  return undefined;
}

function refuse(why: string): never {
  throw new RestoreError(why);
}

function freshTable(t: FwTable): Chains {
  return new Map(BUILTIN[t].map((c) => [c, { policy: 'ACCEPT', rules: [] }]));
}

export class FakeFirewall {
  /** The tables that exist (a table appears when a document first names it). */
  private tables = new Map<FwTable, Chains>();

  constructor(tables: readonly FwTable[] = ['raw', 'mangle', 'nat', 'filter']) {
    for (const t of tables) this.tables.set(t, freshTable(t));
  }

  /**
   * Applies an `iptables-restore --noflush` document, whole or not at all. Throws a message like
   * iptables-restore's stderr (`iptables-restore: line N failed: why`) when a line fails.
   */
  restore(doc: string): void {
    const work = new Map<FwTable, TableEdit>();
    let edit: TableEdit | undefined;
    let n = 0;
    try {
      for (const raw of doc.split('\n')) {
        n++;
        const line = raw.trim();
        if (!line || line.startsWith('#')) continue;
        if (line.startsWith('*')) {
          if (edit) refuse(`table ${edit.table} not committed before ${line}`);
          const name = line.slice(1).trim() as FwTable;
          if (!TABLES.includes(name)) refuse(`can't initialize iptables table \`${name}': Table does not exist (do you need to insmod?)`);
          edit = work.get(name) ?? new TableEdit(name, this.tables.get(name) ?? freshTable(name));
          work.set(name, edit);
        } else if (!edit) {
          refuse('no table specified');
        } else if (line === 'COMMIT') {
          edit.commit();
          edit = undefined;
        } else if (line.startsWith(':')) {
          edit.declare(line.slice(1).split(/\s+/));
        } else {
          edit.command(splitRestoreLine(line));
        }
      }
      if (edit) refuse('COMMIT expected');
    } catch (e) {
      if (!(e instanceof RestoreError)) throw e;
      throw new Error(`iptables-restore: line ${n} failed: ${e.message}`);
    }
    for (const [t, e] of work) this.tables.set(t, e.chains);
  }

  /** iptables-save's text: each table, its chains (built-in first, then by name), its rules. */
  save(): string {
    let out = '';
    for (const t of TABLES) {
      const chains = this.tables.get(t);
      if (!chains) continue;
      const order = chainOrder(t, chains);
      out += `# Generated by iptables-save v1.8.9 (fake)\n*${t}\n`;
      for (const c of order) out += `:${c} ${chains.get(c)!.policy} [0:0]\n`;
      for (const c of order) for (const r of chains.get(c)!.rules) out += `-A ${c} ${r.text}\n`;
      out += 'COMMIT\n# Completed\n';
    }
    return out;
  }

  /** table → chain → policy and rule lines, in iptables-save's order. */
  snapshot(): Record<string, Record<string, { policy: string; rules: string[] }>> {
    const out: Record<string, Record<string, { policy: string; rules: string[] }>> = {};
    for (const t of TABLES) {
      const chains = this.tables.get(t);
      if (!chains) continue;
      out[t] = {};
      for (const c of chainOrder(t, chains)) out[t][c] = { policy: chains.get(c)!.policy, rules: chains.get(c)!.rules.map((r) => r.text) };
    }
    return out;
  }

  /** The rule lines of one chain (`-A`'s arguments after the chain), or undefined without it. */
  rules(table: FwTable, chain: string): string[] | undefined {
    return this.tables.get(table)?.get(chain)?.rules.map((r) => r.text);
  }
}

const chainOrder = (t: FwTable, chains: Chains) => [...BUILTIN[t], ...[...chains.keys()].filter((c) => !BUILTIN[t].includes(c)).sort()];

/**
 * One table's changes within a document, copy-on-write: the chain map is copied, a chain only
 * when a line changes it, so a document costs what it touches, not the size of the table.
 */
class TableEdit {
  readonly chains: Chains;
  private mine = new Set<FwChain>();
  /** Jumps to user chains this document added, [from, to]: only they can close a loop. */
  private jumps: [string, string][] = [];

  constructor(readonly table: FwTable, from: Chains) {
    this.chains = new Map(from);
  }

  /** A jump loop makes the kernel refuse the whole table (ELOOP), at its COMMIT. */
  commit(): void {
    for (const [from, to] of this.jumps) {
      // a loop: `from` is reachable again from where its new jump leads
      const seen = new Set<string>();
      const reaches = (c: string): boolean => {
        if (c === from) return true;
        if (seen.has(c)) return false;
        seen.add(c);
        return (this.chains.get(c)?.rules ?? []).some((r) => {
          const next = targetOf(r.args);
          return next !== undefined && this.chains.has(next) && reaches(next);
        });
      };
      if (this.chains.has(from) && this.chains.has(to) && reaches(to)) refuse(`Too many levels of symbolic links: jump loop through ${from}`);
    }
    this.jumps = [];
  }

  /** `:NAME POLICY [packets:bytes]`: sets a built-in chain's policy; creates or flushes a user chain. */
  declare([name, policy]: string[]): void {
    if (!name || !policy) refuse('malformed chain declaration');
    if (this.builtin(name)) {
      if (policy !== '-') this.setPolicy(name, policy);
    } else if (policy !== '-') {
      refuse(`Can't set policy \`${policy}' on \`${name}' line`);
    } else if (this.chains.has(name)) {
      this.edit(name).rules = [];
    } else {
      this.newChain(name);
    }
  }

  /** One iptables command line of a restore document. */
  command(args: string[]): void {
    const [op, name, ...rest] = args;
    switch (op) {
      case '-A':
      case '--append':
        this.checkTarget(name, rest);
        this.edit(name).rules.push(ruleOf(rest));
        return;
      case '-I':
      case '--insert': {
        const c = this.edit(name);
        const pos = /^\d+$/.test(rest[0] ?? '') ? Number(rest.shift()) : 1;
        if (pos < 1) refuse(`Invalid rule number \`${pos}'`);
        if (pos > c.rules.length + 1) refuse('Index of insertion too big');
        this.checkTarget(name, rest);
        c.rules.splice(pos - 1, 0, ruleOf(rest));
        return;
      }
      case '-D':
      case '--delete':
        this.deleteRule(name, rest);
        return;
      case '-N':
      case '--new-chain':
        this.newChain(name);
        return;
      case '-X':
      case '--delete-chain':
        for (const c of name === undefined ? [...this.chains.keys()].filter((c) => !this.builtin(c)) : [name]) this.deleteChain(c);
        return;
      case '-F':
      case '--flush':
        for (const c of name === undefined ? [...this.chains.keys()] : [name]) this.edit(c).rules = [];
        return;
      case '-P':
      case '--policy':
        this.setPolicy(name, rest[0]);
        return;
      case '-Z':
      case '--zero':
        if (name !== undefined) this.get(name);
        return;
      default:
        refuse(`FakeFirewall: unsupported command ${op ?? '(none)'}`);
    }
  }

  private builtin(chain: string): boolean {
    return BUILTIN[this.table].includes(chain);
  }

  private get(name: string | undefined): FwChain {
    if (name === undefined) return refuse('chain name expected');
    return this.chains.get(name) ?? refuse(`Chain '${name}' does not exist`);
  }

  /** The chain, this document's own copy of it. */
  private edit(name: string | undefined): FwChain {
    const c = this.get(name);
    if (this.mine.has(c)) return c;
    const copy = { policy: c.policy, rules: [...c.rules] };
    this.mine.add(copy);
    this.chains.set(name!, copy);
    return copy;
  }

  private setPolicy(name: string | undefined, policy: string | undefined): void {
    if (name !== undefined && !this.builtin(name)) refuse(`Chain '${name}' is not a built-in chain`);
    if (policy !== 'ACCEPT' && policy !== 'DROP') refuse(`Bad policy name \`${policy}'`);
    this.edit(name).policy = policy;
  }

  private newChain(name: string | undefined): void {
    if (!name) return refuse('chain name expected');
    if (this.chains.has(name)) refuse(`Chain already exists: ${name}`);
    if (name.length > 28) refuse(`chain name \`${name}' too long (must be under 29 chars)`);
    if (name.startsWith('-') || TARGETS.has(name) || NAT_TARGETS.has(name)) refuse(`chain name \`${name}' not allowed`);
    const c = { policy: '-', rules: [] };
    this.mine.add(c);
    this.chains.set(name, c);
  }

  private deleteChain(name: string): void {
    const c = this.get(name);
    if (this.builtin(name)) refuse(`Can't delete built-in chain ${name}`);
    if (c.rules.length) refuse(`Directory not empty: chain ${name} is not empty`);
    for (const [other, oc] of this.chains) if (oc.rules.some((r) => targetOf(r.args) === name)) refuse(`Too many links: chain ${name} is referenced by ${other}`);
    this.chains.delete(name);
  }

  /** -D by rule number, or the first rule with exactly these arguments. */
  private deleteRule(name: string | undefined, spec: string[]): void {
    const c = this.edit(name);
    let i: number;
    if (spec.length === 1 && /^\d+$/.test(spec[0])) {
      i = Number(spec[0]) - 1;
      if (i < 0 || i >= c.rules.length) refuse('Index of deletion too big');
    } else {
      const text = ruleOf(spec).text;
      i = c.rules.findIndex((r) => r.text === text);
      if (i < 0) refuse('Bad rule (does a matching rule exist in that chain?)');
    }
    c.rules.splice(i, 1);
  }

  private checkTarget(chain: string | undefined, args: readonly string[]): void {
    const target = targetOf(args);
    if (target === undefined || TARGETS.has(target)) return;
    if (NAT_TARGETS.has(target)) {
      if (this.table !== 'nat') refuse(`x_tables: ip_tables: ${target} target: only valid in nat table, not ${this.table}`);
      return;
    }
    if (this.builtin(target)) refuse(`Can't jump to built-in chain ${target}`);
    if (!this.chains.has(target)) refuse(`Couldn't load target \`${target}':No such file or directory`);
    if (chain !== undefined) this.jumps.push([chain, target]);
  }
}
