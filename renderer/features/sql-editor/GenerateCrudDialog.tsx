import { useEffect, useState } from 'react';
import type { JSX } from 'react';
import type { DatabaseSchemaDto, DbTableDto, Result } from '../../../src/contract/index.js';
import { useStudio } from '../../state/context.js';
import { errorMessage } from '../../state/studio.js';
import { Modal } from '../shell/Modal.js';
import { createdRefs, crudCounts, tableArgument } from './crud-model.js';
import { schemaCache } from './schema-cache.js';
import './sql-editor.css';

type Generated = Result<'connector.generateCrud'>;

type Phase = { at: 'loading' } | { at: 'choose'; schema: DatabaseSchemaDto } | { at: 'running'; schema: DatabaseSchemaDto; started: number } | { at: 'done'; result: Generated } | { at: 'failed'; message: string; schema: DatabaseSchemaDto | null };

function TableRow({ table, checked, onToggle, disabled }: { table: DbTableDto; checked: boolean; onToggle(): void; disabled: boolean }): JSX.Element {
  const key = table.primaryKey.length ? `key ${table.primaryKey.join(', ')}` : 'no primary key: list only';
  return (
    <label>
      <input type="checkbox" checked={checked} onChange={onToggle} disabled={disabled} />
      <span>{tableArgument(table)}</span>
      <span className="gencrud-detail">
        {table.kind === 'view' ? 'view · ' : ''}
        {table.columns.length} columns · {key}
      </span>
    </label>
  );
}

/**
 * "Generate database services…" on a SQL connector: the tables from introspection with checkboxes (all
 * tables by default, views on request), progress while connector.generateCrud runs, then what was created,
 * skipped and warned about; the new sequences are selected in the Projects view.
 */
export function GenerateCrudDialog({ project, connector }: { project: string; connector: string }): JSX.Element {
  const studio = useStudio();
  const [phase, setPhase] = useState<Phase>({ at: 'loading' });
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let live = true;
    // fresh: the database may have changed since the editor read it
    schemaCache(studio.api)
      .refresh(project, connector)
      .then(
        (schema) => {
          if (!live) return;
          setChosen(new Set(schema.tables.map(tableArgument)));
          setPhase({ at: 'choose', schema });
        },
        (e: unknown) => live && setPhase({ at: 'failed', message: errorMessage(e), schema: null }),
      );
    return () => {
      live = false;
    };
  }, [studio, project, connector]);

  const running = phase.at === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(timer);
  }, [running]);

  const close = () => {
    if (!running) studio.closeDialog();
  };

  const generate = async () => {
    if (phase.at !== 'choose' && !(phase.at === 'failed' && phase.schema)) return;
    const schema = phase.at === 'choose' ? phase.schema : phase.schema!;
    if (chosen.size === 0) return;
    const started = Date.now();
    setNow(started);
    setPhase({ at: 'running', schema, started });
    try {
      const result = await studio.api['connector.generateCrud']({ project, connector, tables: [...chosen] });
      studio.applyState(result.state);
      setPhase({ at: 'done', result });
      const refs = createdRefs(result.created);
      const first = refs[0];
      if (first) studio.select(project, first, { reveal: true });
    } catch (e) {
      setPhase({ at: 'failed', message: errorMessage(e), schema });
    }
  };

  const toggle = (name: string) =>
    setChosen((s) => {
      const next = new Set(s);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });

  const schema = phase.at === 'choose' || phase.at === 'running' ? phase.schema : phase.at === 'failed' ? phase.schema : null;
  const all = schema ? [...schema.tables, ...schema.views] : [];
  const counts = phase.at === 'done' ? crudCounts(phase.result.created) : null;

  const footer =
    phase.at === 'done' ? (
      <button type="button" className="primary" onClick={close} data-autofocus>
        Close
      </button>
    ) : (
      <>
        <button type="button" onClick={close} disabled={running}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={() => void generate()} disabled={!schema || running || chosen.size === 0}>
          {running ? 'Generating…' : `Generate for ${chosen.size} ${chosen.size === 1 ? 'table' : 'tables'}`}
        </button>
      </>
    );

  return (
    <Modal title="Generate database services" subtitle={`connector ${connector}`} onCancel={close} onEnter={phase.at === 'choose' ? () => void generate() : undefined} footer={footer} className="gencrud">
      {phase.at === 'loading' ? <p role="status">Reading the database's tables…</p> : null}
      {phase.at === 'failed' ? (
        <p className="form-error" role="alert">
          {phase.message}
          {phase.schema ? '' : ' — check the connector in Properties (file or host, database, user), then try again.'}
        </p>
      ) : null}
      {schema && phase.at !== 'done' ? (
        <>
          <p>
            For each table: list (paging, sorting, filters), get by key, create, update and delete transactions, sequences that expose them, and REST routes (
            <code>GET /&lt;table&gt;</code>, <code>GET /&lt;table&gt;/{'{id}'}</code>, …).
          </p>
          <div className="gencrud-tools">
            <button type="button" className="link-button" disabled={running} onClick={() => setChosen(new Set(schema.tables.map(tableArgument)))}>
              All tables
            </button>{' '}
            ·{' '}
            <button type="button" className="link-button" disabled={running} onClick={() => setChosen(new Set())}>
              None
            </button>
          </div>
          <div className="gencrud-list" role="group" aria-label="Tables">
            {all.length === 0 ? <p className="dim">The database has no tables yet.</p> : null}
            {all.map((t) => (
              <TableRow key={tableArgument(t)} table={t} checked={chosen.has(tableArgument(t))} disabled={running} onToggle={() => toggle(tableArgument(t))} />
            ))}
          </div>
        </>
      ) : null}
      {phase.at === 'running' ? (
        <p role="status" aria-label="Progress">
          <span className="rp-spinner" aria-hidden="true" /> Generating services for {chosen.size} {chosen.size === 1 ? 'table' : 'tables'}… {((now - phase.started) / 1000).toFixed(1)} s
        </p>
      ) : null}
      {phase.at === 'done' && counts ? (
        <div className="gencrud-summary" role="status" aria-label="Summary">
          <p>
            <strong>Created</strong> {counts.transaction} transactions, {counts.sequence} sequences, {counts.route} routes. <strong>Skipped</strong> {phase.result.skipped.length} (they exist already).{' '}
            {phase.result.warnings.length ? <strong>{phase.result.warnings.length} warnings.</strong> : 'No warnings.'}
          </p>
          {phase.result.warnings.length ? (
            <ul aria-label="Warnings">
              {phase.result.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
          {phase.result.skipped.length ? (
            <details>
              <summary>Skipped ({phase.result.skipped.length})</summary>
              <ul>
                {phase.result.skipped.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            </details>
          ) : null}
          <p className="hint">The new objects are unsaved edits: Ctrl+S writes them, Ctrl+Z takes them back. Routes and schemas are written already.</p>
        </div>
      ) : null}
    </Modal>
  );
}
