import { useEffect, useRef, useState } from 'react';
import type { JSX, KeyboardEvent } from 'react';
import type { FullsyncDocRow } from '../../../src/contract/index.js';

const ROW_HEIGHT = 40;
const OVERSCAN = 6;

/**
 * The documents of a page as a virtualized list box: only the rows in sight are in the DOM, so a database of
 * many documents scrolls smoothly. Arrow keys move, Enter opens; scrolling near the end asks for the next page.
 */
export function DocList(props: { rows: readonly FullsyncDocRow[]; selected: string | null; more: boolean; loading: boolean; onOpen(id: string): void; onMore(): void }): JSX.Element {
  const { rows, selected, more, loading, onOpen, onMore } = props;
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (more && !loading && (scrollTop + height) / ROW_HEIGHT > rows.length - OVERSCAN) onMore();
  }, [scrollTop, height, rows.length, more, loading, onMore]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);

  const move = (index: number) => {
    const i = Math.max(0, Math.min(rows.length - 1, index));
    setActive(i);
    const el = box.current;
    if (!el) return;
    if (i * ROW_HEIGHT < el.scrollTop) el.scrollTop = i * ROW_HEIGHT;
    else if ((i + 1) * ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = (i + 1) * ROW_HEIGHT - el.clientHeight;
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const keys: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + page, PageUp: active - page, Home: 0, End: rows.length - 1 };
    if (e.key in keys) {
      e.preventDefault();
      move(keys[e.key]!);
    } else if (e.key === 'Enter' && rows[active]) {
      e.preventDefault();
      onOpen(rows[active].id);
    }
  };

  return (
    <div
      ref={box}
      className="fs-doclist"
      role="listbox"
      aria-label="Documents"
      tabIndex={0}
      aria-activedescendant={rows[active] ? `fs-doc-${active}` : undefined}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }}>
        {rows.slice(first, last).map((r, k) => {
          const i = first + k;
          return (
            <div
              key={r.id}
              id={`fs-doc-${i}`}
              role="option"
              aria-selected={r.id === selected}
              className={`fs-docrow${r.id === selected ? ' selected' : ''}${i === active ? ' active' : ''}`}
              style={{ top: i * ROW_HEIGHT, height: ROW_HEIGHT }}
              title={`${r.id} (rev ${r.rev})`}
              onClick={() => (setActive(i), onOpen(r.id))}
            >
              <span className="fs-docid">{r.id}</span>
              <span className="fs-docpreview">{r.preview}</span>
            </div>
          );
        })}
      </div>
      {loading ? <p className="fs-loading">Loading…</p> : null}
    </div>
  );
}
