// The agent's supervision (agent-child.ts), with a stand-in agent: a script that leaves 200 ms
// after SIGTERM, exiting 0 as the agent does once it has revoked its lease.
import test from 'ava';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentChild } from '../../src/cluster/agent-child.js';

const until = async (what: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
};

test('an agent wanted again while it leaves (a run that came with its SIGTERM) is started again once it has exited', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-agent-child-'));
  const main = join(dir, 'agent.js');
  writeFileSync(main, "process.on('SIGTERM', () => setTimeout(() => process.exit(0), 200)); setInterval(() => {}, 1000);\n");
  const logFd = openSync('/dev/null', 'w');
  const lines: string[] = [];
  const agents = agentChild(main, logFd, (l) => lines.push(l));
  t.teardown(async () => {
    await agents.stop();
    closeSync(logFd);
    rmSync(dir, { recursive: true, force: true });
  });
  agents.want(true);
  t.true(await until(() => lines.some((l) => /started/.test(l))));
  agents.want(false);
  agents.want(true);
  t.true(await until(() => lines.filter((l) => /started/.test(l)).length === 2), lines.join('\n'));
  t.is(lines.filter((l) => /restarting/.test(l)).length, 0, 'not counted as a failure');
});

test('an agent no longer wanted is not started again when it exits', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-agent-child-'));
  const main = join(dir, 'agent.js');
  writeFileSync(main, "process.on('SIGTERM', () => setTimeout(() => process.exit(0), 100)); setInterval(() => {}, 1000);\n");
  const logFd = openSync('/dev/null', 'w');
  const lines: string[] = [];
  const agents = agentChild(main, logFd, (l) => lines.push(l));
  t.teardown(async () => {
    await agents.stop();
    closeSync(logFd);
    rmSync(dir, { recursive: true, force: true });
  });
  agents.want(true);
  t.true(await until(() => lines.some((l) => /started/.test(l))));
  agents.want(false);
  await new Promise((r) => setTimeout(r, 600));
  t.is(lines.filter((l) => /started/.test(l)).length, 1, lines.join('\n'));
});
