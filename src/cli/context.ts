// Opening and closing the engine context around one command.
import type { Context } from '../engine/context.js';

export async function withContext<T>(opts: { dryRun?: boolean }, fn: (ctx: Context) => Promise<T>): Promise<T> {
  // loaded on first use, like the rest of the engine (see cli/main.ts)
  const { createContext } = await import('../engine/context.js');
  const ctx = await createContext(opts);
  try {
    return await fn(ctx);
  } finally {
    ctx.kernel.close();
  }
}
