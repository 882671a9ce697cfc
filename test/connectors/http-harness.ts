import { envFrom, type Env } from '../../src/engine/env.js';
import { silentLogger } from '../../src/engine/logger.js';
import type { ConnectorHandle, ExecContext, TxResult, Vars } from '../../src/connectors/connector-kind.js';
import { httpConnector, type HttpTransaction } from '../../src/connectors/http.connector.js';
import type { HttpConfigInput } from '../../src/connectors/http/config.js';

/** Shared plumbing of the HTTP connector tests: open the kind directly, build contexts, run transactions. */

export const projectDir = process.cwd();

export function ctxFor(options: { signal?: AbortSignal; deadlineMs?: number; env?: Env } = {}): ExecContext {
  return {
    signal: options.signal ?? new AbortController().signal,
    deadline: Date.now() + (options.deadlineMs ?? 20_000),
    logger: silentLogger,
    env: options.env ?? envFrom({}),
    projectDir,
    now: Date.now,
  };
}

const opened: ConnectorHandle[] = [];

export async function openHttp(config: HttpConfigInput, env: Record<string, string> = {}): Promise<ConnectorHandle> {
  const handle = await httpConnector.open(config as never, envFrom(env), { projectDir, logger: silentLogger });
  opened.push(handle);
  return handle;
}

/** Closes every handle opened by openHttp (call in afterEach/afterAll). */
export async function closeAll(): Promise<void> {
  await Promise.all(opened.splice(0).map((h) => h.close()));
}

export type TxInput = Partial<Omit<HttpTransaction, 'variables'>> & { variables?: Array<Record<string, unknown>> };

/** A transaction object; validated by the connector itself on first use. */
export function tx(fields: TxInput): HttpTransaction {
  return { name: 'tx', ...fields } as HttpTransaction;
}

export function run(handle: ConnectorHandle, t: HttpTransaction, vars: Vars = {}, ctx: ExecContext = ctxFor()): Promise<TxResult> {
  return handle.execute(t, vars, ctx);
}

/** The rejection of a promise, which must reject. */
export async function failure(p: Promise<unknown>): Promise<Error & { code?: string; details?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a failure, got a result');
}
