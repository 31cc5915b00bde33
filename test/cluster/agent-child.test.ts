// The agent's supervision (agent-child.ts), with a stand-in agent: a script that leaves 200 ms
// after SIGTERM, exiting 0 as the agent does once it has revoked its lease.
import test, { type ExecutionContext } from 'ava';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentChild, type AgentChild } from '../../src/cluster/agent-child.js';

const until = async (what: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
};

/** Supervision of a stand-in agent that leaves `leaveMs` after SIGTERM; `lines` is its log. */
function standIn(t: ExecutionContext, leaveMs: number): { agents: AgentChild; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'pont-agent-child-'));
  const main = join(dir, 'agent.js');
  writeFileSync(main, `process.on('SIGTERM', () => setTimeout(() => process.exit(0), ${leaveMs})); setInterval(() => {}, 1000);\n`);
  const logFd = openSync('/dev/null', 'w');
  const lines: string[] = [];
  const agents = agentChild(main, logFd, (l) => lines.push(l));
  t.teardown(async () => {
    await agents.stop();
    closeSync(logFd);
    rmSync(dir, { recursive: true, force: true });
  });
  return { agents, lines };
}

const started = (lines: string[]) => lines.filter((l) => /started/.test(l)).length;

test('an agent wanted again while it leaves (a run that came with its SIGTERM) is started again once it has exited', async (t) => {
  const { agents, lines } = standIn(t, 200);
  agents.want(true);
  t.true(await until(() => started(lines) === 1));
  agents.want(false);
  agents.want(true);
  t.true(await until(() => started(lines) === 2), lines.join('\n'));
  t.is(lines.filter((l) => /restarting/.test(l)).length, 0, 'not counted as a failure');
});

test('an agent no longer wanted is not started again when it exits', async (t) => {
  const { agents, lines } = standIn(t, 100);
  agents.want(true);
  t.true(await until(() => started(lines) === 1));
  agents.want(false);
  await new Promise((r) => setTimeout(r, 600));
  t.is(started(lines), 1, lines.join('\n'));
});
