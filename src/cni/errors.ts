// The CNI error result (SPEC section 5 "Error"): a well-known code, a short msg, longer details.
// Codes 0-99 are the spec's; pont uses 100 for a refusal of its own (the engine's message).
export const CNI_CODE = {
  incompatibleVersion: 1,
  unsupportedField: 2,
  unknownContainer: 3,
  invalidEnvironment: 4,
  io: 5,
  decode: 6,
  invalidConfig: 7,
  tryAgain: 11,
  unavailable: 50,
  /** pont refused the request (a name clash, no free address…): msg is pont's own line. */
  pont: 100,
} as const;

export class CniError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly details = '',
  ) {
    super(message);
    this.name = 'CniError';
  }
}

export interface CniErrorResult {
  cniVersion: string;
  code: number;
  msg: string;
  details?: string;
}

export function renderError(cniVersion: string, e: CniError): CniErrorResult {
  return { cniVersion, code: e.code, msg: e.message, ...(e.details ? { details: e.details } : {}) };
}
