import { useCallback, useEffect, useRef, useState } from 'react';
import type { JSX } from 'react';
import type { HistoryEntryDto, HistorySummary, StudioApi } from '../../../src/contract/index.js';
import '../../styles/testing.css';

export interface HistoryPanelProps {
  api: StudioApi;
  onEvent: (listener: (event: string, payload: unknown) => void) => () => void;
  project: string | null;
  /** true while the tab is shown: the list refreshes then */
  visible: boolean;
}

function errorText(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return `${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`;
}

function time(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString();
}

function outcome(e: HistorySummary): string {
  if (!e.ok) return e.error?.code ?? 'failed';
  return e.status !== undefined ? String(e.status) : 'ok';
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * History: the last 100 executions of the project in this studio session (inputs, output, trace,
 * duration), secret values shown as ***, each re-runnable.
 */
export function HistoryPanel({ api, onEvent, project, visible }: HistoryPanelProps): JSX.Element {
  const [entries, setEntries] = useState<HistorySummary[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<HistoryEntryDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const refresh = useCallback(async () => {
    if (!project) return;
    try {
      setEntries((await api['history.list']({ project })).entries);
    } catch (e) {
      setError(errorText(e));
    }
  }, [api, project]);

  useEffect(() => {
    if (visible) void refresh();
  }, [visible, refresh]);

  // A run that ends lands in the history: refresh shortly after (once per burst of trace events).
  useEffect(
    () =>
      onEvent((event, payload) => {
        const p = payload as { phase?: string } | null;
        if (!visible || event !== 'run.event' || (p?.phase !== 'end' && p?.phase !== 'error')) return;
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => void refresh(), 300);
      }),
    [onEvent, refresh, visible],
  );

  useEffect(() => {
    if (!project || !selected) {
      setDetail(null);
      return;
    }
    let live = true;
    api['history.get']({ project, id: selected }).then(
      (d) => live && setDetail(d),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [api, project, selected]);

  const rerun = async () => {
    if (!project || !selected) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api['history.rerun']({ project, id: selected });
      await refresh();
      setSelected(r.runId);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (!project) return <div className="empty-state">Open a project: its executions are listed here.</div>;

  return (
    <div className="hp" role="region" aria-label="History">
      <div className="hp-toolbar">
        <button type="button" className="rp-button" onClick={() => void refresh()}>
          Refresh
        </button>
        <button type="button" className="rp-button" onClick={() => void rerun()} disabled={!selected || busy} title="Execute again with the same inputs">
          ↻ Re-run
        </button>
        <span className="hp-time">{entries.length} of the last 100 executions</span>
      </div>
      {error && (
        <div className="hp-error" role="alert">
          {error}
        </div>
      )}
      {entries.length === 0 ? (
        <div className="empty-state">No execution yet in this session. Press F5 on a transaction or a sequence; each run is kept here with its inputs, output and trace.</div>
      ) : (
        <div className="hp-body">
          <ul className="hp-list" role="listbox" aria-label="Executions">
            {entries.map((e) => (
              <li key={e.id}>
                <button
                  type="button"
                  role="option"
                  aria-selected={selected === e.id}
                  className={`hp-item${e.ok ? '' : ' hp-failed'}`}
                  onClick={() => setSelected(e.id)}
                  onKeyDown={(k) => {
                    const i = entries.findIndex((x) => x.id === e.id);
                    const next = k.key === 'ArrowDown' ? entries[i + 1] : k.key === 'ArrowUp' ? entries[i - 1] : undefined;
                    if (next) {
                      k.preventDefault();
                      setSelected(next.id);
                      (k.currentTarget.parentElement?.[k.key === 'ArrowDown' ? 'nextElementSibling' : 'previousElementSibling']?.querySelector('button') as HTMLButtonElement | null)?.focus();
                    }
                  }}
                >
                  <span className="hp-time">{time(e.startedAt)}</span>
                  <span className="hp-target">
                    {e.target}
                    {e.stubs ? ' (stubs)' : ''}
                  </span>
                  <span>{outcome(e)}</span>
                  <span className="hp-ms">{Math.round(e.ms)} ms</span>
                </button>
              </li>
            ))}
          </ul>
          <div className="hp-detail" aria-label="Execution details">
            {!detail ? (
              <div className="empty-state">Select an execution to see its inputs, output and trace.</div>
            ) : (
              <>
                <h4>
                  {detail.kind} {detail.target} — {outcome(detail)} in {Math.round(detail.ms)} ms
                </h4>
                <h4>Inputs</h4>
                <pre>{JSON.stringify(detail.variables, null, 2)}</pre>
                {detail.error && (
                  <>
                    <h4>Error</h4>
                    <pre className="hp-failed">
                      {detail.error.code}: {detail.error.message}
                    </pre>
                  </>
                )}
                {detail.output && (
                  <>
                    <h4>
                      Output{' '}
                      {detail.output.truncated && (
                        <span className="hp-mark">
                          (cut: first {detail.output.text.length.toLocaleString('en-US')} of {detail.output.totalChars.toLocaleString('en-US')} characters)
                        </span>
                      )}
                    </h4>
                    <pre>{detail.output.truncated ? detail.output.text : pretty(detail.output.text)}</pre>
                  </>
                )}
                <h4>
                  Trace ({detail.trace.length} events){detail.traceTruncated && <span className="hp-mark"> (more events were cut)</span>}
                </h4>
                <pre>
                  {detail.trace
                    .map((t) => `${(t.step || '(sequence)').padEnd(24)} ${t.phase.padEnd(5)} ${t.phase === 'start' ? '' : `${Math.round(t.ms * 10) / 10} ms`}${t.error ? ` ${t.error.code}: ${t.error.message}` : ''}`)
                    .join('\n')}
                </pre>
              </>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
