// The Vagrantfile provisions through scripts/test.sh, the script CI runs; here it is checked
// with `vagrant validate` (no VM is started). Plain `validate` needs a usable provider
// (VirtualBox, libvirt), which a CI machine rarely has; `--ignore-provider` (vagrant >= 2.2)
// validates everything but the provider blocks, so the test is a real pass without one. An older
// vagrant without the flag and without a provider registers the test as skipped, saying why.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT } from '../helpers/sandbox.js';

const env = { ...process.env, VAGRANT_CHECKPOINT_DISABLE: '1' };
const vagrant = (args: string[]) => spawnSync('vagrant', args, { cwd: `${ROOT}/vagrant`, encoding: 'utf8', timeout: 120_000, env });

const hasVagrant = spawnSync('sh', ['-c', 'command -v vagrant'], { stdio: 'ignore' }).status === 0;
const title = 'vagrant validate accepts vagrant/Vagrantfile, which provisions with scripts/test.sh';

/** The arguments to validate with, or why it cannot be done here. */
function plan(): { args: string[] } | { skip: string } {
  if (!hasVagrant) return { skip: 'vagrant is not installed; scripts/setup.sh --for-tests installs it' };
  if (/--ignore-provider/.test(vagrant(['validate', '--help']).stdout ?? '')) return { args: ['validate', '--ignore-provider'] };
  const r = vagrant(['validate']);
  if (r.status !== 0 && /No usable default provider/.test(`${r.stdout}${r.stderr}`)) {
    return { skip: 'this vagrant has no `validate --ignore-provider` and no usable provider (VirtualBox, libvirt) is installed' };
  }
  return { args: ['validate'] };
}

const p = plan();
if ('skip' in p) {
  test.skip(`${title} [skipped: ${p.skip}]`, () => {});
} else {
  test(title, (t) => {
    const r = vagrant(p.args);
    t.is(r.status, 0, `${r.stdout}${r.stderr}`);
    t.regex(r.stdout, /Vagrantfile validated successfully/);
    t.regex(readFileSync(`${ROOT}/vagrant/Vagrantfile`, 'utf8'), /scripts\/test\.sh/);
  });
}
