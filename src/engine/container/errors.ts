import { PontError } from '../../core/errors.js';

/** Marks an error as found while starting the container (see PontError.atStart). */
export function atStart(e: unknown): unknown {
  if (!(e instanceof PontError)) return e;
  return new PontError(e.message, { category: e.category, exitCode: e.exitCode, hints: e.hints, cause: e.cause, atStart: true });
}
