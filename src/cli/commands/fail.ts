import { isTrellisError } from '../../engine/errors.js';
import { processIo, setExit } from '../io.js';

/** One line on stderr and exit 1: the CLI never prints a stack trace for a user error. */
export function failWith(e: unknown): void {
  const message = isTrellisError(e) || e instanceof Error ? e.message : String(e);
  processIo.err(`trellis: ${message.split('\n')[0]}`);
  if (process.env.TRELLIS_DEBUG && e instanceof Error && e.stack) processIo.err(e.stack);
  setExit(1);
}
