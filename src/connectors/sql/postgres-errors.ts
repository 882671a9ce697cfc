import { TrellisError, type ErrorCode } from '../../engine/errors.js';
import { SqlError, redact, type SqlErrorInfo } from './errors.js';
import { describeTarget, type Target } from './postgres-target.js';

const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|DEPTH_ZERO/;

export interface PgErrorLike {
  code?: string;
  message?: string;
  position?: string;
  constraint?: string;
  table?: string;
  column?: string;
  detail?: string;
  severity?: string;
}

/** Maps pg / PostgreSQL / socket errors to Trellis errors; `state` tells whether we cancelled or gave up. */
export function postgresError(e: unknown, target: Target, state: 'running' | 'cancelled' | 'guard' = 'running', timeoutMs = 0): TrellisError {
  if (e instanceof TrellisError) return e;
  const err = (e ?? {}) as PgErrorLike;
  const secrets = target.password ? [target.password] : [];
  const text = redact(err.message ?? String(e), secrets);
  const code = err.code ?? '';
  const at = describeTarget(target);
  const make = (c: ErrorCode, message: string, info: SqlErrorInfo = {}) => new SqlError(c, redact(message, secrets), { dbCode: code || undefined, ...info }, e);
  if (state === 'guard') return make('TIMEOUT', `PostgreSQL did not answer within ${timeoutMs} ms; the connection was closed`, { category: 'no-answer' });
  if (state === 'cancelled') return make('CANCELLED', 'the execution was cancelled', { category: 'cancelled' });
  const isServer = typeof err.severity === 'string' && /^[0-9A-Z]{5}$/.test(code);
  if (isServer) {
    const cls = code.slice(0, 2);
    const detail = err.detail ? ` (${err.detail})` : '';
    const position = err.position ? Number(err.position) - 1 : undefined;
    const base = { constraint: err.constraint, table: err.table, column: err.column, detail: err.detail, position };
    if (code === '57014') {
      if (/statement timeout/.test(text)) return make('TIMEOUT', `the statement did not finish within ${timeoutMs} ms and was cancelled (statement timeout)`, { ...base, category: 'timeout' });
      return make('CANCELLED', `the statement was cancelled: ${text}`, { ...base, category: 'cancelled' });
    }
    if (code === '55P03') return make('TIMEOUT', `could not get a lock in time: ${text}`, { ...base, category: 'timeout' });
    if (code === '42601') return make('INVALID_CONFIG', `SQL syntax error: ${text}`, { ...base, category: 'syntax' });
    if (code === '42501') return make('INVALID_CONFIG', `permission denied: ${text}`, { ...base, category: 'permission' });
    if (cls === '42') return make('INVALID_CONFIG', `SQL error: ${text}`, { ...base, category: 'schema' });
    if (cls === '23') {
      const names = [err.constraint ? `constraint ${err.constraint}` : '', err.table ? `table ${err.table}` : ''].filter(Boolean).join(' on ');
      return make('BAD_VARIABLE', `constraint violated: ${text}${names ? ` [${names}]` : ''}${detail}`, { ...base, category: 'constraint' });
    }
    if (code === '22021' && /0x00/.test(text)) return make('BAD_VARIABLE', `a value holds a NUL character (\\0), which PostgreSQL text cannot store: ${text}`, { ...base, category: 'data' });
    if (cls === '22') return make('BAD_VARIABLE', `invalid value: ${text}${detail}`, { ...base, category: 'data' });
    if (cls === '28') return make('INVALID_CONFIG', `cannot log in to ${at}: ${text} (check user and password)`, { ...base, category: 'authentication' });
    if (code === '3D000') return make('NOT_FOUND', `${text} on ${at}`, { ...base, category: 'connection' });
    if (cls === '08' || code === '57P01' || code === '57P02' || code === '57P03')
      return make('NETWORK', `the connection to ${at} was lost: ${text}`, { ...base, category: 'connection' });
    return make('BAD_RESPONSE', `PostgreSQL error ${code}: ${text}${detail}`, { ...base, category: 'error' });
  }
  if (code === 'ECONNREFUSED') return make('CONNECTION_REFUSED', `cannot connect to ${at}: connection refused (is PostgreSQL running there?)`, { category: 'connection' });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return make('DNS', `cannot resolve the host of ${at}: ${text}`, { category: 'connection' });
  if (TLS_CODES.test(code) || /SSL|TLS|certificate/i.test(text)) return make('TLS', `TLS with ${at} failed: ${text}`, { category: 'tls' });
  if (/timeout expired|connection timeout/i.test(text)) return make('TIMEOUT', `connecting to ${at} timed out`, { category: 'timeout' });
  if (NETWORK_CODES.has(code) || /Connection terminated|connection.*(closed|lost|ended)|Client has encountered a connection error/i.test(text))
    return make('NETWORK', `the connection to ${at} was lost: ${text}`, { category: 'connection' });
  return new TrellisError('INTERNAL', text, { cause: e });
}

/** Whether the connection that raised this error is unusable. */
export function lostConnection(e: TrellisError): boolean {
  const category = e instanceof SqlError ? e.info.category : undefined;
  return category === 'connection' || category === 'no-answer' || category === 'cancelled' || e.code === 'INTERNAL';
}
