// A process named by its pid AND its start time (field 22 of /proc/PID/stat, in clock ticks
// since boot): a bare pid may have been recycled by an unrelated process by the time pont
// signals it, a pid with its start time cannot.
import { procStat } from '../kernel/proc-stat.js';

export interface ProcessId {
  pid: number;
  start: string;
}

/** The identity of a live process (not a zombie), or null. */
export function processId(pid: number): ProcessId | null {
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  const st = procStat(pid);
  return st && st.state !== 'Z' && st.state !== 'X' ? { pid, start: String(st.start) } : null;
}

/** Whether `p` still runs: the same pid with the same start time, not yet a zombie. */
export const isAlive = (p: ProcessId): boolean => processId(p.pid)?.start === p.start;

export const formatProcessId = (p: ProcessId): string => `${p.pid}:${p.start}`;

/** "PID:START" as formatProcessId writes it; null for anything else. */
export function parseProcessId(text: string): ProcessId | null {
  const m = /^(\d{1,10}):(\d{1,20})$/.exec(text.trim());
  if (!m) return null;
  const pid = Number(m[1]);
  return pid > 0 && Number.isSafeInteger(pid) ? { pid, start: m[2] } : null;
}

/** The process `claim` ("PID:START", from a variable) names, only if it lives and is `ppid`. */
export function claimedParent(claim: string, ppid: number): ProcessId | null {
  const id = parseProcessId(claim);
  return id && id.pid === ppid && isAlive(id) ? id : null;
}
