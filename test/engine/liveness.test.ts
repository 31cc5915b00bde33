// A record that says running while its process and monitor are gone reads as stopped (255) to
// followers, unless the store read again (after the processes were seen gone) has its exit.
import test from 'ava';
import { blankContainer, type State } from '../../src/core/model.js';
import { isSettled, settledState } from '../../src/engine/container/liveness.js';

// pids above the kernel's pid_max: no such process, ever
const dead = blankContainer({ id: 'a'.repeat(64), name: 'c1', created: '2026-01-01T00:00:00Z', netns: '', networkMode: 'none', image: 'alpine', running: true, pid: 9_999_999, monitorPid: 9_999_998, startedAt: '2026-01-01T00:00:01Z', autoRemove: true });
const state = (c = dead): State => ({ version: 1, networks: [], containers: [c, { ...dead, id: 'b'.repeat(64), name: 'c2' }] });

test('gone and not recorded: stopped, 255, finished when it started; the others untouched', (t) => {
  const s = settledState(state(), dead.id, () => state());
  const [c1, c2] = s.containers;
  t.false(c1.running);
  t.is(c1.exitCode, 255);
  t.is(c1.finishedAt, dead.startedAt);
  t.true(isSettled(c1));
  t.true(c2.running, 'only the followed container is looked at');
  t.false(isSettled(c2));
});

test('gone, and the store read again has its exit: that exit, not 255', (t) => {
  const exited = { ...dead, running: false, exitCode: 4, finishedAt: '2026-01-01T00:00:02Z' };
  let reads = 0;
  const s = settledState(state(), dead.id, () => (reads++, state(exited)));
  t.is(reads, 1);
  t.is(s.containers[0].exitCode, 4);
  t.false(isSettled(s.containers[0]));
});

test('stopped, or not there: nothing to read again', (t) => {
  const stopped = { ...dead, running: false };
  t.is(settledState(state(stopped), dead.id, () => t.fail() as never).containers[0], stopped);
  t.is(settledState(state(), 'c'.repeat(64), () => t.fail() as never).containers[0], dead);
});
