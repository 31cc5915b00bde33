#!/usr/bin/env node
// pont's entry point: commander parses, the engine acts, and every error leaves through
// one place with one line (Docker's wording) and a non-zero exit code.
import { Command, CommanderError } from 'commander';
import { PontError } from '../core/errors.js';
import { registerContainerCommands } from './container.js';
import { registerNetworkCommands } from './network.js';
import { registerSystemCommands } from './system.js';

export function buildProgram(): Command {
  const program = new Command('pont')
    .description("Docker's network layer on the Linux kernel's own parts")
    .option('--debug', 'print the cause of errors')
    .showSuggestionAfterError(false)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(dockerizeCommanderError(s)) });
  registerNetworkCommands(program);
  registerContainerCommands(program);
  registerSystemCommands(program);
  return program;
}

/** Commander's "error: unknown option '--x'" becomes Docker's "unknown flag: --x". */
function dockerizeCommanderError(s: string): string {
  const m = /^error: unknown option '([^']+)'/.exec(s);
  if (m) return `unknown flag: ${m[1]}\nSee 'pont --help'.\n`;
  return s;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    // run, exec and container-exited pass on their command's exit code
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 125;
    if (e instanceof PontError) {
      if (e.message) process.stderr.write(e.message + '\n');
      for (const h of e.hints) process.stderr.write(h + '\n');
      if (program.opts().debug && e.cause) process.stderr.write(`cause: ${String((e.cause as Error).stack ?? e.cause)}\n`);
      return e.exitCode;
    }
    process.stderr.write(`pont: ${(e as Error).stack ?? e}\n`);
    return 1;
  }
}

let finished = false;
// A promise that can never settle (a lost kernel reply) lets Node exit early with code 0:
// make that a visible failure instead.
process.on('exit', () => {
  if (!finished) {
    process.stderr.write('pont: internal error: the command ended before finishing its work\n');
    process.exitCode = 70;
  }
});

main(process.argv).then((code) => {
  finished = true;
  process.exitCode = code;
});
