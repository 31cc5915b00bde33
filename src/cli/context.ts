// The engine as the CLI reaches it, loaded on first use (see cli/main.ts): the state as read-only
// commands see it, and the engine context opened and closed around one mutating command.
import type { Context } from '../engine/context.js';
import type { State } from '../core/model.js';

export async function readState(): Promise<State> {
  return (await import('../engine/read-state.js')).readState();
}

export async function withContext<T>(opts: { dryRun?: boolean; explain?: boolean }, fn: (ctx: Context) => Promise<T>): Promise<T> {
  const { createContext } = await import('../engine/context.js');
  const ctx = await createContext(opts);
  // one command, then the process ends: the store's bytes are read where needed (store.ts)
  ctx.store.lazyBytes = true;
  try {
    return await fn(ctx);
  } finally {
    ctx.kernel.close();
  }
}
