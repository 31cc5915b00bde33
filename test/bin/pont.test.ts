// bin/pont's V8 code caches: a rejected or stale one costs every command ~10 ms of compiling, and
// nothing else would show it. V8 refuses a cache made after a V8 flag changed, so a module that
// sets one at load (rather than on first use) would lose it.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

test("a verb's first successful run keeps what it compiled in a cache of its own, which its next runs take", (t) => {
  const dir = mkdtempSync(`${tmpdir()}/pont-bin-`);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const p of ['bin', 'dist/bundle']) cpSync(`${ROOT}/${p}`, `${dir}/${p}`, { recursive: true, preserveTimestamps: true });
  for (const f of readdirSync(`${dir}/dist/bundle/cli`)) if (/^main\.js\..+\.v8cache$/.test(f)) rmSync(`${dir}/dist/bundle/cli/${f}`);
  const pont = (...args: string[]) => spawnSync(process.execPath, [`${dir}/bin/pont`, ...args], { encoding: 'utf8' });
  const verbCaches = () => readdirSync(`${dir}/dist/bundle/cli`).filter((f) => /^main\.js\..+\.v8cache$/.test(f)).sort();

  t.is(pont('nosuch').status, 125);
  t.is(pont('network', 'bogus').status, 125);
  t.deepEqual(verbCaches(), [], 'a failed command keeps no cache: none for a typo');
  t.is(pont('--help').status, 0);
  t.deepEqual(verbCaches(), [], 'no verb: the build cache is the one');

  const help = pont('network', '--help');
  t.is(help.status, 0);
  t.deepEqual(verbCaches(), ['main.js.network.v8cache']);
  const verbCache = `${dir}/dist/bundle/cli/main.js.network.v8cache`;
  t.true(statSync(verbCache).size > statSync(`${dir}/dist/bundle/cli/main.js.v8cache`).size, 'it holds more than the start');
  const made = statSync(verbCache).mtimeMs;
  t.is(pont('network', '--help').stdout, help.stdout);
  t.is(statSync(verbCache).mtimeMs, made, 'a cache that fits is only read');

  const { compile } = require(`${dir}/bin/pont`) as { compile: (verbCache: string) => { script: Script; fromVerb: boolean } };
  const { script, fromVerb } = compile(verbCache);
  t.true(fromVerb);
  t.false(script.cachedDataRejected, 'V8 took it');
});
