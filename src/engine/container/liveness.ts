// A container whose record says running while its process and its monitor are both gone (a killed
// monitor, a reboot not yet recorded) reads as stopped with code 255, as the next mutating command
// will record it, to whoever waits for it to stop: nothing else would ever end the wait (`pont
// wait`, `logs -f`, `start -a`, and the API's wait, logs?follow and attach).
import type { ContainerRecord, State } from '../../core/model.js';
import { isAlive, monitorAlive } from '../../kernel/process.js';
import type { StoreWatch } from './log-follow.js';

/** The record as a follower sees it: stopped (255) when its processes are gone, as engine/world.ts records it. */
export const settled = (c: ContainerRecord): ContainerRecord =>
  c.running && !c.external && !isAlive(c) && !monitorAlive(c) ? { ...c, running: false, exitCode: 255, finishedAt: c.startedAt } : c;

/** `state` with container `id` settled; only that record is looked at (the others stay unparsed). */
export const settledState = (state: State, id: string): State => ({ ...state, containers: state.containers.map((c) => (c.id === id ? settled(c) : c)) });

/**
 * A watch of the store that settles container `id` in each state it gives, and gives the state
 * again every `everyMs` while someone listens: a death outside pont changes no file to be seen.
 */
export function settledWatch(w: StoreWatch, id: string, everyMs = 500): StoreWatch {
  return {
    current: () => settledState(w.current(), id),
    onChange(l) {
      const off = w.onChange((s) => l(settledState(s, id)));
      const timer = setInterval(() => l(settledState(w.current(), id)), everyMs);
      return () => {
        off();
        clearInterval(timer);
      };
    },
  };
}
