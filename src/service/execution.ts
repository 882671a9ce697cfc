import type { ExecutionResult, EventPayload, ParsedParams } from '../contract/index.js';
import { envFrom } from '../engine/env.js';
import { TrellisError, toTrellisError } from '../engine/errors.js';
import { executeTransaction } from '../engine/execute-transaction.js';
import type { Logger } from '../engine/logger.js';
import type { ConnectionPool } from '../engine/pool.js';
import { newRunId } from '../engine/trace.js';
import type { Project } from '../model/index.js';
import type { TxResult } from '../connectors/index.js';
import { readDotEnv } from '../project/index.js';

/** The response panel gets this much at once; the rest stays here and is paged (IPC carries small DTOs). */
export const BODY_PREVIEW_CHARS = 1_000_000;
/** Bodies of older runs are dropped: a studio session may execute thousands of times. */
export const KEPT_RUNS = 20;

type Part = 'body' | 'raw';
type Language = 'json' | 'xml' | 'text';

interface View {
  text: string;
  language: Language;
}

function bodyView(view: View) {
  const truncated = view.text.length > BODY_PREVIEW_CHARS;
  return { text: truncated ? view.text.slice(0, BODY_PREVIEW_CHARS) : view.text, language: view.language, totalChars: view.text.length, truncated };
}

/** The data as the editor shows it; a string (text transactions, an error page) is shown as itself. */
function views(result: TxResult): Record<Part, View> {
  const data = result.data;
  const body: View = typeof data === 'string' ? { text: data, language: 'text' } : { text: JSON.stringify(data, null, 2) ?? 'null', language: 'json' };
  const raw: View =
    result.xml !== undefined ? { text: result.xml, language: 'xml' } : typeof data === 'string' ? body : { text: JSON.stringify(data) ?? 'null', language: 'json' };
  return { body, raw };
}

export interface ExecutionDeps {
  pool: ConnectionPool;
  logger: Logger;
  onTrace(event: EventPayload<'run.event'>): void;
}

/** Runs transactions for the studio: one AbortController per run, and the last runs' bodies for paging. */
export class Executions {
  private readonly running = new Map<string, AbortController>();
  private readonly bodies = new Map<string, Record<Part, View>>();

  constructor(private readonly deps: ExecutionDeps) {}

  async execute(project: Project, params: ParsedParams<'transaction.execute'>): Promise<ExecutionResult> {
    const runId = params.runId ?? newRunId();
    if (this.running.has(runId)) throw new TrellisError('INVALID_CONFIG', `run ${runId} is already running; give each execution its own runId`);
    const controller = new AbortController();
    this.running.set(runId, controller);
    const started = performance.now();
    try {
      // Read on every run so a value just added to .env works without reopening the project.
      const env = envFrom(process.env, await readDotEnv(project.dir));
      const result = await executeTransaction(project, params.target, params.variables, {
        env,
        pool: this.deps.pool,
        logger: this.deps.logger,
        signal: controller.signal,
        timeoutMs: params.timeoutMs,
        runId,
        onTrace: (e) => this.deps.onTrace(e),
      });
      const v = views(result);
      this.keep(runId, v);
      const meta = result.meta;
      return {
        ok: true,
        runId,
        status: meta.status,
        statusText: meta.statusText,
        headers: meta.headers ?? {},
        ms: meta.ms,
        bytes: meta.bytes,
        contentType: meta.contentType,
        body: bodyView(v.body),
        raw: bodyView(v.raw),
      };
    } catch (e) {
      const error = toTrellisError(e, params.target);
      if (error.code === 'INTERNAL') this.deps.logger.error({ err: e, target: params.target }, `transaction ${params.target} failed unexpectedly`);
      return { ok: false, runId, ms: performance.now() - started, error: { code: error.code, message: error.message, path: error.path, details: error.details } };
    } finally {
      this.running.delete(runId);
    }
  }

  private keep(runId: string, v: Record<Part, View>): void {
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
