#!/usr/bin/env node
// Runs ava in TAP mode, echoes its report and ends with the plain line the project promises:
// "N passed, N failed[, N skipped]". Skipped tests are counted apart, never as passes.
// The whole suite (no paths given) also runs the VM suite, scripts/vm-test.sh, whose tests need
// Debian's stock kernel; its TAP lines are counted the same way. PONT_VM=0 leaves it out.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const args = process.argv.slice(2);
const patterns = args.map((p) => (p.endsWith('.js') ? p : `${p}/**/*.test.js`));
let passed = 0;
let failed = 0;
let skipped = 0;

/** Runs a command that prints TAP lines, echoing and counting them; resolves to its exit code. */
function runTap(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'inherit'], env });
  const failedBefore = failed;
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    // a part's own summary line stays in the report as a comment: the last line is the whole's
    console.log(/^\d+ passed, \d+ failed/.test(line) ? `# ${line}` : line);
    const m = /^(not ok|ok) \d+ - (.*)$/.exec(line);
    if (!m) return;
    if (/# SKIP\b/.test(m[2]) || /# TODO\b/.test(m[2])) skipped++;
    else if (m[1] === 'ok') passed++;
    else failed++;
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      // a run can fail for reasons that are not a test (an uncaught error in a file, a timeout)
      if (code !== 0 && failed === failedBefore) failed++;
      resolve(code);
    });
  });
}

let code = await runTap(process.execPath, ['node_modules/ava/entrypoints/cli.mjs', '--tap', ...patterns]);
if (args.length === 0 && process.env.PONT_VM !== '0') {
  if (process.getuid?.() !== 0) {
    console.log('ok - the VM suite (scripts/vm-test.sh) # SKIP needs root: pont runs as root inside the VM');
    skipped++;
  } else {
    // dist/ was just built by `npm test`; the VM reads it through the host's root
    const vm = await runTap('scripts/vm-test.sh', [], { ...process.env, PONT_VM_BUILD: '0' });
    if (vm !== 0) code = code || vm;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(code === 0 && failed === 0 ? 0 : 1);
