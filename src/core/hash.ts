// sha256, with node:crypto loaded on first use: loading it costs ~3 ms, and most commands hash
// nothing (ids come from /dev/urandom, kernel/random.ts).
import { builtin } from '../kernel/cjs-require.js';

let crypto: typeof import('node:crypto') | null = null;

export function sha256Hex(data: string | Buffer): string {
  crypto ??= builtin('node:crypto') as typeof import('node:crypto');
  return crypto.createHash('sha256').update(data).digest('hex');
}
