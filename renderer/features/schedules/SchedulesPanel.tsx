import { useCallback, useEffect, useState } from 'react';
import type { JSX } from 'react';
import type { ExecutionResult, ScheduleList, StudioApi } from '../../../src/contract/index.js';
import '../../styles/schedules.css';

export interface SchedulesPanelProps {
  api: StudioApi;
  project: string | null;
  /** true while the tab is shown: the list (and its next run times) refreshes then */
  visible: boolean;
}

function errorText(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return `${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`;
}

/** A run time in the person's own clock, with how far away it is. */
function when(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const mins = Math.round((d.getTime() - Date.now()) / 60000);
  const away = mins < 1 ? 'in less than a minute' : mins < 120 ? `in ${mins} min` : mins < 2880 ? `in ${Math.round(mins / 60)} h` : `in ${Math.round(mins / 1440)} days`;
  return `${d.toLocaleString()} (${away})`;
}

function outcome(r: ExecutionResult): string {
  if (!r.ok) return `failed: ${r.error?.code ?? ''} ${r.error?.message ?? ''}`.trim();
  return `ok in ${Math.round(r.ms)} ms`;
}

/**
 * Schedules: the jobs of the project's schedules.yaml with their next run (the runtime runs them; the
 * studio lists them) and a Run now button that executes the job's sequence here, with its variables.
 */
export function SchedulesPanel({ api, project, visible }: SchedulesPanelProps): JSX.Element {
  const [list, setList] = useState<ScheduleList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, string>>({});

  const refresh = useCallback(async () => {
    if (!project) return;
    try {
      setList(await api['schedule.list']({ project }));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [api, project]);

  useEffect(() => {
    if (!visible) return;
    void refresh();
    const timer = setInterval(() => void refresh(), 30_000); // next run times move on
    return () => clearInterval(timer);
  }, [visible, refresh]);

  const runNow = async (job: string) => {
    if (!project) return;
    setRunning(job);
    try {
      const r = await api['schedule.runNow']({ project, job });
      setResults((x) => ({ ...x, [job]: outcome(r) }));
    } catch (e) {
      setResults((x) => ({ ...x, [job]: `failed: ${errorText(e)}` }));
    } finally {
      setRunning(null);
    }
  };

  if (!project) return <div className="empty-state">Open a project: the jobs of its schedules.yaml are listed here.</div>;

  return (
    <div className="sp" role="region" aria-label="Schedules">
      <div className="sp-toolbar">
        <button type="button" className="rp-button" onClick={() => void refresh()}>
          Refresh
        </button>
        <span className="sp-note">The runtime runs these jobs (trellis serve); Run now executes one here in the studio.</span>
      </div>
      {error && (
        <div className="sp-error" role="alert">
          {error}
        </div>
      )}
      {list && list.problems.length > 0 && (
        <ul className="sp-problems" aria-label="schedules.yaml problems">
          {list.problems.map((p, i) => (
            <li key={i} className={p.severity === 'error' ? 'sp-problem-error' : ''}>
              {p.file}:{p.line}:{p.col}: {p.message}
            </li>
          ))}
        </ul>
      )}
      {list && !list.exists ? (
        <div className="empty-state">
          No schedules.yaml in this project. Add one at the project root with <code>jobs:</code> (name, cron, timeZone, sequence, variables) and <code>autoStart:</code> sequences; see
          the README.
        </div>
      ) : list && list.jobs.length === 0 && list.problems.length === 0 ? (
        <div className="empty-state">schedules.yaml lists no jobs.</div>
      ) : list && list.jobs.length > 0 ? (
        <table className="grid-table sp-table" aria-label="Scheduled jobs">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Sequence</th>
              <th scope="col">Cron</th>
              <th scope="col">Time zone</th>
              <th scope="col">Next run</th>
              <th scope="col">Run</th>
            </tr>
          </thead>
          <tbody>
            {list.jobs.map((j) => (
              <tr key={j.name} className={j.enabled ? '' : 'sp-disabled'}>
                <th scope="row" title={j.description}>
                  {j.name}
                  {!j.enabled && <span className="sp-tag">disabled</span>}
                  {j.allowOverlap && <span className="sp-tag">overlap</span>}
                </th>
                <td>{j.sequence}</td>
                <td>
                  <code>{j.cron}</code>
                </td>
                <td>{j.timeZone}</td>
                <td title={j.nextRuns.map((r) => new Date(r).toLocaleString()).join('\n')}>{when(j.nextRun)}</td>
                <td>
                  <button type="button" className="rp-button" disabled={running !== null} onClick={() => void runNow(j.name)} aria-label={`Run ${j.name} now`}>
                    {running === j.name ? 'Running…' : '▶ Run now'}
                  </button>
                  {results[j.name] && (
                    <span className="sp-result" role="status">
                      {results[j.name]}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list && list.autoStart.length > 0 && (
        <div className="sp-autostart">
          Runs when the runtime starts: {list.autoStart.map((a) => a.sequence).join(', ')}
        </div>
      )}
    </div>
  );
}
