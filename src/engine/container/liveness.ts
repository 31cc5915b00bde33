// A container whose record says running while its process and its monitor are both gone (a killed
// monitor, a reboot not yet recorded) reads as stopped with code 255, as the next mutating command
// will record it, to whoever waits for it to stop: nothing else would ever end the wait (`pont
// wait`, `logs -f`, `start -a`, and the API's wait, logs?follow and attach).
import type { ContainerRecord, State } from '../../core/model.js';
import { isAlive, monitorAlive } from '../../kernel/process.js';
import type { StoreWatch } from './log-follow.js';

const gone = (c: ContainerRecord) => c.running && !c.external && !isAlive(c) && !monitorAlive(c);

const SETTLED = Symbol('settled');

/** The record stopped (255) as engine/world.ts records it. */
const stopped = (c: ContainerRecord): ContainerRecord => Object.assign({ ...c, running: false, exitCode: 255, finishedAt: c.startedAt }, { [SETTLED]: true });

/** Whether the record is one settled here (its processes gone, no exit recorded): a --rm one is as good as removed. */
export const isSettled = (c: ContainerRecord): boolean => (c as { [SETTLED]?: boolean })[SETTLED] === true;

/**
 * `state` with container `id` settled; only that record is looked at (the others stay unparsed).
 * The processes are looked at first, then the store again (`reread`): a monitor reports an exit
 * by writing the store before it ends, so a record still running in the store read after its
 * processes were seen gone was never reported, and a normal exit is never taken for 255.
 */
export function settledState(state: State, id: string, reread: () => State): State {
  const c = state.containers.find((x) => x.id === id);
  if (!c || !gone(c)) return state;
  const fresh = reread();
  return { ...fresh, containers: fresh.containers.map((x) => (x.id === id && x.running ? stopped(x) : x)) };
}

/**
 * A watch of the store that settles container `id` in each state it gives, and gives the state
 * again every `everyMs` while someone listens: a death outside pont changes no file to be seen.
 * `reread`: the store read now (the watch's own state may lag a write by a few milliseconds).
 */
export function settledWatch(w: StoreWatch, id: string, reread: () => State, everyMs = 500): StoreWatch {
  const settle = (s: State) => settledState(s, id, reread);
  return {
    current: () => settle(w.current()),
    onChange(l) {
      const off = w.onChange((s) => l(settle(s)));
      const timer = setInterval(() => l(settle(w.current())), everyMs);
      return () => {
        off();
        clearInterval(timer);
      };
    },
  };
}
