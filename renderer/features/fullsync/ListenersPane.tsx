import { useCallback, useEffect, useState } from 'react';
import type { JSX } from 'react';
import type { FullsyncListeners } from '../../../src/contract/index.js';
import { Icon } from '../../icons/icons.js';
import { errorMessage, type Studio } from '../../state/studio.js';

const POLL_MS = 1000;

/** The project's listeners run by the studio on demand, with their recent calls (polled while shown). */
export function ListenersPane(props: { studio: Studio; dir: string; listeners: ReadonlyArray<{ name: string; on: string; sequence: string }>; connector: string }): JSX.Element {
  const { studio, dir, listeners, connector } = props;
  const [state, setState] = useState<FullsyncListeners | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setState(await studio.api['fullsync.listeners.activity']({ project: dir }));
    } catch (e) {
      setError(`Listener activity: ${errorMessage(e)}`);
    }
  }, [studio, dir]);

  useEffect(() => {
    void refresh();
    const t = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(t);
  }, [refresh]);

  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      setState(await studio.api[state?.running ? 'fullsync.listeners.stop' : 'fullsync.listeners.start']({ project: dir }));
    } catch (e) {
      setError(`${state?.running ? 'Stopping' : 'Starting'} listeners: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const activity = [...(state?.activity ?? [])].reverse();
  return (
    <div className="fs-listeners">
      <div className="fs-editor-bar">
        <strong>Listeners</strong>
        <span className="dim" aria-live="polite">
          {state?.running ? `running in the studio: ${state.listeners.join(', ')}` : 'stopped (the runtime starts them on deploy; run them here to try them)'}
        </span>
        <span className="fs-spacer" />
        <button type="button" className={state?.running ? '' : 'primary'} onClick={() => void toggle()} disabled={busy || !state || state.listeners.length === 0}>
          <Icon name={state?.running ? 'stop' : 'play'} /> {state?.running ? 'Stop listeners' : 'Start listeners'}
        </button>
      </div>
      {listeners.length ? (
        <ul className="fs-listener-list" aria-label={`Listeners of ${connector}`}>
          {listeners.map((l) => (
            <li key={l.name}>
              <strong>{l.name}</strong> on {l.on} → sequence <code>{l.sequence}</code>
            </li>
          ))}
        </ul>
      ) : (
        <p className="dim">{connector} has no listeners: add them under listeners: in the connector's properties (on update or delete, a sequence, a view or filter).</p>
      )}
      {error ? (
        <p className="fs-error" role="alert">
          {error}
        </p>
      ) : null}
      <table className="grid-table" aria-label="Listener activity">
        <thead>
          <tr>
            <th scope="col">At</th>
            <th scope="col">Listener</th>
            <th scope="col">Documents</th>
            <th scope="col">Result</th>
            <th scope="col">Last seq</th>
          </tr>
        </thead>
        <tbody>
          {activity.length === 0 ? (
            <tr>
              <td colSpan={5} className="dim">
                No activity yet: start the listeners, then change a document.
              </td>
            </tr>
          ) : (
            activity.map((a, i) => (
              <tr key={`${a.at}-${i}`} className={a.ok ? '' : 'fs-failed'}>
                <td>{new Date(a.at).toLocaleTimeString()}</td>
                <td>
                  {a.connector}.{a.listener}
                </td>
                <td>{a.docs}</td>
                <td>{a.ok ? 'ok' : `failed, retried: ${a.error ?? ''}`}</td>
                <td>
                  <code>{String(a.lastSeq)}</code>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
