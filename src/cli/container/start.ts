// `pont start`: each named container in turn; Docker names the failed ones at the end. With
// -a, one container, its output from its start until it stops, and its exit code as pont's.
import type { Command } from 'commander';
import { PontError } from '../../core/errors.js';
import type { Context } from '../../engine/context.js';
import { readState, withContext } from '../context.js';
import { polled, stateOf, stdoutStream } from './follow.js';
import { eachContainer, requireContainer, requireRefs } from './shared.js';

/** What `start -a` passes on to the container, as Docker's CLI does with --sig-proxy (its default). */
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

export function registerStart(program: Command, group: string): void {
  program
    .command('start')
    .description('Start one or more stopped containers')
    .argument('[containers...]')
    .option('-a, --attach', 'Attach STDOUT/STDERR and forward signals')
    .action(async (refs: string[], o: { attach?: boolean }) => {
      requireRefs(`${group}start`, 'Start one or more stopped containers', refs);
      const { startContainer } = await import('../../engine/container/index.js');
      if (!o.attach) {
        await eachContainer(refs, (ctx, ref) => startContainer(ctx, ref), (failed) => `Error: failed to start containers: ${failed.join(', ')}`);
        return;
      }
      if (refs.length > 1) throw new PontError('you cannot start and attach multiple containers at once', { category: 'usage' });
      process.exitCode = await startAttached(refs[0], startContainer);
    });
}

/** Starts the container and writes what it writes until it stops; its exit code. */
async function startAttached(ref: string, start: (ctx: Context, ref: string) => Promise<void>): Promise<number> {
  const [{ followLog }, { logPath }, { statSync }, { recordedExit }, { signalContainer }] = await Promise.all([
    import('../../engine/container/log-follow.js'), import('../../kernel/run-dir.js'), import('node:fs'),
    import('../../engine/container/exit-codes.js'), import('../../kernel/process.js'),
  ]);
  const before = requireContainer(await readState(), ref);
  // the log is appended to: what this start makes the container write begins at its size now
  let from = 0;
  try {
    from = statSync(logPath(before.id)).size;
  } catch {
    // none yet
  }
  await withContext({}, (ctx) => start(ctx, ref));
  const read = await stateOf(before.id);
  // a signal to pont goes to the container's process (checked to be the one pont started), not
  // to pont: the container ends as it chooses, and its end ends the follow
  const started = read().containers.find((c) => c.id === before.id);
  const forward = (signal: NodeJS.Signals) => {
    if (started) signalContainer(started, signal);
  };
  for (const s of FORWARDED) process.on(s, forward);
  try {
    await followLog(before, { events: polled(read), follow: true, onlyNew: true, from }, await stdoutStream());
  } finally {
    for (const s of FORWARDED) process.off(s, forward);
  }
  const after = read().containers.find((c) => c.id === before.id);
  return after ? after.exitCode : (recordedExit(before.id) ?? 0);
}
