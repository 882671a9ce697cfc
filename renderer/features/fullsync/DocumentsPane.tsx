import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { JSX } from 'react';
import type { FullsyncDocRow } from '../../../src/contract/index.js';
import { Icon } from '../../icons/icons.js';
import { errorMessage, type Studio } from '../../state/studio.js';
import { ConfirmDialog } from '../shell/Modal.js';
import { DocList } from './DocList.js';
import { JsonEditor } from './JsonEditor.js';
import { checkDocumentText, describeCheck } from './json-check.js';

const PAGE = 100;
const NEW_DOCUMENT = '{\n  "_id": "",\n  "type": ""\n}\n';

interface Editing {
  /** null: a new document not saved yet */
  id: string | null;
  rev: string | null;
  text: string;
  saved: string;
}

/** Documents of one database: search by id prefix, a paged virtualized list, and the JSON editor. */
export function DocumentsPane(props: { studio: Studio; dir: string; connector: string; onChanged(): void }): JSX.Element {
  const { studio, dir, connector, onChanged } = props;
  const [prefix, setPrefix] = useState('');
  const [rows, setRows] = useState<FullsyncDocRow[]>([]);
  const [more, setMore] = useState(false);
  const [total, setTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [listError, setListError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [editError, setEditError] = useState<{ text: string; conflict: boolean } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const request = useRef(0);
  const editorBox = useRef<HTMLDivElement>(null);
  const saveRef = useRef<() => void>(() => undefined);

  const load = useCallback(
    async (skip: number) => {
      const id = ++request.current;
      setLoading(true);
      try {
        const page = await studio.api['fullsync.docs']({ project: dir, connector, startkey: prefix || undefined, limit: PAGE, skip });
        if (id !== request.current) return;
        setRows((old) => (skip === 0 ? page.rows : [...old, ...page.rows]));
        setMore(page.more);
        setTotal(page.total);
        setListError(null);
      } catch (e) {
        if (id === request.current) setListError(`Documents of ${connector}: ${errorMessage(e)}`);
      } finally {
        if (id === request.current) setLoading(false);
      }
    },
    [studio, dir, connector, prefix],
  );

  useEffect(() => {
    const t = setTimeout(() => void load(0), 150);
    return () => clearTimeout(t);
  }, [load]);

  const onMore = useCallback(() => void load(rows.length), [load, rows.length]);

  const open = async (id: string) => {
    try {
      const doc = await studio.api['fullsync.doc.get']({ project: dir, connector, id });
      setEditing({ id: doc.id, rev: doc.rev, text: doc.json, saved: doc.json });
      setEditError(null);
    } catch (e) {
      setEditError({ text: `Opening ${id}: ${errorMessage(e)}`, conflict: false });
    }
  };

  const check = useMemo(() => (editing ? checkDocumentText(editing.text) : null), [editing]);
  const dirty = !!editing && editing.text !== editing.saved;

  const save = async () => {
    if (!editing || !check?.ok || busy) return;
    setBusy(true);
    try {
      const doc = await studio.api['fullsync.doc.put']({ project: dir, connector, json: editing.text });
      setEditing({ id: doc.id, rev: doc.rev, text: doc.json, saved: doc.json });
      setEditError(null);
      await load(0);
      onChanged();
    } catch (e) {
      const conflict = (e as { code?: string }).code === 'CONFLICT';
      setEditError({ text: `Save: ${errorMessage(e)}`, conflict });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setConfirming(false);
    if (!editing?.id || !editing.rev) return;
    try {
      await studio.api['fullsync.doc.delete']({ project: dir, connector, id: editing.id, rev: editing.rev });
      setEditing(null);
      setEditError(null);
      await load(0);
      onChanged();
    } catch (e) {
      setEditError({ text: `Delete: ${errorMessage(e)}`, conflict: (e as { code?: string }).code === 'CONFLICT' });
    }
  };

  saveRef.current = () => void save();
  // Ctrl+S in the document editor saves the document; the studio's own Ctrl+S (project files) runs too, harmlessly
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's' && editorBox.current?.contains(document.activeElement)) saveRef.current();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const problem = check && !check.ok ? describeCheck(check) : '';
  const marker = check && !check.ok && check.line !== undefined ? { line: check.line, col: check.col!, message: check.message } : null;

  return (
    <div className="fs-docs">
      <div className="fs-doclist-pane">
        <div className="fs-search">
          <input type="search" aria-label="Search documents by id prefix" placeholder="Id starts with…" value={prefix} onChange={(e) => setPrefix(e.target.value)} />
          <button type="button" onClick={() => (setEditing({ id: null, rev: null, text: NEW_DOCUMENT, saved: '' }), setEditError(null))} title="A new document: write its JSON, then Save">
            <Icon name="plus" /> New document
          </button>
        </div>
        <p className="fs-count dim" aria-live="polite">
          {total === null ? '' : `${rows.length}${more ? '+' : ''} shown${prefix ? ` starting with "${prefix}"` : ''} · ${total} in the database`}
        </p>
        {listError ? (
          <p className="fs-error" role="alert">
            {listError}
          </p>
        ) : null}
        <DocList rows={rows} selected={editing?.id ?? null} more={more} loading={loading} onOpen={(id) => void open(id)} onMore={onMore} />
      </div>
      <div className="fs-doc-editor" aria-label="Document editor" role="region" ref={editorBox}>
        {editing ? (
          <>
            <div className="fs-editor-bar">
              <strong className="fs-editor-title">{editing.id ?? 'New document'}</strong>
              {editing.rev ? (
                <span className="dim fs-rev" title={`revision ${editing.rev}`}>
                  rev {editing.rev.length > 14 ? `${editing.rev.slice(0, 12)}…` : editing.rev}
                </span>
              ) : (
                <span className="dim fs-rev">without _id the store picks one</span>
              )}
              <span className="fs-spacer" />
              <button type="button" className="primary" onClick={() => void save()} disabled={!check?.ok || busy || (!dirty && editing.id !== null)} title={problem ? `Fix the JSON first: ${problem}` : 'Save (Ctrl+S): writes with the current _rev'}>
                <Icon name="save" /> Save
              </button>
              {editing.id ? (
                <button type="button" onClick={() => void open(editing.id!)} title="Read the stored document again (drops your edits)">
                  Reload
                </button>
              ) : null}
              {editing.id ? (
                <button type="button" className="danger" onClick={() => setConfirming(true)}>
                  <Icon name="trash" /> Delete
                </button>
              ) : null}
            </div>
            {problem ? (
              <p className="fs-error" role="alert" aria-label="JSON error">
                Invalid JSON, Save is disabled: {problem}
              </p>
            ) : null}
            {editError ? (
              <p className="fs-error" role="alert">
                {editError.text}{' '}
                {editError.conflict && editing.id ? (
                  <button type="button" className="link-button" onClick={() => void open(editing.id!)}>
                    Reload the document
                  </button>
                ) : null}
              </p>
            ) : null}
            <JsonEditor value={editing.text} onChange={(text) => setEditing((e) => (e ? { ...e, text } : e))} ariaLabel={`Document ${editing.id ?? 'new'} JSON`} error={marker} />
          </>
        ) : (
          <div className="empty-state">
            <p>Select a document (arrows and Enter in the list), or create one with New document.</p>
            {editError ? (
              <p className="fs-error" role="alert">
                {editError.text}
              </p>
            ) : null}
          </div>
        )}
      </div>
      {confirming && editing?.id ? (
        <ConfirmDialog title="Delete document" message={`Delete document "${editing.id}" (rev ${editing.rev ?? ''}) from ${connector}? Replicating devices delete it too.`} confirmLabel="Delete" danger onConfirm={() => void remove()} onCancel={() => setConfirming(false)} />
      ) : null}
    </div>
  );
}
