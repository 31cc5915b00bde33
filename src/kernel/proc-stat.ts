// /proc/PID/stat, read in one place: a process's state, parent, group and start time. The start
// time (field 22, clock ticks since boot) with the pid names a process that a recycled pid cannot
// be mistaken for (dns/proc.ts, kernel/process.ts).
import { readFileSync } from 'node:fs';

export interface ProcStat {
  state: string;
  ppid: number;
  pgrp: number;
  /** Field 22, starttime: clock ticks since boot. */
  start: number;
}

/**
 * Fields of /proc/PID/stat. comm (field 2) may hold spaces and parentheses, so the fields are
 * counted from after its last ')': there, field 3 (state) is the first.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 1).trim().split(/\s+/);
  const start = Number(f[19]);
  const ppid = Number(f[1]);
  const pgrp = Number(f[2]);
  if (!f[0] || !Number.isSafeInteger(start) || !Number.isSafeInteger(pgrp) || !Number.isSafeInteger(ppid)) return undefined;
  return { state: f[0], ppid, pgrp, start };
}

/** The process's stat, or undefined when there is no such process (or no readable stat). */
export function procStat(pid: number): ProcStat | undefined {
  if (!(pid > 0)) return undefined;
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}
