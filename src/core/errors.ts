// Typed errors with one exit path (see cli/main.ts). Each carries the single line a user sees
// (Docker's wording where Docker has one), an exit code, and an optional cause for --debug.

// 'cluster': the cluster store (etcd) is unreachable or refused a request (src/cluster).
export type ErrorCategory = 'usage' | 'conflict' | 'not-found' | 'forbidden' | 'kernel' | 'store' | 'cluster' | 'internal';

export class PontError extends Error {
  readonly category: ErrorCategory;
  readonly exitCode: number;
  /** Extra lines printed after the message (hints), never part of the message itself. */
  readonly hints: string[];
  /** For `run`: Docker reports errors found while starting (network, addresses, ports) without its help line. */
  readonly atStart: boolean;

  constructor(message: string, opts: { category?: ErrorCategory; exitCode?: number; cause?: unknown; hints?: string[]; atStart?: boolean } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'PontError';
    this.category = opts.category ?? 'internal';
    this.exitCode = opts.exitCode ?? 1;
    this.hints = opts.hints ?? [];
    this.atStart = opts.atStart ?? false;
  }
}

/** Docker prefixes every daemon-side refusal with this; pont keeps it for identical texts. */
export const DAEMON = 'Error response from daemon: ';

export const usageError = (message: string, hints: string[] = []) =>
  new PontError(message, { category: 'usage', hints });

export const daemonError = (message: string, category: ErrorCategory = 'conflict') =>
  new PontError(DAEMON + message, { category });

export const notFound = (message: string) => new PontError(DAEMON + message, { category: 'not-found' });

/** A kernel step failed: names the step's equivalent command and what the tool said. */
export class KernelError extends PontError {
  readonly command: string;
  constructor(command: string, detail: string, cause?: unknown) {
    super(`kernel refused: ${command}: ${detail}`, { category: 'kernel', cause });
    this.name = 'KernelError';
    this.command = command;
  }
}

export class StoreError extends PontError {
  constructor(message: string, cause?: unknown) {
    super(message, { category: 'store', cause });
    this.name = 'StoreError';
  }
}
