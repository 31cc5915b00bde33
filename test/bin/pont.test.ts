// bin/pont's V8 code cache: a rejected or stale one costs every command ~10 ms of compiling, and
// nothing else would show it. V8 refuses a cache made after a V8 flag changed, so a module that
// sets one at load (rather than on first use) would lose it.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import type { Script } from 'node:vm';
import { ROOT } from '../helpers/sandbox.js';

const require = createRequire(import.meta.url);

test('the code cache `npm run build` made is this bundle\'s, and V8 takes it', (t) => {
  const { compile } = require(`${ROOT}/bin/pont`) as { compile: () => { script: Script; cached: boolean } };
  const { script, cached } = compile();
  t.true(cached, 'the cache is stamped with the bundle it was made for');
  t.false(script.cachedDataRejected, 'V8 took it');
});

test('a stale cache is made again by the next command, then kept', (t) => {
  const dir = mkdtempSync(`${tmpdir()}/pont-bin-`);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const p of ['bin', 'dist/bundle']) cpSync(`${ROOT}/${p}`, `${dir}/${p}`, { recursive: true, preserveTimestamps: true });
  const cache = `${dir}/dist/bundle/cli/main.js.v8cache`;
  const pont = () => execFileSync(process.execPath, [`${dir}/bin/pont`, '--help'], { encoding: 'utf8' });
  writeFileSync(cache, 'an older bundle\n');
  const help = pont();
  t.regex(help, /^Usage: pont/);
  const { size, mtimeMs } = statSync(`${dir}/dist/bundle/cli/main.js`);
  t.true(readFileSync(cache).subarray(0, 100).toString('latin1').startsWith(`${size} ${mtimeMs} ${process.version} `));
  const made = statSync(cache).mtimeMs;
  t.is(pont(), help);
  t.is(statSync(cache).mtimeMs, made, 'a cache that fits is only read');
});
