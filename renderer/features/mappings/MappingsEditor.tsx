import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { JSX } from 'react';
import type { MappingsState, ProjectState } from '../../../src/contract/index.js';
import { StudioApiError } from '../../../src/contract/index.js';
import { Icon, StepIcon } from '../../icons/icons.js';
import { projectOf } from '../../state/model.js';
import { errorMessage, type Studio } from '../../state/studio.js';
import { appendRoute } from './route-template.js';
import { YamlEditor, type YamlMarker } from './YamlEditor.js';
import './mappings.css';

interface Problem {
  line: number;
  col: number;
  message: string;
  severity: 'error' | 'warning';
}

/** The problems a refused save carries (the service puts them in details). */
function refusedProblems(error: unknown): Problem[] {
  if (!(error instanceof StudioApiError)) return [];
  const problems = (error.details as { problems?: Problem[] } | undefined)?.problems;
  return Array.isArray(problems) ? problems : [];
}

function targetName(target: MappingsState['routes'][number]['target']): string {
  return 'sequence' in target ? target.sequence : target.transaction;
}

function targetLabel(target: MappingsState['routes'][number]['target']): string {
  return 'sequence' in target ? `sequence ${target.sequence}` : `transaction ${target.transaction}`;
}

/**
 * The editor of a project's mappings.yaml: the text in Monaco, the routes it declares beside it, and its
 * problems below (a click moves the cursor there). Save (button or Ctrl+S in the editor) writes it only when
 * the YAML and the schema are valid; a refused save marks the lines that are wrong.
 */
export function MappingsEditor(props: { studio: Studio; state: ProjectState }): JSX.Element {
  const { studio, state } = props;
  const dir = state.project.dir;
  const sequences = useMemo(() => projectOf(state).sequences.map((s) => s.name), [state]);
  const [loaded, setLoaded] = useState<MappingsState | null>(null);
  const [text, setText] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [refused, setRefused] = useState<{ message: string; problems: Problem[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [reveal, setReveal] = useState<{ line: number; col: number; n: number } | null>(null);
  const [newFor, setNewFor] = useState('');
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    studio.api['mappings.get']({ project: dir }).then(
      (m) => {
        if (!live) return;
        setLoaded(m);
        setText(m.text);
      },
      (e: unknown) => live && setLoadError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [studio, dir]);

  const dirty = loaded !== null && text !== loaded.text;

  const save = useCallback(async () => {
    setBusy(true);
    try {
      const m = await studio.api['mappings.save']({ project: dir, text });
      setLoaded(m);
      setText(m.text);
      setRefused(null);
    } catch (e) {
      setRefused({ message: errorMessage(e), problems: refusedProblems(e) });
    } finally {
      setBusy(false);
    }
  }, [studio, dir, text]);

  const saveRef = useRef(save);
  saveRef.current = save;
  // Ctrl+S inside this editor saves mappings.yaml; the studio's own Ctrl+S (project files) runs too, harmlessly
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's' && box.current?.contains(document.activeElement)) void saveRef.current();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const problems: Problem[] = refused ? (refused.problems.length ? refused.problems : []) : (loaded?.problems ?? []);
  const markers: YamlMarker[] = problems;
  const goTo = (p: Problem) => setReveal((r) => ({ line: p.line, col: p.col, n: (r?.n ?? 0) + 1 }));

  if (loadError) return <div className="mappings-editor"><p className="mappings-error" role="alert">Mappings: {loadError}</p></div>;

  return (
    <div className="mappings-editor" ref={box}>
      <header className="mappings-header">
        <StepIcon icon="request" />
        <h2>Mappings</h2>
        <span className="dim">
          mappings.yaml · served under <code>{loaded?.basePath ?? `/${projectOf(state).name}`}</code>
        </span>
        <span className="mappings-actions">
          <select aria-label="Sequence of the new route" value={newFor} onChange={(e) => setNewFor(e.target.value)} disabled={sequences.length === 0}>
            <option value="">{sequences.length ? 'Sequence…' : 'No sequences'}</option>
            {sequences.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          <button type="button" disabled={!newFor} onClick={() => setText((t) => appendRoute(t, newFor))} title="Appends GET /<sequence> bound to the chosen sequence; edit it, then Save">
            <Icon name="plus" /> New route
          </button>
          <button type="button" className="primary" disabled={!dirty || busy} onClick={() => void save()} title="Save mappings.yaml (Ctrl+S in the editor)">
            <Icon name="save" /> {busy ? 'Saving…' : 'Save'}
          </button>
        </span>
      </header>
      {refused ? (
        <p className="mappings-error" role="alert">
          {refused.message}. Fix the marked line, then Save again.
        </p>
      ) : null}
      <div className="mappings-body">
        <div className="mappings-text">
          {loaded ? <YamlEditor value={text} onChange={setText} ariaLabel="mappings.yaml" markers={markers} reveal={reveal} /> : <p className="dim">Loading…</p>}
        </div>
        <div className="mappings-side">
          <h3>Routes ({loaded?.routes.length ?? 0}){dirty ? <span className="dim"> · as last saved</span> : null}</h3>
          {loaded && loaded.routes.length > 0 ? (
            <table className="grid-table" aria-label="Routes">
              <thead>
                <tr>
                  <th scope="col">Method</th>
                  <th scope="col">Path</th>
                  <th scope="col">Target</th>
                  <th scope="col" title="status of a result / when the result is empty">Status</th>
                </tr>
              </thead>
              <tbody>
                {loaded.routes.map((r) => (
                  <tr key={`${r.method} ${r.path} ${r.line}`}>
                    <td>
                      <span className={`method method-${r.method.toLowerCase()}`}>{r.method}</span>
                    </td>
                    <td>
                      <button type="button" className="link-button" onClick={() => goTo({ line: r.line, col: 1, message: '', severity: 'warning' })} title={`Line ${r.line}`}>
                        <code>{r.fullPath}</code>
                      </button>
                    </td>
                    <td title={targetLabel(r.target)} aria-label={targetLabel(r.target)}>
                      {targetName(r.target)}
                    </td>
                    <td>
                      {r.status}
                      {r.emptyStatus ? <span className="dim" title="status when the result is empty"> / {r.emptyStatus}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="dim">{loaded?.text === '' ? 'No mappings.yaml yet: choose a sequence and press New route, then Save.' : 'No routes.'}</p>
          )}
          <h3>Problems ({problems.length})</h3>
          {problems.length === 0 ? (
            <p className="dim">None.</p>
          ) : (
            <ul className="mappings-problems" aria-label="Mapping problems">
              {problems.map((p, i) => (
                <li key={i}>
                  <button type="button" className={`link-button problem-${p.severity}`} onClick={() => goTo(p)}>
                    <Icon name={p.severity === 'error' ? 'error' : 'warning'} /> line {p.line}: {p.message}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </div>
  );
}
