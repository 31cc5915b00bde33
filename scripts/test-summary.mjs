#!/usr/bin/env node
// Runs ava in TAP mode, echoes its report and ends with the plain line the project promises:
// "N passed, N failed[, N skipped]". Skipped tests are counted apart, never as passes.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const patterns = process.argv.slice(2).map((p) => (p.endsWith('.js') ? p : `${p}/**/*.test.js`));
const child = spawn(process.execPath, ['node_modules/ava/entrypoints/cli.mjs', '--tap', ...patterns], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let passed = 0;
let failed = 0;
let skipped = 0;
const lines = createInterface({ input: child.stdout });
lines.on('line', (line) => {
  console.log(line);
  const m = /^(not ok|ok) \d+ - (.*)$/.exec(line);
  if (!m) return;
  if (/# SKIP\b/.test(m[2]) || /# TODO\b/.test(m[2])) skipped++;
  else if (m[1] === 'ok') passed++;
  else failed++;
});
child.on('close', (code) => {
  // ava fails the run for reasons that are not a test (an uncaught error in a file, a timeout).
  if (code !== 0 && failed === 0) failed = 1;
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
