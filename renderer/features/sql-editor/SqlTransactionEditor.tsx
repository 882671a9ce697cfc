import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { JSX } from 'react';
import type { DatabaseSchemaDto, ObjectRef } from '../../../src/contract/index.js';
import type { Connector, Transaction, Variable } from '../../../src/model/index.js';
import { Icon } from '../../icons/icons.js';
import { errorMessage } from '../../state/studio.js';
import type { Studio } from '../../state/studio.js';
import { findTransaction, projectOf } from '../../state/model.js';
import { registerFlusher } from '../editors/pending-edits.js';
import { SqlCodeEditor } from './SqlCodeEditor.js';
import { schemaCache } from './schema-cache.js';
import { useSqlRunError } from './sql-run-errors.js';
import { syncVariables } from './sql-variables.js';
import './sql-editor.css';

/** Edits go to the engine after this pause in typing (and at once before F5 and Ctrl+S). */
const EDIT_DELAY_MS = 400;

export interface SqlTransactionEditorProps {
  studio: Studio;
  dir: string;
  connector: Connector;
  tx: Transaction;
}

type SchemaState = { status: 'loading' } | { status: 'ready'; schema: DatabaseSchemaDto } | { status: 'failed'; message: string };

function driverLabel(connector: Connector): string {
  const c = connector.config as { driver?: unknown; file?: unknown; host?: unknown; database?: unknown };
  if (c.driver === 'sqlite') return `SQLite · ${typeof c.file === 'string' ? c.file : ''}`;
  if (c.driver === 'postgres') return `PostgreSQL${typeof c.database === 'string' ? ` · ${c.database}` : ''}`;
  return String(c.driver ?? 'SQL');
}

/** The database structure of a connector, for completion and the table count shown in the header. */
function useSchema(studio: Studio, dir: string, connector: string): { state: SchemaState; refresh(): void } {
  const cache = schemaCache(studio.api);
  const [failure, setFailure] = useState<string | null>(null);
  const schema = useSyncExternalStore(
    useCallback((l: () => void) => cache.subscribe(l), [cache]),
    () => cache.peek(dir, connector),
  );
  const load = useCallback(
    (fresh: boolean) => {
      setFailure(null);
      (fresh ? cache.refresh(dir, connector) : cache.get(dir, connector)).catch((e: unknown) => setFailure(errorMessage(e)));
    },
    [cache, dir, connector],
  );
  useEffect(() => load(false), [load]);
  const state: SchemaState = schema ? { status: 'ready', schema } : failure ? { status: 'failed', message: failure } : { status: 'loading' };
  return { state, refresh: () => load(true) };
}

/**
 * A SQL transaction in the editor area: its statement in Monaco with SQL highlighting and completion of
 * tables, columns and `{variables}`; `{name}` declares the variable. Edits go through object.update, so
 * undo, the unsaved marker and Ctrl+S work as for every other edit. F5 executes it.
 */
export function SqlTransactionEditor({ studio, dir, connector, tx }: SqlTransactionEditorProps): JSX.Element {
  const ref: ObjectRef = { type: 'transaction', connector: connector.name, transaction: tx.name };
  const target = `${connector.name}.${tx.name}`;
  const sql = typeof tx.sql === 'string' ? tx.sql : '';
  const variables = (tx.variables ?? []) as Variable[];
  const { state: schema, refresh } = useSchema(studio, dir, connector.name);
  const runError = useSqlRunError(dir, target);
  const [editError, setEditError] = useState<string | null>(null);
  const [recent, setRecent] = useState<readonly string[]>([]);

  const latest = useRef({ dir, connectorName: connector.name, txName: tx.name, variables, schema });
  latest.current = { dir, connectorName: connector.name, txName: tx.name, variables, schema };
  const pending = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef<Promise<void>>(Promise.resolve());
  /** variables this editor declared from placeholders (the only ones it may remove again) */
  const createdHere = useRef(new Set<string>());

  const send = useCallback((): Promise<void> => {
    clearTimeout(timer.current);
    const text = pending.current;
    if (text === null) return inFlight.current;
    pending.current = null;
    const run = inFlight.current.then(async () => {
      const { dir: project, connectorName, txName } = latest.current;
      const state = studio.state.projects[project];
      const current = state ? findTransaction(projectOf(state), connectorName, txName) : undefined;
      if (!current) return;
      if (!/\S/.test(text)) {
        setEditError('A SQL transaction needs a statement: the empty text is not saved.');
        return;
      }
      const sync = syncVariables(text, (current.variables ?? []) as Variable[], createdHere.current);
      if (current.sql === text && sync.created.length === 0 && sync.removed.length === 0) return;
      try {
        const next = await studio.api['object.update']({
          project,
          ref: { type: 'transaction', connector: connectorName, transaction: txName },
          value: { ...current, sql: text, variables: sync.variables },
        });
        for (const name of sync.created) createdHere.current.add(name);
        for (const name of sync.removed) createdHere.current.delete(name);
        if (sync.created.length) setRecent(sync.created);
        setEditError(null);
        studio.applyState(next);
      } catch (e) {
        setEditError(errorMessage(e));
      }
    });
    inFlight.current = run;
    return run;
  }, [studio]);

  useEffect(() => registerFlusher(send), [send]);
  // leaving the editor (another tab) sends what is pending
  useEffect(() => () => void send(), [send]);

  const onChange = useCallback(
    (text: string) => {
      pending.current = text;
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void send(), EDIT_DELAY_MS);
    },
    [send],
  );

  const context = useCallback(() => {
    const s = latest.current.schema;
    return { schema: s.status === 'ready' ? s.schema : null, variables: latest.current.variables.map((v) => ({ name: v.name, type: v.type })) };
  }, []);

  const tables = schema.status === 'ready' ? schema.schema.tables.length + schema.schema.views.length : 0;
  return (
    <div className="sqle">
      <header className="overview-header">
        <Icon name="transaction" className="kind-icon-transaction" />
        <h2>{tx.name}</h2>
        <span className="badge">SQL · {String(tx.result ?? 'rows')}</span>
        <span className="overview-actions">
          <button type="button" className="primary" onClick={() => studio.execute(dir, ref)} title="Execute (F5)">
            <Icon name="play" /> Execute
          </button>
          <button type="button" onClick={refresh} title="Read the tables and columns again (after changing the database)">
            Refresh tables
          </button>
        </span>
      </header>
      <div className="sqle-meta">
        <span>
          {connector.name}: {driverLabel(connector)}
        </span>
        {schema.status === 'loading' ? <span role="status">reading tables…</span> : null}
        {schema.status === 'ready' ? <span role="status">{tables} tables and views for completion (Ctrl+Space)</span> : null}
        {schema.status === 'failed' ? (
          <span className="sqle-schema-error" role="alert">
            No completion of tables: {schema.message}. Check the connector's settings in Properties, then Refresh tables.
          </span>
        ) : null}
      </div>
      <div className="sqle-code">
        <SqlCodeEditor value={sql} onChange={onChange} context={context} ariaLabel={`SQL of ${tx.name}`} error={runError} />
      </div>
      {editError ? (
        <p className="sqle-error" role="alert">
          {editError}
        </p>
      ) : null}
      <div className="sqle-vars" aria-label="Variables">
        <span className="dim">Variables:</span>
        {variables.length === 0 ? <span className="dim">none — write {'{name}'} in the statement to add one (bound as a parameter, never pasted into the SQL).</span> : null}
        {variables.map((v) => (
          <button
            key={v.name}
            type="button"
            className={`sqle-var link-button${recent.includes(v.name) ? ' sqle-var-new' : ''}`}
            title="Select the variable to edit its type, default and description in Properties"
            onClick={() => studio.select(dir, { type: 'variable', connector: connector.name, transaction: tx.name, variable: v.name }, { reveal: true })}
          >
            {v.name}: {v.type ?? 'string'}
          </button>
        ))}
      </div>
    </div>
  );
}
