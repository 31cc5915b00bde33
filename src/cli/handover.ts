// A command that a verb's bundle (read.js) cannot finish, run again from main.js: read.js leaves
// out the modules of reading the state's rare paths (a crashed command's journal, a fresh or
// rebooted host's kernel, a cluster's store: scripts/bundle.mjs), half its size and a millisecond
// of every read-only command's start; importing one of them throws MainBundleNeeded instead.
// Before that nothing has been written or changed: a read-only command reads the state first.

/** Thrown by read.js's stand-in for a module it left out. */
export class MainBundleNeeded extends Error {
  constructor(readonly module: string) {
    super(`internal: ${module} is main.js's; this bundle hands the command over`);
  }
}

/** The launcher's hook (bin/pont) that runs the same arguments from main.js. */
const RUN_MAIN = Symbol.for('pont.run-main');

/** Runs the command again from main.js, in this process, through bin/pont's hook; false without it. */
export function handOverToMain(): boolean {
  const hook = (globalThis as Record<symbol, unknown>)[RUN_MAIN];
  if (typeof hook !== 'function') return false;
  (hook as () => void)();
  return true;
}
