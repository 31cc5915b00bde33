// The pont CNI plugin's entry (dist/bundle/cni/main.js, run by bin/pont-cni, installed as
// /usr/lib/cni/pont by scripts/setup.sh). stdout carries exactly one JSON document or nothing:
// whatever the engine would print goes to stderr, which runtimes log.
import { readFileSync } from 'node:fs';
import { runPlugin, type WithContext } from './plugin.js';

const withContext: WithContext = async (fn) => {
  const { createContext } = await import('../engine/context.js');
  const ctx = await createContext();
  // one operation, then the plugin's process ends: the store's bytes are read where needed (store.ts)
  ctx.store.lazyBytes = true;
  try {
    return await fn({ ...ctx, out: ctx.err });
  } finally {
    ctx.kernel.close();
  }
};

function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  const out = await runPlugin(process.env, readStdin(), withContext);
  // exit once the document is out: a handle the engine left open must not keep the runtime waiting
  process.stdout.write(out.stdout, () => process.exit(out.exitCode));
}

void main();
