import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import type { JSX } from 'react';
import type { CaseResultDto, Result, StudioApi } from '../../../src/contract/index.js';
import { setStubMode, useStubMode } from './stub-mode.js';
import { caseKey, diffRows, summary } from './test-model.js';
import '../../styles/testing.css';

export interface TestsPanelProps {
  api: StudioApi;
  onEvent: (listener: (event: string, payload: unknown) => void) => () => void;
  project: string | null;
}

type Listing = Result<'tests.list'>;
type Running = { scope: 'all' } | { scope: 'file'; file: string } | { scope: 'case'; file: string; name: string };

function errorText(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return `${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`;
}

function CaseDiff({ result }: { result: CaseResultDto }): JSX.Element {
  const rows = diffRows(result.checks);
  return (
    <div className="tp-diff" role="group" aria-label={`Checks of ${result.name}`}>
      {Object.keys(result.variables).length > 0 && <div className="tp-vars">variables: {JSON.stringify(result.variables)}</div>}
      <table className="tp-table">
        <thead>
          <tr>
            <th>check</th>
            <th>expected</th>
            <th>actual</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <Fragment key={i}>
              <tr className={r.ok ? 'tp-ok' : 'tp-bad'}>
                <td>
                  <span aria-hidden="true">{r.ok ? '✓' : '✗'}</span> {r.check}
                </td>
                <td className="tp-expected">
                  <pre>{r.expected}</pre>
                </td>
                <td className="tp-actual">
                  <pre>{r.actual}</pre>
                </td>
              </tr>
              {!r.ok && r.message && (
                <tr className="tp-bad tp-message-row">
                  <td colSpan={3}>{r.message}</td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Tests: the cases of tests/*.yaml of the selected project, run one, a file or all, pass/fail with a
 * diff of expected vs actual. Files that do not parse are listed with file:line:col.
 */
export function TestsPanel({ api, onEvent, project }: TestsPanelProps): JSX.Element {
  const [listing, setListing] = useState<Listing | null>(null);
  const [results, setResults] = useState<Record<string, CaseResultDto>>({});
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const [running, setRunning] = useState<Running | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stubs = useStubMode(project);
  const taskRef = useRef<string | null>(null);

  const refresh = useCallback(async () => {
    if (!project) return;
    try {
      setListing(await api['tests.list']({ project }));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [api, project]);

  useEffect(() => {
    setListing(null);
    setResults({});
    void refresh();
  }, [refresh]);

  // Files change on disk (an editor, "Create test case"): the list follows.
  useEffect(
    () =>
      onEvent((event, payload) => {
        const p = payload as { project?: string; taskId?: string; done?: number; total?: number } | null;
        if (event === 'project.changed' && p?.project === project) void refresh();
        if (event === 'task.progress' && p?.taskId && p.taskId === taskRef.current && p.total !== undefined) setProgress(`${p.done ?? 0} of ${p.total}`);
      }),
    [onEvent, project, refresh],
  );

  const run = async (scope: Running) => {
    if (!project || running) return;
    setRunning(scope);
    setError(null);
    const taskId = `tests-${Date.now().toString(36)}`;
    taskRef.current = taskId;
    setProgress(null);
    try {
      const report = await api['tests.run']({
        project,
        stubs,
        taskId,
        ...(scope.scope === 'all' ? {} : { file: scope.file }),
        ...(scope.scope === 'case' ? { testCase: scope.name } : {}),
      });
      setResults((old) => {
        const next = scope.scope === 'all' ? {} : { ...old };
        for (const r of report.cases) next[caseKey(r.file, r.name)] = r;
        return next;
      });
      // failures open by themselves: the diff is what the person came for
      setOpen((o) => {
        const next = { ...o };
        for (const r of report.cases) next[caseKey(r.file, r.name)] = !r.ok;
        return next;
      });
      await refresh();
    } catch (e) {
      setError(errorText(e));
    } finally {
      taskRef.current = null;
      setRunning(null);
      setProgress(null);
    }
  };

  if (!project) return <div className="empty-state">Open a project to see its test cases (tests/*.yaml).</div>;
  const all = Object.values(results);
  const total = listing?.suites.reduce((n, s) => n + s.cases.length, 0) ?? 0;

  return (
    <div className="tp" role="region" aria-label="Tests">
      <div className="tp-toolbar">
        <button type="button" className="rp-button" onClick={() => void run({ scope: 'all' })} disabled={!!running || total === 0}>
          ▶ Run all
        </button>
        <button type="button" className="rp-button" onClick={() => void refresh()} disabled={!!running}>
          Refresh
        </button>
        <label className="tp-check" title="Answer transactions from stubs/ instead of their backends">
          <input type="checkbox" checked={stubs} onChange={(e) => setStubMode(project, e.target.checked)} /> Stub mode
        </label>
        <span className="tp-summary" role="status" aria-live="polite">
          {running ? `Running${progress ? ` ${progress}` : ''}…` : all.length ? summary(all) : `${total} case${total === 1 ? '' : 's'}`}
        </span>
      </div>
      {error && (
        <div className="tp-error" role="alert">
          {error}
        </div>
      )}
      {listing?.problems.length ? (
        <ul className="tp-problems" aria-label="Test file problems">
          {listing.problems.map((p, i) => (
            <li key={i} className={`problem-${p.severity}`}>
              {p.file}:{p.line}:{p.col}: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      {listing && listing.suites.length === 0 && !listing.problems.length && (
        <div className="empty-state">
          No test cases yet. Execute a transaction or a sequence (F5), then use “Create test case” in the Response panel — or write tests/&lt;name&gt;.yaml by hand.
        </div>
      )}
      <ul className="tp-suites" aria-label="Test files">
        {listing?.suites.map((s) => (
          <li key={s.file} className="tp-suite">
            <div className="tp-suite-head">
              <span className="tp-file">{s.file}</span>
              <span className="tp-target">{s.target}</span>
              <button type="button" className="rp-button tp-run" aria-label={`Run ${s.file}`} onClick={() => void run({ scope: 'file', file: s.file })} disabled={!!running}>
                ▶ Run file
              </button>
            </div>
            <ul className="tp-cases">
              {s.cases.map((c) => {
                const key = caseKey(s.file, c.name);
                const r = results[key];
                const state = r ? (r.ok ? 'pass' : 'fail') : 'none';
                return (
                  <li key={key} className={`tp-case tp-${state}`} data-case={c.name}>
                    <div className="tp-case-head">
                      <button
                        type="button"
                        className="tp-toggle"
                        aria-expanded={open[key] === true}
                        disabled={!r}
                        onClick={() => setOpen((o) => ({ ...o, [key]: !o[key] }))}
                        title={r ? 'Show the checks: expected vs actual' : 'Run the case to see its checks'}
                      >
                        <span className="tp-icon" aria-hidden="true">
                          {state === 'pass' ? '✓' : state === 'fail' ? '✗' : '○'}
                        </span>
                        <span className="tp-name">{c.name}</span>
                        {r && <span className="tp-outcome">{r.ok ? 'passed' : 'failed'}</span>}
                        {r && <span className="tp-ms">{Math.round(r.ms)} ms</span>}
                        {(c.stubs || r?.stubs) && <span className="tp-badge">stubs</span>}
                      </button>
                      <button type="button" className="rp-button tp-run" aria-label={`Run ${c.name}`} onClick={() => void run({ scope: 'case', file: s.file, name: c.name })} disabled={!!running}>
                        ▶
                      </button>
                    </div>
                    {r && open[key] && <CaseDiff result={r} />}
                  </li>
                );
              })}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}
