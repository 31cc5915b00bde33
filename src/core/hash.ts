// sha256, with node:crypto loaded on first use: loading it costs ~3 ms, and most commands hash
// nothing (ids come from /dev/urandom, kernel/random.ts).
import { createRequire } from 'node:module';

let crypto: typeof import('node:crypto') | null = null;

export function sha256Hex(data: string | Buffer): string {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return crypto.createHash('sha256').update(data).digest('hex');
}
