import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { JSX, KeyboardEvent } from 'react';
import type { Grid } from './grid-model.js';
import { ROW_HEIGHT, cellText, fullText, moveSelection, scrollToRow, visibleRows } from './grid-model.js';

const GUTTER = 56;

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // clipboard API refused (no permission, insecure context): the old way
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

/**
 * A SQL result as a virtualized grid: only the rows in view (plus a few) exist in the DOM, so thousands of
 * rows scroll smoothly. Headers show each column's type; NULL reads apart from text; a long cell is cut and
 * shows whole on hover and in the footer when selected. Arrows move the selection, Ctrl+C copies the cell.
 */
export function ResultGrid({ grid }: { grid: Grid }): JSX.Element {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(400);
  const [selected, setSelected] = useState<{ row: number; col: number } | null>(null);
  const [copied, setCopied] = useState(false);
  const frame = useRef(0);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight - ROW_HEIGHT);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  // a new result starts at the top with nothing selected
  useEffect(() => {
    setSelected(null);
    setScrollTop(0);
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [grid]);

  const { columns, rows } = grid;
  const totalWidth = useMemo(() => GUTTER + columns.reduce((w, c) => w + c.width, 0), [columns]);
  const { first, last } = visibleRows(scrollTop, viewport, rows.length);

  const onScroll = () => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setScrollTop(scrollRef.current?.scrollTop ?? 0));
  };

  const select = (cell: { row: number; col: number }) => {
    setSelected(cell);
    setCopied(false);
    const el = scrollRef.current;
    if (!el) return;
    const top = scrollToRow(cell.row, el.scrollTop, viewport);
    if (top !== null) el.scrollTop = top;
  };

  const selectedValue = selected ? rows[selected.row]?.[selected.col] : undefined;
  const copySelected = () => {
    if (!selected) return;
    void copyText(fullText(selectedValue)).then(() => setCopied(true));
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
      if (selected) {
        e.preventDefault();
        copySelected();
      }
      return;
    }
    if (rows.length === 0 || columns.length === 0) return;
    const next = moveSelection(selected ?? { row: -1, col: 0 }, e.key, rows.length, columns.length, Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1), e.ctrlKey || e.metaKey);
    if (next) {
      e.preventDefault();
      select(selected ? next : { row: 0, col: 0 });
    }
  };

  const rendered: JSX.Element[] = [];
  for (let r = first; r < last; r++) {
    const row = rows[r]!;
    rendered.push(
      <div key={r} role="row" aria-rowindex={r + 2} className={`sqlg-row${r % 2 ? ' sqlg-odd' : ''}`} style={{ top: (r + 1) * ROW_HEIGHT, width: totalWidth }}>
        <div role="rowheader" className="sqlg-gutter" style={{ width: GUTTER }}>
          {r + 1}
        </div>
        {columns.map((c, ci) => {
          const cell = cellText(row[ci]);
          const isSelected = selected?.row === r && selected.col === ci;
          return (
            <div
              key={ci}
              role="gridcell"
              aria-colindex={ci + 1}
              aria-selected={isSelected || undefined}
              className={`sqlg-cell sqlg-${cell.kind}${c.numeric ? ' sqlg-num' : ''}${isSelected ? ' sqlg-selected' : ''}`}
              style={{ width: c.width }}
              title={cell.truncated ? fullText(row[ci]) : undefined}
              onMouseDown={() => select({ row: r, col: ci })}
            >
              {cell.text}
            </div>
          );
        })}
      </div>,
    );
  }

  const selectedColumn = selected ? columns[selected.col] : undefined;
  return (
    <div className="sqlg">
      <div
        ref={scrollRef}
        className="sqlg-scroll"
        role="grid"
        aria-label="Result rows"
        aria-rowcount={rows.length + 1}
        aria-colcount={columns.length}
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        <div className="sqlg-canvas" style={{ height: (rows.length + 1) * ROW_HEIGHT, width: totalWidth }}>
          <div role="row" aria-rowindex={1} className="sqlg-header" style={{ width: totalWidth }}>
            <div role="columnheader" className="sqlg-gutter" style={{ width: GUTTER }}>
              #
            </div>
            {columns.map((c, ci) => (
              <div key={ci} role="columnheader" aria-colindex={ci + 1} className={`sqlg-head${c.numeric ? ' sqlg-num' : ''}`} style={{ width: c.width }} title={`${c.name} ${c.type || '(type not given)'}`}>
                <span className="sqlg-name">{c.name}</span>
                <span className="sqlg-type">{c.type || '—'}</span>
              </div>
            ))}
          </div>
          {rendered}
        </div>
        {rows.length === 0 ? <p className="sqlg-empty">No rows.</p> : null}
      </div>
      <div className="sqlg-footer" aria-live="polite">
        {selected && selectedColumn ? (
          <>
            <span className="sqlg-where">
              row {selected.row + 1} · {selectedColumn.name}
            </span>
            <output className={`sqlg-value${selectedValue === null ? ' sqlg-null' : ''}`} aria-label="Selected cell value">
              {fullText(selectedValue)}
            </output>
            <button type="button" className="rp-button" onClick={copySelected} title="Copy the cell's value (Ctrl+C)">
              {copied ? 'Copied' : 'Copy'}
            </button>
          </>
        ) : (
          <span className="rp-muted">Click a cell (or focus the grid and use the arrows) to see its whole value; Ctrl+C copies it.</span>
        )}
      </div>
    </div>
  );
}
