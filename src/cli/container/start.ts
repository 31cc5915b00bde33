// `pont start`: each named container in turn; Docker names the failed ones at the end. With
// -a, one container, its output from its start until it stops, and its exit code as pont's.
import type { Command } from 'commander';
import { PontError } from '../../core/errors.js';
import { writeOut } from '../../kernel/stdio.js';
import { readState, withContext } from '../context.js';
import { eachContainer, requireContainer, requireRefs } from './shared.js';

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
async function startAttached(ref: string, start: (ctx: import('../../engine/context.js').Context, ref: string) => Promise<void>): Promise<number> {
  const [{ followLog }, { Store }, { Writable }, { logPath }, { statSync }, { recordedExit }] = await Promise.all([
    import('../../engine/container/log-follow.js'), import('../../store/store.js'), import('node:stream'), import('../../kernel/run-dir.js'),
    import('node:fs'), import('../../engine/container/exit-codes.js'),
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
  const store = new Store();
  let now = store.read();
  const events = {
    current: () => now,
    onChange(l: (s: typeof now) => void) {
      const timer = setInterval(() => l((now = store.read())), 100);
      return () => clearInterval(timer);
    },
  };
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      writeOut(chunk);
      done();
    },
  });
  await followLog(before, { events, follow: true, onlyNew: true, from }, out);
  const after = store.read().containers.find((c) => c.id === before.id);
  return after ? after.exitCode : (recordedExit(before.id) ?? 0);
}
