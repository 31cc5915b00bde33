// Integration tests need root and unshare; elsewhere they are registered as skipped, with the
// reason in the title, and counted as skipped by the summary line, never as passed.
import anyTest, { type ExecutionContext } from 'ava';
import { isRoot, Sandbox } from './sandbox.js';

export type SandboxTest = (t: ExecutionContext, sb: Sandbox) => Promise<void>;

export function sandboxTest(title: string, fn: SandboxTest, opts: { skip?: string | false } = {}): void {
  if (!isRoot()) {
    anyTest.skip(`${title} [skipped: needs root to create network namespaces]`, () => {});
    return;
  }
  if (opts.skip) {
    anyTest.skip(`${title} [skipped: ${opts.skip}]`, () => {});
    return;
  }
  // serial within a file: each test spawns many processes, and the machines have two cores
  anyTest.serial(title, async (t) => {
    const sb = await Sandbox.create();
    try {
      await fn(t, sb);
    } finally {
      await sb.destroy();
    }
  });
}

