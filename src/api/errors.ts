// An error as the Docker Engine API sends it: an HTTP status and `{"message": …}`. pont's typed
// errors carry Docker's CLI text ("Error response from daemon: …"); the API sends the daemon's
// part alone, as dockerd does, and the client adds its own prefix.
import { DAEMON, PontError, type ErrorCategory } from '../core/errors.js';

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

const STATUS: Record<ErrorCategory, number> = {
  usage: 400,
  conflict: 409,
  'not-found': 404,
  forbidden: 403,
  kernel: 500,
  store: 500,
  cluster: 500,
  internal: 500,
};

/** The status and message an error becomes; the CLI's own prefixes are taken off. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof PontError) {
    const text = e.message
      .split('\n')[0]
      .replace(DAEMON, '')
      .replace(/^Error: /, '')
      .replace(/^pont: /, '');
    return new ApiError(STATUS[e.category], text);
  }
  return new ApiError(500, `internal error: ${(e as Error)?.message ?? String(e)}`);
}

export const notFound = (message: string) => new ApiError(404, message);
export const badRequest = (message: string) => new ApiError(400, message);
export const conflict = (message: string) => new ApiError(409, message);
