#!/usr/bin/env node
// Plays the tutorial's steps (steps.mjs) in a sandbox of its own, and either
//   writes docs/tutorial.md and docs/tutorial.en.md with the real outputs (default), or
//   --play: shows each command and its output as it runs (what scripts/demo.sh plays).
// Outside a sandbox it starts one (unshare: new network, mount and pid namespaces, private /run,
// /var/lib/pont, /etc/netns, /etc/pont) and runs itself inside: the machine's network is untouched.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STEPS, TEXT } from './steps.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const play = process.argv.includes('--play');

if (!process.env.PONT_TUTORIAL_SANDBOX) {
  const mounts = [
    'set -e', 'mount --make-rprivate /', 'mount -t tmpfs tmpfs /run', 'mkdir -p /run/netns /run/pont /var/lib/pont /etc/netns /etc/pont',
    'mount -t tmpfs -o mode=700 tmpfs /var/lib/pont', 'mount -t tmpfs tmpfs /etc/netns', 'mount -t tmpfs tmpfs /etc/pont', 'ip link set lo up',
    `exec "${process.execPath}" "${fileURLToPath(import.meta.url)}" ${process.argv.slice(2).join(' ')}`,
  ].join('\n');
  const r = spawnSync('unshare', ['--net', '--mount', '--pid', '--fork', '--mount-proc', '--kill-child', 'bash', '-c', mounts], { stdio: 'inherit', env: { ...process.env, PONT_TUTORIAL_SANDBOX: '1' } });
  process.exit(r.status ?? 1);
}

const env = { ...process.env, PATH: `${root}/bin:${process.env.PATH}` };
const out = { fr: [], en: [] };
const both = (f) => { out.fr.push(f('fr')); out.en.push(f('en')); };
for (const lang of ['fr', 'en']) out[lang].push(`# ${TEXT[lang].title}`, '', TEXT[lang].other, '', TEXT[lang].intro, '');

let failed = 0;
for (const s of STEPS) {
  if (s.fr && !s.run) {
    both((l) => `## ${s[l]}\n`);
    if (play) process.stdout.write(`\n# ${s.fr}\n`);
    continue;
  }
  if (s.p) {
    both((l) => `${s.p[l]}\n`);
    continue;
  }
  const cmd = s.run ?? s.quiet;
  if (play && s.run) process.stdout.write(`\n\x1b[1m$ ${cmd}\x1b[0m\n`);
  const r = play
    ? spawnSync('bash', ['-c', cmd], { stdio: 'inherit', env, cwd: root })
    : spawnSync('bash', ['-c', `${cmd} 2>&1`], { encoding: 'utf8', env, cwd: root, timeout: 60_000 });
  const ok = r.status === 0;
  if (ok === Boolean(s.fails)) {
    failed++;
    process.stderr.write(`tutorial: \`${cmd}\` ${ok ? 'succeeded, and should fail' : `failed (${r.status})`}\n${play ? '' : r.stdout}`);
  }
  if (!s.run) continue;
  both((l) => `\`\`\`sh\n${cmd}${s.fails ? `   # ${TEXT[l].fails}` : ''}\n\`\`\`\n${r.stdout?.trim() ? `\`\`\`text\n${r.stdout.trimEnd()}\n\`\`\`\n` : ''}`);
}
if (!play) {
  writeFileSync(join(root, 'docs', 'tutorial.md'), out.fr.join('\n'));
  writeFileSync(join(root, 'docs', 'tutorial.en.md'), out.en.join('\n'));
}
process.exit(failed ? 1 : 0);
