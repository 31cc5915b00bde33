// `kill` (the Docker API's; `docker kill`): a signal to the container's main process, if it is
// still the one pont started. A deadly one is followed to its end: the monitor records the exit.
import { daemonError } from '../../core/errors.js';
import { signalArgument, supportsSignal, unsupportedSignalText, type Signal } from '../../core/signals.js';
import { isAlive, monitorAlive, signalContainer } from '../../kernel/process.js';
import type { Context } from '../context.js';
import { refuseExternal } from '../cni/attachment.js';
import { findContainer } from '../lookup.js';
import { containerExited } from './exited.js';

export async function killContainer(ctx: Context, ref: string, signal: Signal): Promise<void> {
  const ctr = findContainer(ctx.store.read(), ref);
  // dockerd's words for a kill (observed): the reason after "Cannot kill container: REF"
  if (!ctr) throw daemonError(`Cannot kill container: ${ref}: No such container: ${ref}`, 'not-found');
  refuseExternal(ctr, 'kill');
  // a number Linux has no signal for (32, 99, -1): after the lookup, before the state, as dockerd
  if (!supportsSignal(signal)) throw daemonError(`Cannot kill container: ${ref}: ${unsupportedSignalText(signal as number)}`);
  if (!ctr.running || !isAlive(ctr)) throw daemonError(`Cannot kill container: ${ref}: Container ${ctr.id} is not running`);
  if (ctx.dryRun) {
    ctx.out(`kill -${signalArgument(signal)} ${ctr.pid}`);
    return;
  }
  signalContainer(ctr, signal);
  if (signal !== 'SIGKILL') return;
  // as `docker kill` returns once the container is dead: its exit recorded by its monitor
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const now = ctx.store.read().containers.find((c) => c.id === ctr.id);
    if (!now || !now.running) return;
    if (!isAlive(ctr) && !monitorAlive(ctr)) {
      await containerExited(ctx, ctr.id, 137);
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
