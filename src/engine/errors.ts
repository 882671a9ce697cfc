/** Error codes shared by the engine, the CLI and the studio. */
export type ErrorCode =
  | 'BAD_VARIABLE'
  | 'NOT_FOUND'
  | 'INVALID_PROJECT'
  | 'INVALID_CONFIG'
  | 'CONNECTION_REFUSED'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'TLS'
  | 'DNS'
  | 'NETWORK'
  | 'BAD_RESPONSE'
  | 'MISSING_SECRET'
  | 'INVALID_SPEC'
  | 'INTERNAL'
  // sequences (src/engine/sequence/errors.ts says when each is raised)
  | 'INVALID_SEQUENCE'
  | 'SCRIPT_TIMEOUT'
  | 'SCRIPT_MEMORY'
  | 'SCRIPT_ERROR'
  | 'BACKEND_STATUS'
  | 'STEP_LIMIT'
  | 'LOOP_LIMIT'
  | 'RECURSION_LIMIT'
  | 'SOURCE'
  | 'THROWN'
  // a Throw step may choose its own code
  | (string & {});

/** An error as a value: a code, a message a person can act on, and the object path that caused it. */
export class TrellisError extends Error {
  readonly code: ErrorCode;
  readonly path?: string;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: { path?: string; details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TrellisError';
    this.code = code;
    this.path = options.path;
    this.details = options.details;
  }

  toJSON(): { code: ErrorCode; message: string; path?: string; details?: unknown } {
    return { code: this.code, message: this.message, path: this.path, details: this.details };
  }
}

export function isTrellisError(e: unknown): e is TrellisError {
  return e instanceof TrellisError;
}

/** Wraps anything thrown into a TrellisError without losing its message. */
export function toTrellisError(e: unknown, path?: string): TrellisError {
  if (e instanceof TrellisError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new TrellisError('INTERNAL', message, { path, cause: e });
}
