import { useCallback, useEffect, useRef, useState } from 'react';
import type { JSX } from 'react';
import type { ExecutionResult, StudioApi } from '../../../src/contract/index.js';
import type { Variable } from '../../../src/model/index.js';
import { preloadCodeView } from '../../monaco/CodeView.js';
import { flushPropertyEdits } from '../editors/pending-edits.js';
import { ErrorPanel } from './ErrorPanel.js';
import type { RunError } from './ErrorPanel.js';
import { ResponseView } from './ResponseView.js';
import type { PagedText } from './ResponseView.js';
import type { StorageLike, VariableValue, VariableValues } from './run-model.js';
import { badVariableMessages, formatMs, loadValues, newRunId, saveValues, statusClass, statusLine, storageKey, toExecuteVariables } from './run-model.js';
import { VariablesForm } from './VariablesForm.js';
import { RunExtras } from '../testing/RunExtras.js';
import { stubModeOf } from '../testing/stub-mode.js';
import { SqlResultView } from '../sql-editor/SqlResultView.js';
import { reportSqlRun } from '../sql-editor/sql-run-errors.js';
import '../../styles/panels.css';

export interface RunPanelProps {
  api: StudioApi;
  onEvent: (listener: (event: string, payload: unknown) => void) => () => void;
  project: string;
  /** '<connector>.<transaction>', or a sequence name when `targetKind` is 'sequence' */
  target: string | null;
  /** what F5 executes: a transaction (transaction.execute) or a sequence (sequence.execute, traced on its canvas) */
  targetKind?: 'transaction' | 'sequence';
  /** told the run id before a run starts (the canvas's live trace follows it) */
  onRunStart?: (runId: string, target: string) => void;
  /** the effective variables of the target */
  variables: Variable[];
  /** increments on each F5: start a run */
  runRequest: number;
  /** increments on Shift+F5: cancel */
  stopRequest: number;
  onFinished?: (r: ExecutionResult) => void;
  /** runs a sequence instead of sequence.execute (the debugger: sequence.debug when there are breakpoints) */
  runSequence?: StudioApi['sequence.execute'];
  /** the step a debug run is paused before, shown instead of "Running" */
  pausedAt?: string;
  /** opens the Tests panel (after "Create test case") */
  onShowTests?: () => void;
}

/** How much more text "Load more" asks run.page for. */
const PAGE_CHARS = 1_000_000;

type RunState =
  | { status: 'idle' }
  | { status: 'running'; runId: string; target: string; startedAt: number; stopping: boolean }
  | { status: 'done'; target: string; result: ExecutionResult };

interface Pages {
  body: PagedText;
  raw: PagedText;
}

function storage(): StorageLike | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

function toRunError(e: unknown): RunError {
  if (typeof e === 'object' && e !== null) {
    const err = e as { code?: unknown; message?: unknown; path?: unknown; details?: unknown };
    return {
      code: typeof err.code === 'string' ? err.code : 'ERROR',
      message: typeof err.message === 'string' ? err.message : String(e),
      path: typeof err.path === 'string' ? err.path : undefined,
      details: err.details,
    };
  }
  return { code: 'ERROR', message: String(e) };
}

function progressText(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as { step?: unknown; phase?: unknown; ms?: unknown };
  if (typeof p.step !== 'string') return undefined;
  const phase = p.phase === 'start' ? 'started' : p.phase === 'end' ? `done${typeof p.ms === 'number' ? ` in ${formatMs(p.ms)}` : ''}` : p.phase === 'error' ? 'failed' : '';
  return `${p.step} ${phase}`.trim();
}

/**
 * Executes the selected transaction (F5, ▶) with the values in Variables, and shows the response:
 * status line, Body (Monaco) · Headers · Raw, or an error panel that says what to check.
 */
export function RunPanel({ api, onEvent, project, target, targetKind = 'transaction', onRunStart, variables, runRequest, stopRequest, onFinished, runSequence, pausedAt, onShowTests }: RunPanelProps): JSX.Element {
  const key = target ? storageKey(project, targetKind === 'sequence' ? `sequence:${target}` : target) : '';
  const [values, setValues] = useState<VariableValues>(() => (key ? loadValues(storage(), key) : {}));
  const [valuesKey, setValuesKey] = useState(key);
  if (valuesKey !== key) {
    setValuesKey(key);
    setValues(key ? loadValues(storage(), key) : {});
  }
  const [run, setRun] = useState<RunState>({ status: 'idle' });
  const [pages, setPages] = useState<Pages | null>(null);
  const [loadingPart, setLoadingPart] = useState<'body' | 'raw' | null>(null);
  const [varErrors, setVarErrors] = useState<Record<string, string>>({});
  const [progress, setProgress] = useState<string | undefined>();
  const [pageError, setPageError] = useState<string | undefined>();
  const [now, setNow] = useState(() => performance.now());

  const latest = useRef({ api, project, target, targetKind, variables, values, onFinished, onRunStart, runSequence });
  latest.current = { api, project, target, targetKind, variables, values, onFinished, onRunStart, runSequence };
  const runningId = useRef<string | null>(null);

  // Remember the values typed (secrets excepted) when they change.
  useEffect(() => {
    if (key && valuesKey === key) saveValues(storage(), key, values, latest.current.variables);
  }, [key, valuesKey, values]);

  // Progress of the run in flight, from the engine's trace events.
  useEffect(
    () =>
      onEvent((event, payload) => {
        if (event !== 'run.event' || !runningId.current) return;
        if ((payload as { run?: unknown } | null)?.run !== runningId.current) return;
        const text = progressText(payload);
        if (text) setProgress(text);
      }),
    [onEvent],
  );

  const running = run.status === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, [running]);

  const execute = useCallback(async () => {
    if (runningId.current) return;
    const runId = newRunId();
    runningId.current = runId;
    const startedAt = performance.now();
    const { target: t, targetKind: kind } = latest.current;
    if (!t) {
      runningId.current = null;
      return;
    }
    latest.current.onRunStart?.(runId, t);
    setRun({ status: 'running', runId, target: t, startedAt, stopping: false });
    preloadCodeView(); // the response editor loads while the engine works
    setNow(startedAt);
    setProgress(undefined);
    setVarErrors({});
    let result: ExecutionResult;
    try {
      // Edits still being typed in Properties go first, so the run sees them.
      await flushPropertyEdits();
      const { api, project, variables, values, runSequence: runSeq } = latest.current;
      const vars = toExecuteVariables(variables, values);
      const stubs = stubModeOf(project) || undefined;
      result = kind === 'sequence' ? await (runSeq ?? api['sequence.execute'])({ project, sequence: t, variables: vars, runId, stubs }) : await api['transaction.execute']({ project, target: t, variables: vars, runId, stubs });
    } catch (e) {
      result = { ok: false, runId, ms: performance.now() - startedAt, error: toRunError(e) };
    }
    runningId.current = null;
    setRun({ status: 'done', target: t, result });
    setPageError(undefined);
    setPages(
      result.ok
        ? {
            body: { text: result.body.text, totalChars: result.body.totalChars, truncated: result.body.truncated, language: result.body.language },
            raw: { text: result.raw.text, totalChars: result.raw.totalChars, truncated: result.raw.truncated, language: result.raw.language },
          }
        : null,
    );
    if (!result.ok && result.error.code === 'BAD_VARIABLE') setVarErrors(badVariableMessages(result.error.details));
    if (kind === 'transaction') reportSqlRun(latest.current.project, t, result);
    latest.current.onFinished?.(result);
  }, []);

  const stop = useCallback(() => {
    const runId = runningId.current;
    if (!runId) return;
    setRun((r) => (r.status === 'running' ? { ...r, stopping: true } : r));
    latest.current.api['run.cancel']({ runId }).catch(() => undefined);
  }, []);

  const lastRunRequest = useRef(runRequest);
  useEffect(() => {
    if (runRequest === lastRunRequest.current) return;
    lastRunRequest.current = runRequest;
    void execute();
  }, [runRequest, execute]);

  const lastStopRequest = useRef(stopRequest);
  useEffect(() => {
    if (stopRequest === lastStopRequest.current) return;
    lastStopRequest.current = stopRequest;
    stop();
  }, [stopRequest, stop]);

  const loadMore = useCallback(
    async (part: 'body' | 'raw') => {
      if (run.status !== 'done' || !run.result.ok || !pages) return;
      const runId = run.result.runId;
      const offset = pages[part].text.length;
      setLoadingPart(part);
      setPageError(undefined);
      try {
        const page = await latest.current.api['run.page']({ runId, part, offset, length: PAGE_CHARS });
        setPages((p) => {
          if (!p || p[part].text.length !== offset) return p;
          const text = p[part].text + page.text;
          return { ...p, [part]: { ...p[part], text, totalChars: page.totalChars, truncated: text.length < page.totalChars && page.text.length > 0 } };
        });
      } catch (e) {
        const err = toRunError(e);
        setPageError(`Could not load more (${err.code}): ${err.message}`);
      } finally {
        setLoadingPart(null);
      }
    },
    [run, pages],
  );

  const setValue = (name: string, value: VariableValue | undefined) => {
    setValues((vs) => {
      const next = { ...vs };
      if (value === undefined) delete next[name];
      else next[name] = value;
      return next;
    });
    setVarErrors((errs) => {
      if (!(name in errs)) return errs;
      const { [name]: _removed, ...rest } = errs;
      return rest;
    });
  };

  const result = run.status === 'done' ? run.result : null;
  const shownTarget = run.status === 'idle' ? target : run.target;
  const cls = result?.ok ? statusClass(result.status) : result ? 'failed' : 'none';

  return (
    <div className="rp" role="region" aria-label="Response">
      <VariablesForm
        variables={variables}
        values={values}
        errors={varErrors}
        onChange={setValue}
        onExecute={() => void execute()}
        onStop={stop}
        running={running}
        canExecute={target !== null}
        subject={targetKind}
        disabledReason={target ? undefined : 'Select a transaction or a sequence in the Projects tree to execute it.'}
      />
      <div className="rp-response">
        <div className={`rp-status-line rp-status-${cls}`} role="status" aria-label="Response status" aria-busy={running || undefined}>
          {run.status === 'running' ? (
            <>
              <span className="rp-spinner" aria-hidden="true" />
              <span>
                {run.stopping ? 'Stopping' : pausedAt ? `Paused before ${pausedAt} in` : 'Running'} {run.target}… {formatMs(now - run.startedAt)}
              </span>
              {progress && <span className="rp-muted">{progress}</span>}
              <button type="button" className="rp-button rp-stop" onClick={stop} disabled={run.stopping}>
                <span aria-hidden="true">■</span> Stop
              </button>
            </>
          ) : result ? (
            <>
              <span className={`rp-status-code rp-status-${cls}`}>{statusLine(result)}</span>
              {shownTarget && <span className="rp-muted rp-target">{shownTarget}</span>}
            </>
          ) : (
            <span className="rp-muted">{target ? `Press F5 or ▶ Execute to run ${target}.` : 'No response yet.'}</span>
          )}
        </div>
        {run.status !== 'running' && <RunExtras api={api} project={project} target={shownTarget} kind={targetKind} result={result} onShowTests={onShowTests} />}
        <div className={`rp-response-body${running ? ' rp-stale' : ''}`}>
          {result && !result.ok && <ErrorPanel error={result.error} ms={result.ms} />}
          {pageError && (
            <div className="rp-page-error" role="alert">
              {pageError}
            </div>
          )}
          {result && result.ok && pages && result.table ? (
            <SqlResultView api={api} runId={result.runId} ms={result.ms} table={result.table} body={pages.body} raw={pages.raw} onLoadMore={(part) => void loadMore(part)} loading={loadingPart} />
          ) : null}
          {result && result.ok && pages && !result.table && <ResponseView body={pages.body} raw={pages.raw} headers={result.headers} onLoadMore={(part) => void loadMore(part)} loading={loadingPart} />}
        </div>
      </div>
    </div>
  );
}
