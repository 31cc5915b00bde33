// `pont logs`: a detached container's output, kept in its log file: all of it or its last lines
// (-n/--tail), then with -f/--follow what it writes until it stops, as `docker logs` prints it.
import type { Command } from 'commander';
import { PontError } from '../../core/errors.js';
import type { State } from '../../core/model.js';
import { argCountError, refuseControl } from '../args.js';
import { readState } from '../context.js';
import { requireContainer } from './shared.js';
import { writeOut } from '../../kernel/stdio.js';

/** How often a follow looks at the store for the container's end (and at its log). */
const POLL_MS = 100;

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
      // as the Docker API's logs answers through pont's service (routes/containers.ts)
      if (o.tail !== undefined && o.tail !== 'all' && !/^\d+$/.test(o.tail)) throw new PontError(`invalid value for "tail": ${JSON.stringify(o.tail)}`, { category: 'usage' });
      const [state, { followLog }, { Store }, { Writable }] = await Promise.all([
        readState(), import('../../engine/container/log-follow.js'), import('../../store/store.js'), import('node:stream'),
      ]);
      const ctr = requireContainer(state, ref);
      // the store, read again while following: the container's end stops the follow
      const store = new Store();
      let now: State = state;
      const events = {
        current: () => now,
        onChange(l: (s: State) => void) {
          const timer = setInterval(() => l((now = store.read())), POLL_MS);
          return () => clearInterval(timer);
        },
      };
      // a foreground container has no log file: its output went to the terminal
      // written as all of pont's output is (kernel/stdio.ts): a reader gone ends nothing but the output
      const out = new Writable({
        write(chunk: Buffer, _enc, done) {
          writeOut(chunk);
          done();
        },
      });
      await followLog(ctr, { events, follow: Boolean(o.follow), tail: o.tail === undefined || o.tail === 'all' ? undefined : Number(o.tail) }, out);
    });
}
