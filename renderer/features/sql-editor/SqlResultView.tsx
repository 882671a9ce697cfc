import { useEffect, useMemo, useRef, useState } from 'react';
import type { JSX, KeyboardEvent } from 'react';
import type { ResultTable, StudioApi } from '../../../src/contract/index.js';
import type { Json } from '../../../src/model/index.js';
import { CodeView } from '../../monaco/CodeView.js';
import type { PagedText } from '../run-panel/ResponseView.js';
import { resultMode, resultSummary, toGrid } from './grid-model.js';
import { ResultGrid } from './ResultGrid.js';
import './sql-editor.css';

export interface SqlResultViewProps {
  api: StudioApi;
  runId: string;
  ms: number;
  table: ResultTable;
  body: PagedText;
  /** the compact JSON of the output: the grid parses it (all of it, paging the rest from the engine) */
  raw: PagedText;
  onLoadMore(part: 'body' | 'raw'): void;
  loading: 'body' | 'raw' | null;
}

/** Whole-text pages asked at once while the grid reads a large result. */
const PAGE_CHARS = 4_000_000;

type Loaded = { status: 'loading'; chars: number; total: number } | { status: 'ready'; data: Json } | { status: 'failed'; message: string };

/** The complete output text: the preview, then the rest from run.page (progress through onProgress). */
async function wholeText(api: StudioApi, runId: string, raw: PagedText, onProgress: (chars: number) => void, cancelled: () => boolean): Promise<string | null> {
  let text = raw.text;
  let total = raw.totalChars;
  while (raw.truncated && text.length < total) {
    const page = await api['run.page']({ runId, part: 'raw', offset: text.length, length: PAGE_CHARS });
    if (cancelled()) return null;
    if (page.text.length === 0) break;
    text += page.text;
    total = page.totalChars;
    onProgress(text.length);
  }
  return text;
}

const TABS = [
  { id: 'grid', label: 'Grid' },
  { id: 'json', label: 'JSON' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/** A SQL execution's result: Grid (virtualized rows with column types) · JSON, with the row count and timing. */
export function SqlResultView({ api, runId, ms, table, body, raw, onLoadMore, loading }: SqlResultViewProps): JSX.Element {
  const [tab, setTab] = useState<Tab>('grid');
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading', chars: raw.text.length, total: raw.totalChars });
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    let stop = false;
    setLoaded({ status: 'loading', chars: raw.text.length, total: raw.totalChars });
    wholeText(api, runId, raw, (chars) => setLoaded({ status: 'loading', chars, total: raw.totalChars }), () => stop).then(
      (text) => {
        if (stop || text === null) return;
        try {
          setLoaded({ status: 'ready', data: JSON.parse(text) as Json });
        } catch (e) {
          setLoaded({ status: 'failed', message: `the result is not JSON: ${(e as Error).message}` });
        }
      },
      (e: unknown) => !stop && setLoaded({ status: 'failed', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      stop = true;
    };
    // keyed by run: a new run brings a new raw preview
  }, [api, runId]);

  const grid = useMemo(() => (loaded.status === 'ready' ? toGrid(loaded.data, table, resultMode(loaded.data, table)) : null), [loaded, table]);
  const summary = grid && loaded.status === 'ready' ? resultSummary(grid, table, resultMode(loaded.data, table), ms) : null;

  const onKeyDown = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const next = (i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length;
    setTab(TABS[next]!.id);
    tabRefs.current[next]?.focus();
  };

  return (
    <div className="rp-response-view">
      <div className="rp-tabs" role="tablist" aria-label="Result views" onKeyDown={onKeyDown}>
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`sql-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`sql-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className={`rp-tab${tab === t.id ? ' rp-tab-active' : ''}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
        <span className="sqlr-summary" role="status" aria-label="Result summary">
          {summary ?? ''}
        </span>
      </div>
      {tab === 'grid' && (
        <div className="rp-tabpanel" role="tabpanel" id="sql-panel-grid" aria-labelledby="sql-tab-grid">
          {loaded.status === 'loading' ? (
            <p className="rp-note" role="status">
              Reading rows… {loaded.total ? `${Math.floor((100 * loaded.chars) / loaded.total)}%` : ''}
            </p>
          ) : loaded.status === 'failed' ? (
            <p className="rp-page-error" role="alert">
              Could not read the rows: {loaded.message}. The JSON tab shows the result as text.
            </p>
          ) : grid ? (
            <ResultGrid grid={grid} />
          ) : null}
        </div>
      )}
      {tab === 'json' && (
        <div className="rp-tabpanel" role="tabpanel" id="sql-panel-json" aria-labelledby="sql-tab-json">
          {body.truncated ? (
            <div className="rp-truncated">
              Showing {body.text.length.toLocaleString('en-US')} of {body.totalChars.toLocaleString('en-US')} characters.{' '}
              <button type="button" className="rp-button" disabled={loading === 'body'} onClick={() => onLoadMore('body')}>
                {loading === 'body' ? 'Loading…' : 'Load more'}
              </button>
            </div>
          ) : null}
          <div className="rp-code">
            <CodeView value={body.text} language={body.language} readOnly ariaLabel="Response body" />
          </div>
        </div>
      )}
    </div>
  );
}
