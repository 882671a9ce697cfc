import { useRef, useState } from 'react';
import type { JSX, KeyboardEvent } from 'react';
import { CodeView } from '../../monaco/CodeView.js';

export type ResponseTab = 'body' | 'headers' | 'raw';

export interface PagedText {
  text: string;
  totalChars: number;
  /** more text is in the engine (run.page) */
  truncated: boolean;
  language: 'json' | 'xml' | 'text';
}

export interface ResponseViewProps {
  body: PagedText;
  raw: PagedText;
  headers: Record<string, string>;
  onLoadMore(part: 'body' | 'raw'): void;
  loading: 'body' | 'raw' | null;
}

const TABS: { id: ResponseTab; label: string }[] = [
  { id: 'body', label: 'Body' },
  { id: 'headers', label: 'Headers' },
  { id: 'raw', label: 'Raw' },
];

/** Body · Headers · Raw of a successful execution. */
export function ResponseView({ body, raw, headers, onLoadMore, loading }: ResponseViewProps): JSX.Element {
  const [tab, setTab] = useState<ResponseTab>('body');
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const headerEntries = Object.entries(headers);

  const onKeyDown = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (i + TABS.length - 1) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next >= 0) {
      e.preventDefault();
      setTab(TABS[next]!.id);
      tabRefs.current[next]?.focus();
    }
  };

  return (
    <div className="rp-response-view">
      <div className="rp-tabs" role="tablist" aria-label="Response views" onKeyDown={onKeyDown}>
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`rp-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`rp-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className={`rp-tab${tab === t.id ? ' rp-tab-active' : ''}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            {t.id === 'headers' && headerEntries.length > 0 && <span className="rp-count">{headerEntries.length}</span>}
          </button>
        ))}
      </div>
      {tab === 'body' && (
        <div className="rp-tabpanel" role="tabpanel" id="rp-panel-body" aria-labelledby="rp-tab-body">
          <Truncation part="body" paged={body} onLoadMore={onLoadMore} loading={loading === 'body'} />
          <div className="rp-code">
            <CodeView value={body.text} language={body.language} readOnly ariaLabel="Response body" />
          </div>
        </div>
      )}
      {tab === 'headers' && (
        <div className="rp-tabpanel rp-scroll" role="tabpanel" id="rp-panel-headers" aria-labelledby="rp-tab-headers">
          {headerEntries.length === 0 ? (
            <p className="rp-note">No headers.</p>
          ) : (
            <table className="rp-headers">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {headerEntries.map(([name, value]) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td>{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {tab === 'raw' && (
        <div className="rp-tabpanel" role="tabpanel" id="rp-panel-raw" aria-labelledby="rp-tab-raw">
          <Truncation part="raw" paged={raw} onLoadMore={onLoadMore} loading={loading === 'raw'} />
          <pre className="rp-raw" tabIndex={0} aria-label="Raw response">
            {raw.text}
          </pre>
        </div>
      )}
    </div>
  );
}

function Truncation({ part, paged, onLoadMore, loading }: { part: 'body' | 'raw'; paged: PagedText; onLoadMore(part: 'body' | 'raw'): void; loading: boolean }): JSX.Element | null {
  if (!paged.truncated) return null;
  return (
    <div className="rp-truncated">
      Showing {paged.text.length.toLocaleString('en-US')} of {paged.totalChars.toLocaleString('en-US')} characters.{' '}
      <button type="button" className="rp-button" disabled={loading} onClick={() => onLoadMore(part)}>
        {loading ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}
