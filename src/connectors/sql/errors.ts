import { TrellisError, type ErrorCode } from '../../engine/errors.js';

/** What a driver knows about a database error, beyond its code and message. */
export interface SqlErrorInfo {
  /** SQLSTATE (PostgreSQL) or the SQLite extended result code name */
  dbCode?: string;
  /** syntax, constraint, data, timeout, connection, permission, ... */
  category?: string;
  constraint?: string;
  table?: string;
  column?: string;
  detail?: string;
  /** 0-based offset of the error in the SQL text the driver ran (PostgreSQL gives it) */
  position?: number;
  /** the token the database complained about (SQLite: near "..."), used to find a position */
  near?: string;
  /** 1-based statement number when the transaction has several */
  statement?: number;
}

/** A database error as a Trellis error; the SQL connector adds which statement and where. */
export class SqlError extends TrellisError {
  readonly info: SqlErrorInfo;

  constructor(code: ErrorCode, message: string, info: SqlErrorInfo = {}, cause?: unknown) {
    super(code, message, { details: info, cause });
    this.info = info;
  }
}

/** Replaces every occurrence of the given secret values (passwords) by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 1) out = out.split(s).join('***');
  return out;
}

export function timeoutError(timeoutMs: number, what = 'the statement'): SqlError {
  return new SqlError('TIMEOUT', `${what} did not finish within ${timeoutMs} ms (statement timeout)`, { category: 'timeout' });
}

export function cancelledError(): SqlError {
  return new SqlError('CANCELLED', 'the execution was cancelled', { category: 'cancelled' });
}
