import type { ExecutionResult, EventPayload, ParsedParams } from '../contract/index.js';
import { envFrom, type Env } from '../engine/env.js';
import { TrellisError, toTrellisError } from '../engine/errors.js';
import { executeTransaction } from '../engine/execute-transaction.js';
import type { Logger } from '../engine/logger.js';
import type { ConnectionPool } from '../engine/pool.js';
import { newRunId } from '../engine/trace.js';
import type { Json, Project } from '../model/index.js';
import type { TxResult } from '../connectors/index.js';
import { readDotEnv } from '../project/index.js';
import type { RunMemory } from './run-memory.js';
import { fileStubs } from '../project/stubs.js';

/** The response panel gets this much at once; the rest stays here and is paged (IPC carries small DTOs). */
export const BODY_PREVIEW_CHARS = 1_000_000;
/** Bodies of older runs are dropped: a studio session may execute thousands of times. */
export const KEPT_RUNS = 20;

type Part = 'body' | 'raw';
type Language = 'json' | 'xml' | 'text';

export interface View {
  text: string;
  language: Language;
}
export type Views = Record<Part, View>;

export function bodyView(view: View) {
  const truncated = view.text.length > BODY_PREVIEW_CHARS;
  return { text: truncated ? view.text.slice(0, BODY_PREVIEW_CHARS) : view.text, language: view.language, totalChars: view.text.length, truncated };
}

/** A JSON value as the editor shows it: pretty in the body, compact in the raw view. */
export function jsonViews(data: Json): Views {
  return { body: { text: JSON.stringify(data, null, 2) ?? 'null', language: 'json' }, raw: { text: JSON.stringify(data) ?? 'null', language: 'json' } };
}

/** The data as the editor shows it; a string (text transactions, an error page) is shown as itself. */
function views(result: TxResult): Views {
  const data = result.data;
  if (typeof data !== 'string') {
    const v = jsonViews(data);
    return result.xml !== undefined ? { body: v.body, raw: { text: result.xml, language: 'xml' } } : v;
  }
  const body: View = { text: data, language: 'text' };
  return { body, raw: result.xml !== undefined ? { text: result.xml, language: 'xml' } : body };
}

/** `${env:NAME}` values: the process environment, then the project's .env (read on every run, so a new value works at once). */
export async function projectEnv(project: Project): Promise<Env> {
  return envFrom(process.env, await readDotEnv(project.dir));
}

/** A backend answer worth inferring a schema from: no status (SQL, ...) or a 2xx one. */
export function isSuccess(result: TxResult): boolean {
  const status = result.meta.status;
  return status === undefined || (status >= 200 && status < 300);
}

export interface ExecutionDeps {
  pool: ConnectionPool;
  logger: Logger;
  memory: RunMemory;
  onTrace(event: EventPayload<'run.event'>): void;
}

/** One execution in progress: its id and cancellation. */
export interface RunHandle {
  runId: string;
  signal: AbortSignal;
  started: number;
}

/**
 * Runs transactions for the studio, and the bookkeeping every execution shares (sequences use it too):
 * one AbortController per run, and the last runs' bodies for paging.
 */
export class Executions {
  private readonly running = new Map<string, AbortController>();
  private readonly bodies = new Map<string, Views>();

  constructor(private readonly deps: ExecutionDeps) {}

  /** Runs `body` as execution `runId` (fresh when absent); cancellable with run.cancel until it settles. */
  async track(runId: string | undefined, body: (run: RunHandle) => Promise<ExecutionResult>): Promise<ExecutionResult> {
    const id = runId ?? newRunId();
    if (this.running.has(id)) throw new TrellisError('INVALID_CONFIG', `run ${id} is already running; give each execution its own runId`);
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      return await body({ runId: id, signal: controller.signal, started: performance.now() });
    } finally {
      this.running.delete(id);
    }
  }

  /** The failed-execution result; unexpected errors are logged with their stack, which never leaves the engine. */
  failure(run: RunHandle, e: unknown, owner: string, logger: Logger): ExecutionResult {
    const error = toTrellisError(e, owner);
    if (error.code === 'INTERNAL') logger.error({ err: e, target: owner }, `${owner} failed unexpectedly`);
    return { ok: false, runId: run.runId, ms: performance.now() - run.started, error: { code: error.code, message: error.message, path: error.path, details: error.details } };
  }

  async execute(project: Project, params: ParsedParams<'transaction.execute'>): Promise<ExecutionResult> {
    return this.track(params.runId, async (run) => {
      try {
        const result = await executeTransaction(project, params.target, params.variables, {
          env: await projectEnv(project),
          pool: this.deps.pool,
          logger: this.deps.logger,
          signal: run.signal,
          timeoutMs: params.timeoutMs,
          runId: run.runId,
          onTrace: (e) => this.deps.onTrace(e),
          ...(params.stubs ? { stubs: fileStubs(project.dir) } : {}),
        });
        if (isSuccess(result)) this.deps.memory.setData(project.dir, params.target, result.data);
        const v = views(result);
        this.keep(run.runId, v);
        const meta = result.meta;
        return {
          ok: true,
          runId: run.runId,
          status: meta.status,
          statusText: meta.statusText,
          headers: meta.headers ?? {},
          ms: meta.ms,
          bytes: meta.bytes,
          contentType: meta.contentType,
          body: bodyView(v.body),
          raw: bodyView(v.raw),
          ...(meta.columns ? { table: { columns: meta.columns, rows: meta.rows ?? 0, truncated: meta.truncated === true } } : {}),
        };
      } catch (e) {
        return this.failure(run, e, params.target, this.deps.logger);
      }
    });
  }

  keep(runId: string, v: Views): void {
    this.bodies.set(runId, v);
    while (this.bodies.size > KEPT_RUNS) this.bodies.delete(this.bodies.keys().next().value!);
  }

  cancel(runId: string): boolean {
    const controller = this.running.get(runId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  page(runId: string, part: Part, offset: number, length: number): { text: string; totalChars: number } {
    const kept = this.bodies.get(runId);
    if (!kept)
      throw new TrellisError('NOT_FOUND', `run ${runId} has no kept response: only the last ${KEPT_RUNS} executions keep their bodies; execute again`, { path: runId });
    const text = kept[part].text;
    return { text: text.slice(offset, offset + length), totalChars: text.length };
  }

  dispose(): void {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
    this.bodies.clear();
  }
}
