// The Vagrantfile provisions through scripts/test.sh, the script CI runs; here it is checked
// with `vagrant validate` (no VM is started: this machine has no hypervisor for it).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT } from '../helpers/sandbox.js';

const hasVagrant = spawnSync('sh', ['-c', 'command -v vagrant'], { stdio: 'ignore' }).status === 0;

if (hasVagrant) {
  test('vagrant validate accepts vagrant/Vagrantfile, which provisions with scripts/test.sh', (t) => {
    const r = spawnSync('vagrant', ['validate'], { cwd: `${ROOT}/vagrant`, encoding: 'utf8', timeout: 120_000, env: { ...process.env, VAGRANT_CHECKPOINT_DISABLE: '1' } });
    t.is(r.status, 0, r.stderr);
    t.regex(r.stdout, /Vagrantfile validated successfully/);
    t.regex(readFileSync(`${ROOT}/vagrant/Vagrantfile`, 'utf8'), /scripts\/test\.sh/);
  });
} else {
  test.skip('vagrant validate accepts vagrant/Vagrantfile [skipped: vagrant is not installed; scripts/setup.sh --for-tests installs it]', () => {});
}
