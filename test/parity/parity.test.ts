// Differential tests: every scenario under scenarios/ is played against a real Docker 20.10
// (a private dockerd in a throwaway sandbox), against pont's CLI (in another), and with Docker's
// own CLI against `pont system service`, pont's Docker API socket (in a third); Docker is compared
// with each pont column after normalisation. A scenario passes when both comparisons are
// identical, or when every difference is explained by a deliberate difference (a D- id with a
// section in docs/differences.md) the scenario declares. No recorded output stands in for Docker: when
// Docker cannot run here, the scenarios are registered as skipped, with the reason.
//
// `npm test` (and so CI) runs it whenever Docker 20.10 can start here; PONT_PARITY=0 turns it off
// for a quicker local run; `npm run test:parity` runs it alone.
import test from 'ava';
import { dockerUnavailable } from './engine-docker.js';
import { documentedIds, MATCHERS } from './deliberate.js';
import { COLUMN_TITLES, COLUMNS, describe, DockerPool, grouped, loadScenarios, pontSupports, referencedIds, runScenario, withEngines } from './runner.js';

const scenarios = await loadScenarios();
const documented = documentedIds();

let reason: string | null = process.env.PONT_PARITY === '0' ? 'PONT_PARITY=0 turned the parity suite off' : dockerUnavailable();
const pool = new DockerPool();
if (!reason) {
  // the first engine doubles as the check that Docker can run on this machine at all
  await pool.warm().catch((e: Error) => {
    reason = `Docker 20.10 could not start: ${e.message.split('\n')[0]}`;
  });
}

// pending scenarios whose feature pont does not have yet are reported, not compared
const comparable = new Map<string, boolean>();
for (const { name, scenario } of scenarios) comparable.set(name, reason ? false : await pontSupports(scenario));

// ava wants every test declared in one go, after the awaits above
test('every D- id used by a scenario or a matcher has a section in docs/differences.md', (t) => {
  const used = new Set([...Object.keys(MATCHERS), ...scenarios.flatMap((s) => referencedIds(s.scenario))]);
  t.deepEqual([...used].filter((id) => !documented.has(id)), []);
});

test('there are at least 25 scenarios', (t) => {
  t.true(scenarios.length >= 25, `${scenarios.length} scenarios`);
});

for (const { name, scenario } of scenarios) {
  const title = `${name}: ${scenario.title}`;
  if (reason) {
    test.skip(`${title} [skipped: ${reason}]`, () => {});
  } else if (!comparable.get(name)) {
    test.todo(`${title} [not yet comparable: pending ${scenario.pending?.issue}]`);
  } else {
    test.serial(title, async (t) => {
      const missing = referencedIds(scenario).filter((id) => !documented.has(id));
      if (missing.length) t.fail(`not documented in docs/differences.md: ${missing.join(', ')}`);
      const r = await withEngines(pool, (docker, pont, api) => runScenario(name, scenario, docker, pont, api));
      for (const { d, steps } of grouped(r.differences.filter((x) => x.deliberate))) t.log(`deliberate (${d.deliberate}): ${describe(d, 200, steps)}`);
      const unexplained = grouped(r.differences.filter((x) => !x.deliberate));
      const counts = COLUMNS.map((c) => `${unexplained.filter(({ d }) => d.column === c).length} in ${COLUMN_TITLES[c]}`).join(', ');
      t.deepEqual(unexplained.map(({ d, steps }) => describe(d, Infinity, steps)), [], `unexplained differences: ${counts}`);
    });
  }
}

test.after.always(() => pool.close());
