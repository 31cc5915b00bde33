// How a command ends, whichever reader parsed its arguments (cli.ts with commander, read-main.ts
// without it): an error leaves with one message and its exit code, and the process exits as soon
// as the command is done.
import { PontError } from '../core/errors.js';
import { writeErr } from '../kernel/stdio.js';

/** Prints an error as pont does (its message and hints, or a stack for a bug); the exit code. */
export function reportError(e: unknown, debug: boolean): number {
  if (e instanceof PontError) {
    if (e.message) writeErr(e.message + '\n');
    for (const h of e.hints) writeErr(h + '\n');
    if (debug && e.cause) writeErr(`cause: ${String((e.cause as Error).stack ?? e.cause)}\n`);
    return e.exitCode;
  }
  writeErr(`pont: ${(e as Error).stack ?? e}\n`);
  return 1;
}

/**
 * Runs a command to its end, then exits with its code; null: the command was handed over to
 * another bundle (handover.ts), which exits when it is done.
 */
export function runToExit(command: () => Promise<number | null>): void {
  let finished = false;
  // A promise that can never settle (a lost kernel reply) lets Node exit early with code 0:
  // make that a visible failure instead.
  process.on('exit', () => {
    if (!finished) {
      writeErr('pont: internal error: the command ended before finishing its work\n');
      process.exitCode = 70;
    }
  });
  // Once the command is done, the process exits there: nothing is left to run (output is written
  // synchronously, children are awaited or detached), and Node's orderly end frees the whole heap
  // first. From the output line to exit_group, 2-core machine, strace, rm -f: 9 -> 4.3 ms with
  // one container, 25 -> 7 ms with 500 (whose store and records make the heap bigger).
  void command().then((code) => {
    finished = true;
    if (code !== null) process.exit(code);
  });
}
