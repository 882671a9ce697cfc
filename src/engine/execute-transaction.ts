import type { Connector, Project, Transaction, Variable } from '../model/index.js';
import { connectorKind, type TxResult, type ExecContext } from '../connectors/index.js';
import type { CookieJar } from '../connectors/connector-kind.js';
import { CallAbort } from './call-abort.js';
import type { Env } from './env.js';
import { TrellisError, toTrellisError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import { SecretMask } from './mask.js';
import type { ConnectionPool } from './pool.js';
import type { StubSource } from './stubs.js';
import { newRunId, type TraceEvent, type TraceListener } from './trace.js';
import { coerceVariables } from './variables.js';

export const DEFAULT_DEADLINE_MS = 5 * 60_000;

export interface ExecuteOptions {
  env: Env;
  pool: ConnectionPool;
  /** the `transaction` category: one line per execution */
  logger?: Logger;
  /** the `connector` category, handed to the connector (requests, pools); defaults to `logger` */
  connectorLogger?: Logger;
  signal?: AbortSignal;
  /** overall deadline for this execution; defaults to five minutes */
  timeoutMs?: number;
  runId?: string;
  onTrace?: TraceListener;
  /** stub mode: answers come from recorded responses (stubs/), not from the connectors */
  stubs?: StubSource;
  /** secrets of the caller (a sequence's secret variables) to hide in logs, traces and errors, on top of this transaction's own */
  mask?: SecretMask;
  /** a stateful session's backend cookies (the runtime), handed to connectors through ExecContext */
  cookies?: CookieJar;
}

export interface TransactionTarget {
  connector: Connector;
  transaction: Transaction;
}

// `<connector>.<transaction>` → where it was found, per connectors list. Models are replaced, never mutated,
// when edited; a hit is still checked against the list (same objects at the same places) before it is used.
const found = new WeakMap<readonly Connector[], Map<string, { at: number; txAt: number; connector: Connector; transaction: Transaction }>>();

/** Finds `<connector>.<transaction>` in a project, with a helpful message when it is not there. */
export function findTransaction(project: Project, target: string): TransactionTarget {
  const connectors = project.connectors;
  let byTarget = found.get(connectors);
  const hit = byTarget?.get(target);
  if (hit && connectors[hit.at] === hit.connector && hit.connector.transactions[hit.txAt] === hit.transaction) return hit;
  const result = lookUpTransaction(project, target);
  if (!byTarget) found.set(connectors, (byTarget = new Map()));
  if (byTarget.size >= 1024) byTarget.clear();
  byTarget.set(target, { at: connectors.indexOf(result.connector), txAt: result.connector.transactions.indexOf(result.transaction), ...result });
  return result;
}

function lookUpTransaction(project: Project, target: string): TransactionTarget {
  const dot = target.indexOf('.');
  if (dot <= 0) throw new TrellisError('NOT_FOUND', `"${target}" is not of the form <connector>.<transaction>`);
  const connectorName = target.slice(0, dot);
  const txName = target.slice(dot + 1);
  const connector = project.connectors.find((c) => c.name === connectorName);
  if (!connector) {
    const names = project.connectors.map((c) => c.name);
    throw new TrellisError('NOT_FOUND', `project ${project.name} has no connector "${connectorName}"${names.length ? ` (connectors: ${names.join(', ')})` : ''}`);
  }
  const transaction = connector.transactions.find((t) => t.name === txName);
  if (!transaction) {
    const names = connector.transactions.map((t) => t.name);
    throw new TrellisError('NOT_FOUND', `connector ${connectorName} has no transaction "${txName}"${names.length ? ` (transactions: ${names.join(', ')})` : ''}`);
  }
  return { connector, transaction };
}

/** The declared variables plus those the kind implies (path parameters of a template, ...). */
export function effectiveVariables(connector: Connector, transaction: Transaction): Variable[] {
  const kind = connectorKind(connector.kind);
  const implied = kind?.impliedVariables?.(transaction) ?? [];
  const declared = new Set(transaction.variables.map((v) => v.name));
  return [...transaction.variables, ...implied.filter((v) => !declared.has(v.name))];
}

// The effective variables per transaction object (with the connector they were derived for): what a Call
// Transaction step with inheritVariables asks on every execution.
const effectiveCache = new WeakMap<Transaction, { connector: Connector; variables: readonly Variable[] }>();

/** effectiveVariables of `<connector>.<transaction>`, computed once per transaction object; do not mutate. */
export function transactionVariables(project: Project, target: string): readonly Variable[] {
  const { connector, transaction } = findTransaction(project, target);
  const hit = effectiveCache.get(transaction);
  if (hit && hit.connector === connector) return hit.variables;
  const variables = effectiveVariables(connector, transaction);
  effectiveCache.set(transaction, { connector, variables });
  return variables;
}

interface Prepared {
  transaction: Transaction;
  variables: Variable[];
}

// Model objects are replaced, never mutated, when edited; so a transaction object validated once stays valid,
// and the hot path (the runtime, benchmarks) does not re-run zod on every call.
const preparedCache = new WeakMap<Transaction, Prepared>();

function prepare(connector: Connector, transaction: Transaction, target: string): Prepared {
  const cached = preparedCache.get(transaction);
  if (cached) return cached;
  const kind = connectorKind(connector.kind)!;
  const parsed = kind.transaction.safeParse(transaction);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TrellisError('INVALID_CONFIG', `transaction ${target}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, { path: target, details: parsed.error.issues });
  }
  const prepared = { transaction: parsed.data as Transaction, variables: effectiveVariables(connector, transaction) };
  preparedCache.set(transaction, prepared);
  return prepared;
}

/**
 * Executes one transaction: checks the kind's schema, coerces variables, applies the deadline and
 * cancellation, and emits start/end/error trace events.
 */
export async function executeTransaction(project: Project, target: string, given: Record<string, unknown>, options: ExecuteOptions): Promise<TxResult> {
  const run = options.runId ?? newRunId();
  let logger = options.logger ?? silentLogger;
  let connectorLogger = options.connectorLogger ?? logger;
  const started = performance.now();
  let mask = options.mask ?? SecretMask.none;
  // no listener (the runtime): no closure and no event objects
  const onTrace = options.onTrace;
  const emit = onTrace && ((event: TraceEvent) => onTrace(mask.event(event)));
  emit?.({ run, step: target, phase: 'start', ms: 0 });
  const timeoutMs = options.timeoutMs ?? DEFAULT_DEADLINE_MS;
  const call = new CallAbort(timeoutMs, options.signal);
  const signal = call.signal;
  try {
    const { connector, transaction } = findTransaction(project, target);
    const kind = connectorKind(connector.kind);
    if (!kind) throw new TrellisError('INVALID_CONFIG', `connector ${connector.name}: unknown kind "${connector.kind}"`, { path: `connectors/${connector.name}` });
    const prepared = prepare(connector, transaction, target);
    const secrets = SecretMask.of(prepared.variables, given, mask);
    if (secrets !== mask) {
      mask = secrets;
      logger = mask.logger(logger);
      connectorLogger = mask.logger(connectorLogger);
    }
    const vars = coerceVariables(prepared.variables, given, `transaction ${target}`);
    const deadline = Date.now() + timeoutMs;
    const ctx: ExecContext = { signal, deadline, logger: connectorLogger, env: options.env, projectDir: project.dir, now: Date.now };
    if (options.cookies) ctx.cookies = options.cookies;
    const result = options.stubs
      ? await options.stubs.answer(target)
      : await (await options.pool.get(project.dir, connector, options.env, connectorLogger)).execute(prepared.transaction, vars, ctx);
    const ms = performance.now() - started;
    emit?.({ run, step: target, phase: 'end', ms });
    if (logger.isLevelEnabled('info')) logger.info({ run, target, status: result.meta.status, ms: Math.round(ms) }, `${target} → ${result.meta.status ?? 'ok'} in ${Math.round(ms)} ms`);
    return result;
  } catch (e) {
    let error = toTrellisError(e, target);
    if (call.timedOut && !options.signal?.aborted && (error.code === 'CANCELLED' || error.code === 'TIMEOUT'))
      error = new TrellisError('TIMEOUT', `transaction ${target}: no result within the ${timeoutMs} ms deadline`, { path: target, cause: e });
    error = mask.error(error);
    emit?.({ run, step: target, phase: 'error', ms: performance.now() - started, error: { code: error.code, message: error.message, path: error.path } });
    logger.warn({ run, target, code: error.code }, error.message);
    throw error;
  } finally {
    call.done();
  }
}
