// `pont stop`: SIGTERM, then SIGKILL after `timeout` seconds, as `docker stop` does; the monitor
// then records the exit (container-exited). The signal is the point of no return: a stop is
// never undone, and what follows it is container-exited's, which is finished after a crash.
import { isAlive, monitorAlive, signalContainer, killContainer } from '../../kernel/process.js';
import type { Context } from '../context.js';
import { mustFindContainer } from '../lookup.js';
import { refuseExternal } from '../cni/attachment.js';
import { containerExited } from './exited.js';

export async function stopContainer(ctx: Context, ref: string, timeout: number): Promise<void> {
  const ctr = mustFindContainer(ctx.store.read(), ref);
  refuseExternal(ctr, 'stop');
  if (!ctr.running) return;
  if (!isAlive(ctr)) {
    // its process is gone (or its pid now names another process) and no monitor will report:
    // record it as exited, as a restart finds it
    if (!ctx.dryRun && !monitorAlive(ctr)) await containerExited(ctx, ctr.id, 255);
    return;
  }
  if (ctx.dryRun) {
    ctx.out(`kill -TERM ${ctr.pid}`);
    return;
  }
  signalContainer(ctr, 'SIGTERM');
  const deadline = Date.now() + timeout * 1000;
  while (isAlive(ctr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (isAlive(ctr)) killContainer({ ...ctr, monitorPid: 0 }, false);
  // wait for the monitor to record the exit (and remove a --rm container); on a loaded machine
  // its `pont container-exited` may take a few seconds to start
  const recorded = Date.now() + 15_000;
  while (Date.now() < recorded) {
    const now = ctx.store.read().containers.find((c) => c.id === ctr.id);
    if (!now || !now.running) return;
    if (!monitorAlive(ctr)) {
      await containerExited(ctx, ctr.id, 137);
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
