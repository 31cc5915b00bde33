// Opening and closing the engine context around one command.
import { createContext, type Context } from '../engine/context.js';

export async function withContext<T>(opts: { dryRun?: boolean }, fn: (ctx: Context) => Promise<T>): Promise<T> {
  const ctx = await createContext(opts);
  try {
    return await fn(ctx);
  } finally {
    ctx.kernel.close();
  }
}
