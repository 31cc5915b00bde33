// `pont --version` prints the version package.json declares, and exits 0 as docker --version does.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { VERSION } from '../../src/core/version.js';
import { ROOT } from '../helpers/sandbox.js';

test('the version constant is package.json\'s', (t) => {
  t.is(VERSION, JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).version);
});

for (const flag of ['--version', '-v']) {
  test(`pont ${flag} prints "pont version X" and exits 0`, (t) => {
    t.is(execFileSync(process.execPath, [`${ROOT}/bin/pont`, flag], { encoding: 'utf8' }), `pont version ${VERSION}\n`);
  });
}
