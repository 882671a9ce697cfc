import { TrellisError, type ErrorCode } from '../errors.js';

/**
 * Codes raised by sequences, beside the shared ErrorCode list (src/engine/errors.ts): the studio and
 * the runtime show them as they are.
 */
export type SequenceErrorCode =
  | 'INVALID_SEQUENCE' // static check failed: the message lists every broken step path
  | 'SCRIPT_TIMEOUT' // a JavaScript evaluation ran past its time limit
  | 'SCRIPT_MEMORY' // a JavaScript evaluation went over its memory limit
  | 'SCRIPT_ERROR' // a JavaScript evaluation threw (syntax error, TypeError, ...)
  | 'BACKEND_STATUS' // a call answered a non-2xx status while failOnErrorStatus is on
  | 'STEP_LIMIT' // the execution ran more steps than maxSteps
  | 'LOOP_LIMIT' // a while loop passed its maxIterations
  | 'RECURSION_LIMIT' // call sequence nested too deep
  | 'SOURCE' // a source cannot be read (XPath on an output that is not XML, ...)
  | 'THROWN'; // default code of a Throw step

/** A TrellisError with a sequence code, or any code a Throw step chose. */
export function sequenceError(code: SequenceErrorCode | ErrorCode | string, message: string, options: { path?: string; details?: unknown; cause?: unknown } = {}): TrellisError {
  return new TrellisError(code as ErrorCode, message, options);
}
