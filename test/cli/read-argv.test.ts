// The read-only verbs' plain arguments, read without commander (cli/read-argv.ts), held to what
// commander reads from the same arguments: whatever the reader takes, commander takes alike
// (same command, names and options), and the common spellings are the reader's.
import test from 'ava';
import type { Command } from 'commander';
import { buildProgram, type CommandSet } from '../../src/cli/cli.js';
import { registerInspect } from '../../src/cli/container/inspect.js';
import { registerPs } from '../../src/cli/container/ps.js';
import { registerNetworkInspect } from '../../src/cli/network/inspect.js';
import { registerNetworkLs } from '../../src/cli/network/ls.js';
import { readPlainArgs } from '../../src/cli/read-argv.js';
import { seededRandom } from '../helpers/seeded.js';

// as read-main.ts registers them
const READ_COMMANDS: CommandSet = {
  network: [[['ls', 'list'], registerNetworkLs], [['inspect'], registerNetworkInspect]],
  container: [['ps', registerPs], ['inspect', registerInspect]],
  more: [],
  system: [],
};

interface Parsed {
  path: string;
  names: string[];
  opts: Record<string, unknown>;
}

const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];

/** What commander calls the action with for `args`, or null when it refuses them (or prints help). */
async function commanderReads(args: string[]): Promise<Parsed | null> {
  const argv = ['node', 'pont', ...args];
  const program = buildProgram(READ_COMMANDS, argv);
  let parsed: Parsed | null = null;
  for (const c of all(program)) {
    c.configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
    if (c.commands.length === 0 && c.parent) {
      c.action((...a: unknown[]) => {
        const cmd = a[a.length - 1] as Command;
        const path = [];
        for (let p: Command | null = cmd; p?.parent; p = p.parent) path.unshift(p.name());
        parsed = { path: path.join(' '), names: a.length === 3 ? (a[0] as string[]) : [], opts: { ...cmd.opts() } };
      });
    }
  }
  try {
    await program.parseAsync(argv);
  } catch {
    return null;
  }
  return parsed;
}

const VERB_PATH = { 'network-ls': 'network ls', 'network-inspect': 'network inspect', inspect: 'inspect', ps: 'ps' } as const;

const HEADS = [['network', 'ls'], ['network', 'list'], ['network', 'inspect'], ['inspect'], ['ps'], ['network'], ['container', 'inspect'], ['-D', 'ps'], ['ls']];
const TOKENS = [
  '-q', '--quiet', '-f', '--filter', '--filter=driver=bridge', '--format', '--format=', '--format={{.ID}}', '{{.Name}}', 'table {{.ID}}', 'name=a', 'driver=bridge',
  '-a', '--all', '--no-trunc', '--no-trunc=1', '--trunc', '-n', '--last', '--last=2', '5', '-1', '-l', '--latest', '-v', '--verbose', '--type', '--type=network',
  'container', 'network', '-h', '--help', '--', '-', '-qa', '-fx', '-x', '--bogus', 'c1', 'bridge', '', 'ls', '--quiet=true', '-D',
];

const PLAIN = ['-q', '--quiet', '-f', 'driver=bridge', '--filter=name=a', '--format', '{{.ID}}', '--format=', '--no-trunc', '-a', '--all', '-n', '2', '--last=1', '-l', 'c1', 'bridge', '--type', 'network', '-v'];

test('readPlainArgs: anything it reads, commander reads alike; the rest is commander\'s', async (t) => {
  const r = seededRandom(13);
  const cases: string[][] = [];
  for (const head of HEADS) {
    cases.push(head);
    // wild lists, and lists of the tokens a verb takes (so that many are the reader's)
    for (const tokens of [TOKENS, PLAIN]) {
      for (let i = 0; i < 120; i++) cases.push([...head, ...Array.from({ length: 1 + Math.floor(r() * 4) }, () => tokens[Math.floor(r() * tokens.length)])]);
    }
  }
  let fast = 0;
  for (const args of cases) {
    const plain = readPlainArgs(args);
    if (plain === null) continue;
    fast++;
    const theirs = await commanderReads(args);
    const what = JSON.stringify(args);
    if (!theirs) return t.fail(`${what}: read here, refused by commander`);
    t.deepEqual({ path: VERB_PATH[plain.verb], names: plain.names, opts: plain.opts }, theirs, what);
  }
  t.true(fast > 120, `the reader took ${fast} of ${cases.length} lists`);
});

test('readPlainArgs: the common spellings of the read-only verbs are read without commander', async (t) => {
  const common = [
    'network ls', 'network list -q', 'network ls --no-trunc', 'network ls -f driver=bridge -f name=a', 'network ls --format {{.Name}}', 'network ls --filter=name=a -q',
    'inspect c1', 'inspect c1 c2 --type container', 'inspect -f {{.Id}} c1', 'inspect --format={{.Name}} bridge', 'network inspect bridge', 'network inspect -v bridge host',
    'ps', 'ps -a', 'ps -aq', 'ps -a -q --no-trunc', 'ps -n 2', 'ps --last=3 -l', 'ps --format {{.Names}} -f status=running',
  ];
  for (const line of common) {
    const args = line.split(' ');
    const plain = readPlainArgs(args);
    // a combined shorthand is commander's (pflag's rules for them are its own)
    if (line === 'ps -aq') {
      t.is(plain, null);
      continue;
    }
    t.not(plain, null, line);
    t.deepEqual({ path: VERB_PATH[plain!.verb], names: plain!.names, opts: plain!.opts }, await commanderReads(args), line);
  }
});

test('readPlainArgs: help, pont\'s own flags, `--`, other verbs and commands short of their names are null', (t) => {
  for (const line of ['network ls -h', 'network ls --help', '-D network ls', 'network ls --', 'network ls x', 'network', 'inspect', 'network inspect', 'container inspect c1', 'ps -fx', 'ps --format', 'ps -n -1', 'run alpine', 'network ls --quiet=1']) {
    t.is(readPlainArgs(line.split(' ')), null, line);
  }
});
