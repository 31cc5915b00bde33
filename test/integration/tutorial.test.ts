// docs/tutorial.md and docs/tutorial.en.md (issue 16): every command, as printed, replayed in
// order in a sandbox; each succeeds, but the ones the document says fail; both languages show the
// same commands.
import { readFileSync } from 'node:fs';
import { sandboxTest } from '../helpers/root-test.js';
import { ROOT } from '../helpers/sandbox.js';

const commands = (file: string) => [...readFileSync(`${ROOT}/docs/${file}`, 'utf8').matchAll(/```sh\n([^\n]+)\n```/g)].map((m) => m[1]);
const strip = (c: string) => c.replace(/\s+# \((échoue|fails)[^)]*\)$/, '');

sandboxTest('the tutorial: both languages, every command works as printed', async (t, sb) => {
  const fr = commands('tutorial.md');
  const en = commands('tutorial.en.md');
  t.true(fr.length > 40, `${fr.length} commands`);
  t.deepEqual(fr.map(strip), en.map(strip), 'the same commands in French and in English');
  for (const c of fr) {
    const fails = c !== strip(c);
    const r = await sb.sh(strip(c), { timeoutMs: 60_000 });
    if (fails) t.not(r.exitCode, 0, `meant to fail: ${c}`);
    else t.is(r.exitCode, 0, `${c}\n${r.stderr}${r.stdout}`);
  }
  t.is((await sb.ok('pont ps -aq')).trim(), '', 'the tutorial cleans up after itself');
});
