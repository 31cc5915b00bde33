// `pont logs`: a detached container's output, kept in its log file.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { argCountError, refuseControl } from '../args.js';
import { readState } from '../context.js';
import { requireContainer } from './shared.js';
import { writeOut } from '../../kernel/stdio.js';

export function registerLogs(program: Command, group = ''): void {
  program
    .command('logs')
    .description('Fetch the logs of a container')
    .argument('[container...]')
    .action(async (args: string[]) => {
      if (args.length !== 1) throw argCountError(`${group}logs`, 'exactly 1 argument', '[OPTIONS] CONTAINER', 'Fetch the logs of a container');
      const [ref] = args;
      refuseControl('', [ref]);
      const [state, { logPath }] = await Promise.all([readState(), import('../../kernel/run-dir.js')]);
      const ctr = requireContainer(state, ref);
      try {
        writeOut(readFileSync(logPath(ctr.id)));
      } catch {
        // a foreground container has no log file: its output went to the terminal
      }
    });
}
