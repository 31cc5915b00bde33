// A plugin's refusal, as the spec's error structure (SPEC.md §5 "Error"), on one line a user can
// act on: the plugin's own msg and details.
import { PontError } from '../../core/errors.js';

/** libcni's words for the commands in its errors: "plugin bridge failed (add): …". */
export const COMMAND_WORD = { ADD: 'add', DEL: 'delete', CHECK: 'check', GC: 'gc', VERSION: 'version', STATUS: 'status' } as const;

export class CniError extends PontError {
  readonly plugin: string;
  readonly code: number;
  readonly msg: string;
  readonly details?: string;
  /** add, delete, check, gc, version */
  readonly command: string;

  constructor(plugin: string, command: string, report: { code: number; msg: string; details?: string }, cause?: unknown) {
    super(`plugin ${plugin} failed (${command}): ${report.msg}${report.details ? `: ${report.details}` : ''}`, { category: 'kernel', cause, atStart: true });
    this.name = 'CniError';
    this.plugin = plugin;
    this.command = command;
    this.code = report.code;
    this.msg = report.msg;
    if (report.details !== undefined) this.details = report.details;
  }
}
