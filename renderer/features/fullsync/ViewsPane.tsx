import { useEffect, useState } from 'react';
import type { JSX } from 'react';
import type { FullsyncViewRows } from '../../../src/contract/index.js';
import { Icon } from '../../icons/icons.js';
import { errorMessage, type Studio } from '../../state/studio.js';
import { JsEditor } from '../js-editor/JsEditor.js';

const VIEW_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*\/[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;
const NEW_VIEW = "function map(doc) {\n  if (doc.type) emit(doc.type, 1);\n}\n\n// a built-in reduce ('_count', '_sum', '_stats') or function reduce(keys, values, rereduce) { ... }\nconst reduce = '_count';\n";

interface Query {
  reduce: boolean;
  group: boolean;
  key: string;
  startkey: string;
  endkey: string;
  limit: number;
}

const cell = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

/** The view files of a database: edit the map/reduce JavaScript, run the view with or without reduce. */
export function ViewsPane(props: { studio: Studio; dir: string; connector: string; database: string; views: readonly string[]; onChanged(): void }): JSX.Element {
  const { studio, dir, connector, database, views, onChanged } = props;
  const [view, setView] = useState<string | null>(views[0] ?? null);
  const [code, setCode] = useState('');
  const [saved, setSaved] = useState('');
  const [hasReduce, setHasReduce] = useState(false);
  const [newName, setNewName] = useState('');
  const [query, setQuery] = useState<Query>({ reduce: true, group: false, key: '', startkey: '', endkey: '', limit: 100 });
  const [result, setResult] = useState<FullsyncViewRows | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  useEffect(() => {
    if (!view) return;
    let live = true;
    studio.api['fullsync.view.get']({ project: dir, connector, view }).then(
      (v) => {
        if (!live) return;
        setCode(v.code);
        setSaved(v.code);
        setHasReduce(v.reduce !== undefined);
        setQuery((q) => ({ ...q, reduce: v.reduce !== undefined, group: false }));
        setResult(null);
        setError(null);
      },
      (e: unknown) => live && setError(`View ${view}: ${errorMessage(e)}`),
    );
    return () => {
      live = false;
    };
  }, [studio, dir, connector, view]);

  const save = async (text = code, name = view): Promise<boolean> => {
    if (!name) return false;
    try {
      const v = await studio.api['fullsync.view.save']({ project: dir, connector, view: name, code: text });
      setSaved(text);
      setHasReduce(v.reduce !== undefined);
      if (v.created) onChanged();
      return true;
    } catch (e) {
      setError(`Saving ${name}: ${errorMessage(e)}`);
      return false;
    }
  };

  const create = async () => {
    const name = newName.trim();
    if (!VIEW_NAME.test(name)) {
      setError(`New view "${name}": write it as <design>/<view> (letters, digits, _ . -), e.g. orders/byDate`);
      return;
    }
    if (views.includes(name)) {
      setError(`View ${name} already exists: pick it in the list`);
      return;
    }
    if (await save(NEW_VIEW, name)) {
      setNewName('');
      setView(name);
    }
  };

  const run = async () => {
    if (!view) return;
    setRunning(true);
    setError(null);
    try {
      // the view runs from its file: unsaved edits are saved first
      if (code !== saved && !(await save())) return;
      const r = await studio.api['fullsync.view.query']({
        project: dir,
        connector,
        view,
        reduce: hasReduce ? query.reduce : false,
        ...(hasReduce && query.reduce && query.group ? { group: true } : {}),
        key: query.key || undefined,
        startkey: query.startkey || undefined,
        endkey: query.endkey || undefined,
        limit: query.limit,
      });
      setResult(r);
    } catch (e) {
      setResult(null);
      setError(`Running ${view}: ${errorMessage(e)}`);
    } finally {
      setRunning(false);
    }
  };

  const field = (name: 'key' | 'startkey' | 'endkey', label: string) => (
    <label className="fs-field">
      {label}
      <input value={query[name]} placeholder='JSON, e.g. "a"' aria-label={`${label} (JSON)`} onChange={(e) => setQuery({ ...query, [name]: e.target.value })} onKeyDown={(e) => e.key === 'Enter' && void run()} />
    </label>
  );

  return (
    <div className="fs-views">
      <nav className="fs-viewlist" aria-label="View files">
        <ul>
          {views.map((v) => (
            <li key={v}>
              <button type="button" className={`fs-viewbutton${v === view ? ' selected' : ''}`} aria-current={v === view} onClick={() => setView(v)} title={`fullsync/${database}/${v}.js`}>
                {v}
              </button>
            </li>
          ))}
        </ul>
        {views.length === 0 ? <p className="dim">No view files yet.</p> : null}
        <div className="fs-newview">
          <input aria-label="New view name (design/view)" placeholder="design/view" value={newName} onChange={(e) => setNewName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void create()} />
          <button type="button" onClick={() => void create()}>
            <Icon name="plus" /> New view
          </button>
        </div>
      </nav>
      <div className="fs-view-main">
        {view ? (
          <>
            <div className="fs-editor-bar">
              <strong>{view}</strong>
              <span className="dim">fullsync/{database}/{view}.js</span>
              <span className="fs-spacer" />
              <button type="button" onClick={() => void save()} disabled={code === saved}>
                <Icon name="save" /> Save view
              </button>
            </div>
            <JsEditor value={code} onChange={setCode} sources={null} ariaLabel={`View ${view} JavaScript`} height={220} />
            <div className="fs-query" role="group" aria-label="View query">
              <label className="fs-check" title={hasReduce ? '' : 'the view file defines no reduce'}>
                <input type="checkbox" checked={hasReduce && query.reduce} disabled={!hasReduce} onChange={(e) => setQuery({ ...query, reduce: e.target.checked })} /> Reduce
              </label>
              <label className="fs-check">
                <input type="checkbox" checked={hasReduce && query.reduce && query.group} disabled={!hasReduce || !query.reduce} onChange={(e) => setQuery({ ...query, group: e.target.checked })} /> Group
              </label>
              {field('key', 'Key')}
              {field('startkey', 'Start key')}
              {field('endkey', 'End key')}
              <label className="fs-field fs-limit">
                Limit
                <input type="number" min={1} max={10000} value={query.limit} onChange={(e) => setQuery({ ...query, limit: Math.max(1, Number(e.target.value) || 1) })} />
              </label>
              <button type="button" className="primary" onClick={() => void run()} disabled={running}>
                <Icon name="play" /> {running ? 'Running…' : 'Run'}
              </button>
            </div>
          </>
        ) : (
          <p className="empty-state">Pick a view file, or create one: name it design/view and press New view.</p>
        )}
        {error ? (
          <p className="fs-error" role="alert">
            {error}
          </p>
        ) : null}
        {result ? (
          <div className="fs-rows">
            <p className="dim" aria-live="polite">
              {result.rows.length} row{result.rows.length === 1 ? '' : 's'}
              {result.reduced ? ' (reduced)' : result.total !== undefined ? ` of ${result.total}` : ''} · {Math.round(result.ms)} ms
            </p>
            <table className="grid-table" aria-label="View rows">
              <thead>
                <tr>
                  {result.reduced ? null : <th scope="col">id</th>}
                  <th scope="col">key</th>
                  <th scope="col">value</th>
                </tr>
              </thead>
              <tbody>
                {result.rows.map((r, i) => (
                  <tr key={i}>
                    {result.reduced ? null : <td>{r.id}</td>}
                    <td>
                      <code>{cell(r.key)}</code>
                    </td>
                    <td>
                      <code>{cell(r.value)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </div>
  );
}
