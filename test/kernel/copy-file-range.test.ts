// copyFileRange: ranges of one file copied into another by the kernel, at the writer's position (store.ts writes so).
import test from 'ava';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyFileRange } from '../../src/kernel/syscalls.js';

test('ranges copied in the kernel land where the writer is, between its own writes', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-cfr-'));
  try {
    const src = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251));
    writeFileSync(join(dir, 'in'), src);
    const input = openSync(join(dir, 'in'), 'r');
    const out = openSync(join(dir, 'out'), 'w');
    writeSync(out, 'head');
    const a = copyFileRange(input, 1000, out, 120_000);
    writeSync(out, 'mid');
    const b = copyFileRange(input, 200_000, out, 99_999);
    writeSync(out, 'tail');
    closeSync(out);
    closeSync(input);
    // this machine's kernel and file system copy it all (a partial copy is the caller's to finish)
    t.deepEqual([a, b], [120_000, 99_999]);
    t.deepEqual(readFileSync(join(dir, 'out')), Buffer.concat([Buffer.from('head'), src.subarray(1000, 121_000), Buffer.from('mid'), src.subarray(200_000, 299_999), Buffer.from('tail')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
