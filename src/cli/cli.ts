// The CLI's machinery, for a set of commands: commander parses, the engine acts, and every error
// leaves through one place with one line (Docker's wording) and a non-zero exit code. One module
// per command; the engine's modules (but the pure lookup) and every module a command's flags do
// not need are imported when a command runs, not when it is registered, so a command loads only
// what it uses: start-up is most of a short command (bench/startup.ts). Programs that run it:
// main.ts with every command, and read-main.ts, network-main.ts and container-main.ts with a few
// verbs alone, bundles of 52-56% of main.ts's size that bin/pont starts for those verbs.
import { Command, CommanderError } from 'commander';
import { VERSION } from '../core/version.js';
import type { RegisterVerb } from './container/shared.js';
import { writeErr, writeOut } from '../kernel/stdio.js';
import { readRootFlags } from './root-flags.js';
import { reportError, runToExit } from './exit.js';

/** The commands a program has, in the order of `pont --help`. */
export interface CommandSet {
  /** `pont network`'s verbs, in this order in its help, by their names and aliases. */
  network: [string[], (network: Command) => void][];
  /** In this order in `pont --help` and `pont container --help`, by their names at the top level. */
  container: [string, RegisterVerb][];
  /** The top-level commands after the container group (dns, container-exited, trace). */
  more: ((program: Command) => void)[];
  /** `pont system`'s verbs. */
  system: ((system: Command) => void)[];
  /** `pont info`, which is `pont system info` (`docker info`). */
  info?: (program: Command) => void;
}
/** The top-level commands that are no container verb (a name missing here only costs time). */
const OTHER_COMMANDS = ['network', 'container', 'system', 'dns', 'container-exited', 'trace', 'info'];

/**
 * The commands `argv` can reach. A group's verbs are built only when `argv` names the group
 * (`pont network ls`, `pont help network`): nothing else reaches them, not even `pont --help`,
 * and building every command was a millisecond of every start.
 */
export function buildProgram(commands: CommandSet, argv: string[], everything = false): Command {
  const program = new Command('pont')
    .description("Docker's network layer on the Linux kernel's own parts")
    .option('-D, --debug', 'print the cause of errors')
    // as `docker -v, --version` ("Docker version 20.10.24+dfsg1, build 297e128")
    .version(`pont version ${VERSION}`, '-v, --version', 'Print version information and quit')
    .showSuggestionAfterError(false)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut, writeErr: (s) => writeErr(dockerizeCommanderError(s)) });
  const named = (group: Command) => everything || argv.includes(group.name());
  // The command the words name is the only one that can run: `pont network ls` needs neither
  // the container verbs nor network's others, `pont rm` only rm (building them all was 3-5 ms of
  // every start, run's 40 options most of it). No word, `help`, a word that is no command (help,
  // or an error that lists nothing) and a help flag anywhere (`pont network -h ls` lists
  // network's verbs) get them all.
  const args = argv.slice(2);
  const words = everything || args.some((a) => a === '--help' || /^-[^-]*h/.test(a)) ? [] : args.filter((a) => !a.startsWith('-'));
  const network = program.command('network').description('Manage networks');
  if (named(network)) {
    const next = words[words.indexOf('network') + 1];
    const verb = commands.network.find(([names]) => names.includes(next));
    for (const [names, register] of commands.network) if (!verb || names === verb[0]) register(network);
  }
  // the container verbs at the top level (`pont stop`) and again under `pont container`, as Docker has both
  const verb = commands.container.find(([name]) => name === words[0]);
  if (!OTHER_COMMANDS.includes(words[0] ?? '')) for (const [name, register] of commands.container) if (!verb || name === words[0]) register(program, '');
  const container = program.command('container').description('Manage containers').enablePositionalOptions();
  if (named(container)) for (const [, register] of commands.container) register(container, 'container ');
  for (const register of commands.more) register(program);
  const system = program.command('system').description("Compare the kernel with pont's store, and repair it");
  if (named(system)) for (const register of commands.system) register(system);
  // `docker info` is `docker system info`
  if (argv.includes('info')) commands.info?.(program);
  return program;
}

/** Commander's "unknown option", "unknown command" and "too many arguments" say nothing here: main() words them as Docker does. */
function dockerizeCommanderError(s: string): string {
  return /^error: (?:unknown option |unknown command |too many arguments|option '.*' argument missing)/s.test(s) ? '' : s;
}

/**
 * The command a flag was given to, as Docker's CLI words it in "See 'docker network ls --help'.":
 * the canonical names of the (sub)commands the words before the flag reach (an alias as its
 * command's name). `flag`: as commander reports it (`--x`, `--x=1`, `-z`, a letter of `-dz`).
 */
function commandPath(program: Command, args: string[], flag: string): string {
  const short = /^-[^-]$/.test(flag);
  const at = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`) || (short && /^-[^-]/.test(a) && a.includes(flag[1])));
  return pathOf(commandOf(program, at < 0 ? args : args.slice(0, at)));
}

/** `pont network ls`: a command's words, by their canonical names. */
function pathOf(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return ['pont', ...names].join(' ');
}

/** The subcommand of `cmd` that `word` names, by its name or an alias. */
const subcommand = (cmd: Command, word: string | undefined): Command | undefined => cmd.commands.find((c) => c.name() === word || c.aliases().includes(word ?? ''));

/** Tells bin/pont that the CLI only printed help: no code cache is kept of such a run for the verb. */
const markHelpOnly = () => {
  (globalThis as Record<symbol, unknown>)[Symbol.for('pont.help-only')] = true;
};

/** The (sub)command the leading words of `args` reach (an alias as its command). */
function commandOf(program: Command, args: string[]): Command {
  let cmd = program;
  for (const word of args) {
    if (word.startsWith('-')) continue;
    const next = subcommand(cmd, word);
    if (!next) break;
    cmd = next;
  }
  return cmd;
}

/**
 * Docker 20.10's CLI for a command that takes no argument and was given some (observed, exit 1):
 * `"docker network ls" accepts no arguments.`, the pointer to --help, its usage and summary.
 */
function noArguments(program: Command, args: string[]): number {
  const cmd = commandOf(program, args);
  const path = pathOf(cmd);
  writeErr(`"${path}" accepts no arguments.\nSee '${path} --help'.\n\nUsage:  ${path}${cmd.options.length ? ' [OPTIONS]' : ''}\n\n${cmd.description()}\n`);
  return 1;
}

/**
 * Docker 20.10's CLI (observed, exit 125): "unknown flag: --x" or "unknown shorthand flag: 'x'
 * in -x", then "See 'docker network ls --help'." naming the command the flag was given to.
 */
function unknownFlag(flag: string, program: Command, args: string[]): void {
  // pflag names a long flag without its value (`--x=1` is "unknown flag: --x"); a short one as given
  const what = /^-[^-]/.test(flag) ? `unknown shorthand flag: '${flag[1]}' in ${flag}` : `unknown flag: ${flag.replace(/=.*/s, '')}`;
  writeErr(`${what}\nSee '${commandPath(program, args, flag)} --help'.\n`);
}

/**
 * Docker 20.10's CLI (observed, exit 125) for a flag given last without its value: "flag needs an
 * argument: --env" or "flag needs an argument: 'e' in -e" (`-de` too), then "See 'docker run
 * --help'." naming the command. `flags`: the option as commander names it ("-e, --env <var>").
 */
function missingValue(flags: string, program: Command, args: string[]): void {
  const long = /--[^\s,<[]+/.exec(flags)?.[0];
  const short = /(?:^|[\s,])-([^-\s,])/.exec(flags)?.[1];
  // the value is missing only when the flag ends the arguments: the last one naming it
  const names = (a: string) => a === long || (short !== undefined && /^-[^-]/.test(a) && a.endsWith(short));
  let at = args.length - 1;
  while (at >= 0 && !names(args[at])) at--;
  const what = (at < 0 ? !short : args[at].startsWith('--')) ? long : `'${short}' in -${short}`;
  writeErr(`flag needs an argument: ${what}\nSee '${pathOf(commandOf(program, at < 0 ? args : args.slice(0, at)))} --help'.\n`);
}

/**
 * What Docker 20.10's CLI does for a word that is no command (observed, exit 1 both): under a
 * group (`docker network bogus`) the group's usage on stderr; at the top (`docker bogus`)
 * "docker: 'bogus' is not a docker command." and a pointer to --help. A word after `--` that
 * looks like a flag is taken for one (exit 125), as Docker's CLI does.
 */
function unknownCommand(message: string, program: Command, args: string[]): number {
  const name = /unknown command '(.*)'/s.exec(message)?.[1] ?? '';
  if (name.startsWith('-')) {
    unknownFlag(name, program, args);
    return 125;
  }
  const first = args.find((a) => !a.startsWith('-'));
  const group = subcommand(program, first);
  if (group?.commands.length && name !== first) group.outputHelp({ error: true });
  else writeErr(`pont: '${name}' is not a pont command.\nSee 'pont --help'\n`);
  return 1;
}

/**
 * `pont help WORD...`, as Docker 20.10's CLI (observed): the help of the command the words name
 * (`help network ls`: ls's, where commander would take only the first word), or for a word that
 * is no command "unknown help topic: WORD" and exit 1. null: not such a call (commander's).
 */
function helpTopic(program: Command, args: string[]): number | null {
  // `help help` and the like: commander's own help command, which is no registered command
  if (args[0] !== 'help' || args.length < 2 || args[1] === 'help') return null;
  let cmd = program;
  for (const word of args.slice(1)) {
    const next = subcommand(cmd, word);
    if (!next) {
      writeErr(`unknown help topic: ${word}\n`);
      return 1;
    }
    cmd = next;
  }
  cmd.outputHelp();
  markHelpOnly();
  return 0;
}

async function main(commands: CommandSet, given: string[], handOver?: (e: unknown) => number | null | undefined): Promise<number | null> {
  const root = readRootFlags(given.slice(2));
  if ('error' in root) {
    writeErr(`${root.error}\nSee 'pont --help'.\n`);
    return 125;
  }
  const argv = [...given.slice(0, 2), ...root.args];
  if (root.helpFor) {
    // `pont -h network ls`: the help of the command the words reach, as Docker's CLI prints it
    // (the root's for a word that is no command)
    commandOf(buildProgram(commands, argv, true), root.helpFor).outputHelp();
    markHelpOnly();
    return 0;
  }
  const program = buildProgram(commands, argv);
  const topic = helpTopic(program, argv.slice(2));
  if (topic !== null) return topic;
  try {
    await program.parseAsync(argv);
    // run, exec and container-exited pass on their command's exit code
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // `pont network`, a group without its verb, prints the group's help on stderr and exits 0,
      // as `docker network` does (commander's own code for it is 1)
      if (e.exitCode === 0 || e.code === 'commander.help') {
        // help or the version, printed
        markHelpOnly();
        return 0;
      }
      // an unknown verb exits 1, as Docker 20.10's CLI (observed): a group's prints its usage
      if (e.code === 'commander.unknownCommand') return unknownCommand(e.message, program, argv.slice(2));
      if (e.code === 'commander.excessArguments') return noArguments(program, argv.slice(2));
      if (e.code === 'commander.unknownOption') unknownFlag(/unknown option '(.*)'/s.exec(e.message)?.[1] ?? '', program, argv.slice(2));
      if (e.code === 'commander.optionMissingArgument') missingValue(/option '(.*)' argument missing/s.exec(e.message)?.[1] ?? '', program, argv.slice(2));
      return 125;
    }
    // read.js's commands that need main.js (handover.ts): run again from it (null)
    const handed = handOver?.(e);
    if (handed !== undefined) return handed;
    return reportError(e, program.opts().debug === true);
  }
}

/**
 * Runs the command `process.argv` names among `commands`, then exits with its code. `handOver`:
 * for an error that hands the command over to another bundle (read-main.ts), null once it has,
 * or the exit code if it could not; undefined for any other error.
 */
export function runCli(commands: CommandSet, handOver?: (e: unknown) => number | null | undefined): void {
  runToExit(() => main(commands, process.argv, handOver));
}
