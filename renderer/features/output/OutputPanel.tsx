import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { JSX } from 'react';
import type { LogEntry, StudioApi } from '../../../src/contract/index.js';
import { LogLevels } from './LogLevels.js';
import { appendCapped, categoriesOf, entryText, filterEntries, formatTime, isAtBottom, MAX_LINES, toLogEntry, visibleWindow } from './output-model.js';
import '../../styles/panels.css';

export interface OutputPanelProps {
  onEvent: (listener: (event: string, payload: unknown) => void) => () => void;
  /** for the log levels settings; without it the Levels button is not shown */
  api?: StudioApi;
}

/** Height of one line, in px: fixed so only the visible lines are drawn. */
const ROW_HEIGHT = 18;

const LEVEL_OPTIONS: { value: string; label: string }[] = [
  { value: 'trace', label: 'All levels' },
  { value: 'debug', label: 'Debug and above' },
  { value: 'info', label: 'Info and above' },
  { value: 'warn', label: 'Warnings and errors' },
  { value: 'error', label: 'Errors' },
];

/**
 * The engine's logs ('log.entry' events) as they come: the last 5,000 lines, filtered by level and
 * text, following the end unless the user scrolled up.
 */
export function OutputPanel({ onEvent, api }: OutputPanelProps): JSX.Element {
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const [level, setLevel] = useState('trace');
  const [category, setCategory] = useState('');
  const [levelsOpen, setLevelsOpen] = useState(false);
  const [text, setText] = useState('');
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(300);
  const [follow, setFollow] = useState(true);
  const scroller = useRef<HTMLDivElement | null>(null);

  // Events arrive in bursts: batch them into one render per frame.
  useEffect(() => {
    let pending: LogEntry[] = [];
    let scheduled: number | null = null;
    const flush = () => {
      scheduled = null;
      const batch = pending;
      pending = [];
      if (batch.length) setEntries((list) => appendCapped(list, batch, MAX_LINES));
    };
    const unsubscribe = onEvent((event, payload) => {
      if (event !== 'log.entry') return;
      const entry = toLogEntry(payload);
      if (!entry) return;
      pending.push(entry);
      if (pending.length > MAX_LINES) pending = pending.slice(pending.length - MAX_LINES);
      if (scheduled === null) scheduled = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(flush) : (setTimeout(flush, 16) as unknown as number);
    });
    return () => {
      unsubscribe();
      if (scheduled !== null && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(scheduled);
    };
  }, [onEvent]);

  const shown = useMemo(() => filterEntries(entries, level, text, category), [entries, level, text, category]);
  const categories = useMemo(() => categoriesOf(entries), [entries]);

  // Track the viewport's height.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const update = () => setViewport(el.clientHeight || 300);
    update();
    if (typeof ResizeObserver === 'function') {
      const observer = new ResizeObserver(update);
      observer.observe(el);
      return () => observer.disconnect();
    }
    return undefined;
  }, []);

  // Follow the end while the user has not scrolled up.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !follow) return;
    el.scrollTop = el.scrollHeight;
    setScrollTop(el.scrollTop);
  }, [shown, follow, viewport]);

  const { start, end } = visibleWindow(scrollTop, viewport, ROW_HEIGHT, shown.length);
  const rows = shown.slice(start, end);

  return (
    <div className="op">
      <div className="op-toolbar">
        <select className="op-select" aria-label="Log level" value={level} onChange={(e) => setLevel(e.target.value)}>
          {LEVEL_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <select className="op-select" aria-label="Log category" value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">All categories</option>
          {[...new Set([...categories, ...(category ? [category] : [])])].map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <input className="op-filter" type="search" aria-label="Filter output" placeholder="Search" value={text} onChange={(e) => setText(e.target.value)} />
        <button
          type="button"
          className="op-button"
          onClick={() => {
            setEntries([]);
            setFollow(true);
          }}
        >
          Clear
        </button>
        <span className="op-count" aria-live="off">
          {shown.length === entries.length
            ? `${entries.length.toLocaleString('en-US')} line${entries.length === 1 ? '' : 's'}`
            : `${shown.length.toLocaleString('en-US')} of ${entries.length.toLocaleString('en-US')} lines`}
        </span>
        {!follow && (
          <button type="button" className="op-button" onClick={() => setFollow(true)}>
            ↓ Follow
          </button>
        )}
        {api && (
          <button type="button" className="op-button" aria-expanded={levelsOpen} onClick={() => setLevelsOpen((o) => !o)} title="Log levels per category, in the studio or on a running runtime">
            Levels…
          </button>
        )}
      </div>
      {api && levelsOpen && <LogLevels api={api} onClose={() => setLevelsOpen(false)} />}
      <div
        ref={scroller}
        className="op-lines"
        role="log"
        aria-label="Output"
        aria-live="off"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          setFollow(isAtBottom(el.scrollTop, el.clientHeight, el.scrollHeight, ROW_HEIGHT));
        }}
      >
        {shown.length === 0 ? (
          <div className="op-empty">{entries.length === 0 ? 'The engine’s logs appear here as projects open and transactions run.' : 'No line matches the filter.'}</div>
        ) : (
          <div className="op-spacer" style={{ height: shown.length * ROW_HEIGHT }}>
            {rows.map((e, i) => (
              <div key={start + i} className={`op-line op-${e.level}`} style={{ top: (start + i) * ROW_HEIGHT, height: ROW_HEIGHT }} title={entryText(e)}>
                <span className="op-time">{formatTime(e.time)}</span>
                <span className="op-level">{e.level.toUpperCase()}</span>
                {e.category && <span className="op-category">{e.category}</span>}
                <span className="op-message">{e.message}</span>
              </div>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
