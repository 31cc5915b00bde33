// `pont wait`: blocks until each named container stops, then prints its exit code, as
// `docker wait` (a --rm container's code is the one recorded as it left: exit-codes.ts).
import type { Command } from 'commander';
import { daemonError } from '../../core/errors.js';
import { argCountError, eachName, refuseControl } from '../args.js';
import { readState } from '../context.js';
import { say } from '../../kernel/stdio.js';
import { POLL_MS, stateOf } from './follow.js';

export function registerWait(program: Command, group: string): void {
  program
    .command('wait')
    .description('Block until one or more containers stop, then print their exit codes')
    .argument('[containers...]')
    .action(async (refs: string[]) => {
      // Docker's usage names no options: wait has none
      if (!refs.length) throw argCountError(`${group}wait`, 'at least 1 argument', 'CONTAINER [CONTAINER...]', 'Block until one or more containers stop, then print their exit codes');
      refuseControl('', refs);
      const [{ findContainer }, { recordedExit }] = await Promise.all([import('../../engine/lookup.js'), import('../../engine/container/exit-codes.js')]);
      await eachName(refs, async (ref) => {
        const c = findContainer(await readState(), ref);
        if (!c) throw daemonError(`No such container: ${ref}`, 'not-found');
        const read = await stateOf(c.id);
        let code = c.exitCode;
        for (;;) {
          const now = read().containers.find((x) => x.id === c.id);
          if (!now) {
            code = recordedExit(c.id) ?? code;
            break;
          }
          code = now.exitCode;
          if (!now.running) break;
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
        say(String(code));
      });
    });
}
