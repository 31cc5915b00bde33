// The exit codes of `--rm` containers, which leave the store as they exit: kept, the last 64,
// in one small file under /run/pont, for those who wait on them (the Docker API's
// `wait?condition=removed`, its `die` event). A reboot forgets them, as it should.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { RUN_DIR } from '../../kernel/run-dir.js';

const FILE = `${RUN_DIR}/exit-codes.json`;
const KEPT = 64;

function read(file: string): [string, number][] {
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(doc) ? doc.filter((e): e is [string, number] => Array.isArray(e) && typeof e[0] === 'string' && Number.isInteger(e[1])) : [];
  } catch {
    return [];
  }
}

/** Records container `id`'s exit code (called with the store's lock held: writers take turns). */
export function recordExit(id: string, code: number, file = FILE): void {
  const kept = [...read(file).filter(([x]) => x !== id), [id, code] as [string, number]].slice(-KEPT);
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify(kept), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch {
    // no run directory (a dry run, a test host): nobody can be waiting
  }
}

/** The exit code recorded for container `id`, if it was a --rm one that exited lately. */
export function recordedExit(id: string, file = FILE): number | undefined {
  return read(file).find(([x]) => x === id)?.[1];
}
