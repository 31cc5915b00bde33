// The read-only verbs' arguments in their plain spellings, read without commander: `network ls`,
// `inspect c1 -f '{{.Id}}'`, `ps -a --no-trunc`. Building commander's program and parsing with it
// was ~1 ms of a 5-8 ms start (issue 13; `network ls` against `node -e 0`), for commands whose
// arguments are nearly always these. Anything else (a help flag, pont's own flags before the
// verb, shorthands combined or with their value attached, `--`, a value that starts with `-`, a
// flag or argument the verb does not take, a verb short of its names) is null here, and
// commander reads it as before, with Docker's error texts: this reader only ever agrees with it
// (test/cli/read-argv.test.ts checks both on the same arguments). Pure: no I/O.

/** A flag as commander declares it: a boolean, a `--no-` negation, a value, or a repeatable value. */
interface FlagSpec {
  long: string;
  short?: string;
  kind: 'bool' | 'negated' | 'value' | 'collect';
  /** The option's key in commander's opts(): `--no-trunc` is `trunc`. */
  key: string;
}

interface VerbSpec {
  words: readonly string[][];
  flags: readonly FlagSpec[];
  /** Whether it takes names (inspect), at least one; else no argument at all. */
  names: boolean;
  /** The options commander has before any flag is read: defaults, and a negation's true. */
  defaults: Readonly<Record<string, string | boolean>>;
}

// every flag here is one word, its key in opts() (`--no-trunc`: `trunc`)
const bool = (long: string, short?: string): FlagSpec => ({ long, short, kind: 'bool', key: long });
const value = (long: string, short?: string): FlagSpec => ({ long, short, kind: 'value', key: long });
const collect = (long: string, short?: string): FlagSpec => ({ long, short, kind: 'collect', key: long });
const negated = (long: string): FlagSpec => ({ long: `no-${long}`, kind: 'negated', key: long });

/** The verbs as their modules register them with commander (network/ls.ts, container/ps.ts, ...). */
const VERBS = {
  'network-ls': {
    words: [['network', 'ls'], ['network', 'list']],
    flags: [bool('quiet', 'q'), collect('filter', 'f'), value('format'), negated('trunc')],
    names: false,
    defaults: { trunc: true },
  },
  'network-inspect': {
    words: [['network', 'inspect']],
    flags: [value('format', 'f'), bool('verbose', 'v')],
    names: true,
    defaults: {},
  },
  inspect: {
    words: [['inspect']],
    flags: [value('format', 'f'), value('type')],
    names: true,
    defaults: {},
  },
  ps: {
    words: [['ps']],
    flags: [bool('all', 'a'), bool('quiet', 'q'), value('format'), collect('filter', 'f'), negated('trunc'), value('last', 'n'), bool('latest', 'l')],
    names: false,
    defaults: { trunc: true, last: '-1' },
  },
} as const satisfies Record<string, VerbSpec>;

export type ReadVerb = keyof typeof VERBS;

/** A read-only command as commander would have called its action: its names, and its options. */
export interface ReadCall {
  verb: ReadVerb;
  names: string[];
  opts: Record<string, string | boolean | string[]>;
}

/** `args` (argv without node and the script) as one of the read-only verbs in plain spellings, or null: commander's to read. */
export function readPlainArgs(args: readonly string[]): ReadCall | null {
  for (const verb of Object.keys(VERBS) as ReadVerb[]) {
    const spec: VerbSpec = VERBS[verb];
    const words = spec.words.find((w) => w.every((word, i) => args[i] === word));
    if (words) return readVerb(verb, spec, args.slice(words.length));
  }
  return null;
}

function readVerb(verb: ReadVerb, spec: VerbSpec, args: readonly string[]): ReadCall | null {
  const opts: Record<string, string | boolean | string[]> = { ...spec.defaults };
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-')) {
      if (!spec.names) return null;
      names.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const long = a.startsWith('--');
    // `--flag`, `--flag=value` or `-f`; not `-`, `--`, `-qa` or `-fvalue`
    const name = long ? a.slice(2, eq < 0 ? undefined : eq) : a.length === 2 ? a[1] : '';
    const flag = name === '' ? undefined : spec.flags.find((f) => (long ? f.long === name : f.short === name));
    if (!flag) return null;
    if (flag.kind === 'bool' || flag.kind === 'negated') {
      if (long && eq >= 0) return null;
      opts[flag.key] = flag.kind === 'bool';
      continue;
    }
    let v: string;
    if (long && eq >= 0) v = a.slice(eq + 1);
    else {
      const next = args[i + 1];
      // missing, or one commander may take for a flag: its error, or its reading
      if (next === undefined || next.startsWith('-')) return null;
      v = next;
      i++;
    }
    opts[flag.key] = flag.kind === 'collect' ? [...((opts[flag.key] as string[] | undefined) ?? []), v] : v;
  }
  if (spec.names && names.length === 0) return null;
  return { verb, names, opts };
}
