// The steps of a container's process: its start (a proc.start step, whose output, the pids, the
// transaction writes into the record) and its kill (the point of no return of a removal).
import { hostname } from 'node:os';
import { containerEnv } from '../../core/env.js';
import type { ContainerRecord } from '../../core/model.js';
import type { Step } from '../../core/steps.js';
import type { Started } from '../../kernel/process.js';

export const startStep = (ctr: ContainerRecord, detach: boolean): Step => ({
  op: 'proc.start',
  spec: { id: ctr.id, netns: ctr.netns, hostname: ctr.hostname, cmd: ctr.cmd, env: containerEnv(ctr, ctr.tty, hostname()), detach, interactive: ctr.interactive, tty: ctr.tty },
});

export const killStep = (ctr: ContainerRecord): Step => ({
  op: 'proc.kill',
  target: { id: ctr.id, pid: ctr.pid, pidStart: ctr.pidStart, monitorPid: ctr.monitorPid, monitorPidStart: ctr.monitorPidStart, netns: ctr.netns },
  detached: true,
});

/** The record with the processes a start step reported (the last output that is one). */
export function withStarted(ctr: ContainerRecord, outputs: unknown[], now: string): { record: ContainerRecord; started: Started } {
  const started = [...outputs].reverse().find((o): o is Started => typeof o === 'object' && o !== null && 'monitorPid' in o)!;
  const { pid, monitorPid, pidStart, monitorPidStart } = started;
  return { record: { ...ctr, pid, monitorPid, pidStart, monitorPidStart, running: true, startedAt: now }, started };
}

export const NO_PROCESS = { pid: 0, monitorPid: 0, pidStart: undefined, monitorPidStart: undefined };
