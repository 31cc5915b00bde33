// `pont logs`: a detached container's output, kept in its log file: all of it or its last lines
// (-n/--tail), then with -f/--follow what it writes until it stops, as `docker logs` prints it.
import type { Command } from 'commander';
import { argCountError, refuseControl } from '../args.js';
import { readState } from '../context.js';
import { polled, stateOf, stdoutStream } from './follow.js';
import { requireContainer } from './shared.js';

export function registerLogs(program: Command, group = ''): void {
  program
    .command('logs')
    .description('Fetch the logs of a container')
    .argument('[container...]')
    .option('-f, --follow', 'Follow log output')
    .option('-n, --tail <string>', 'Number of lines to show from the end of the logs (default "all")')
    .action(async (args: string[], o: { follow?: boolean; tail?: string }) => {
      if (args.length !== 1) throw argCountError(`${group}logs`, 'exactly 1 argument', '[OPTIONS] CONTAINER', 'Fetch the logs of a container');
      const [ref] = args;
      refuseControl('', [ref]);
      const [state, { followLog, parseTail }] = await Promise.all([readState(), import('../../engine/container/log-follow.js')]);
      const ctr = requireContainer(state, ref);
      // a container run in the foreground has no log of that run: its output went to the terminal
      const events = polled(await stateOf(ctr.id));
      await followLog(ctr, { events, follow: Boolean(o.follow), tail: parseTail(o.tail) }, await stdoutStream());
    });
}
