import type { ResultTable } from '../../../src/contract/index.js';
import type { Json } from '../../../src/model/index.js';

/**
 * The result grid's model (pure): a SQL result as columns and rows of cells, which rows a scroll position
 * shows, and how a cell reads (NULL apart from the text "NULL", long values cut with the full value kept).
 */

export type ResultMode = 'rows' | 'row' | 'scalar' | 'count';

export interface GridColumn {
  name: string;
  /** the database's type name; empty when the database did not say */
  type: string;
  numeric: boolean;
  /** px */
  width: number;
}

export interface Grid {
  columns: GridColumn[];
  rows: Json[][];
}

/** A cell longer than this shows cut, with an ellipsis; hover or select it for the whole value. */
export const MAX_CELL_CHARS = 120;
export const ROW_HEIGHT = 24;
export const OVERSCAN = 10;

const NUMERIC_TYPE = /int|real|float|double|numeric|decimal|number|serial|money/i;

export function isNumericType(type: string): boolean {
  return NUMERIC_TYPE.test(type);
}

function isRecord(v: Json | undefined): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The columns as the database gave them, plus keys of the first rows it did not name (in order of appearance). */
function columnNames(table: ResultTable | undefined, rows: readonly Record<string, Json>[]): Array<{ name: string; type: string }> {
  const columns = [...(table?.columns ?? [])];
  const known = new Set(columns.map((c) => c.name));
  for (const row of rows.slice(0, 50)) {
    for (const key of Object.keys(row)) {
      if (known.has(key)) continue;
      known.add(key);
      columns.push({ name: key, type: '' });
    }
  }
  return columns;
}

/** Builds the grid of a SQL result: `data` is the transaction's output for its result mode. */
export function toGrid(data: Json, table: ResultTable | undefined, mode: ResultMode): Grid {
  let named: Array<{ name: string; type: string }>;
  let rows: Json[][];
  if (mode === 'count') {
    const affected = isRecord(data) ? (data.affected ?? null) : data;
    named = [{ name: 'affected', type: 'integer' }];
    rows = [[affected]];
  } else if (mode === 'scalar') {
    named = [table?.columns[0] ?? { name: 'value', type: '' }];
    rows = [[data]];
  } else {
    const objects = (mode === 'row' ? (data === null ? [] : [data]) : Array.isArray(data) ? data : [data]).map((r) => (isRecord(r) ? r : { value: r }));
    named = columnNames(table, objects);
    rows = objects.map((o) => named.map((c) => (c.name in o ? o[c.name]! : null)));
  }
  return { columns: layoutColumns(named, rows), rows };
}

/** Widths from the header, the type and a sample of the cells, within sensible bounds. */
export function layoutColumns(named: ReadonlyArray<{ name: string; type: string }>, rows: readonly Json[][], charPx = 7.2): GridColumn[] {
  const sample = rows.length > 200 ? rows.slice(0, 200) : rows;
  return named.map((c, i) => {
    // the header shows the name and, in smaller type, the type beside it
    let chars = c.name.length + Math.ceil(c.type.length * 0.8) + 1;
    let numeric = isNumericType(c.type);
    for (const row of sample) {
      const v = row[i];
      if (typeof v === 'number' && c.type === '') numeric = true;
      chars = Math.max(chars, Math.min(cellText(v).text.length, 40));
    }
    return { name: c.name, type: c.type, numeric, width: Math.round(Math.min(Math.max(chars, 6), 44) * charPx + 20) };
  });
}

export interface CellText {
  /** what the cell shows: cut, one line */
  text: string;
  kind: 'null' | 'text' | 'number' | 'boolean' | 'json' | 'empty';
  /** the cell shows less than the value */
  truncated: boolean;
}

/** The whole value as text, for copying and the tooltip. */
export function fullText(value: Json | undefined): string {
  if (value === undefined) return '';
  if (value === null) return 'NULL';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function cellText(value: Json | undefined, max = MAX_CELL_CHARS): CellText {
  if (value === undefined) return { text: '', kind: 'empty', truncated: false };
  if (value === null) return { text: 'NULL', kind: 'null', truncated: false };
  const kind: CellText['kind'] = typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : typeof value === 'string' ? 'text' : 'json';
  const full = fullText(value);
  const oneLine = full.replace(/\r?\n/g, '⏎');
  if (oneLine.length <= max) return { text: oneLine, kind, truncated: oneLine !== full };
  return { text: `${oneLine.slice(0, max - 1)}…`, kind, truncated: true };
}

export interface RowRange {
  /** first row to render */
  first: number;
  /** one past the last row to render */
  last: number;
}

/** The rows a viewport shows at a scroll position, plus `overscan` on each side (render only these). */
export function visibleRows(scrollTop: number, viewportHeight: number, rowCount: number, rowHeight = ROW_HEIGHT, overscan = OVERSCAN): RowRange {
  if (rowCount <= 0) return { first: 0, last: 0 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight));
  const shown = Math.ceil(Math.max(viewportHeight, 0) / rowHeight) + 1;
  const first = Math.max(0, Math.min(top, rowCount - 1) - overscan);
  const last = Math.min(rowCount, top + shown + overscan);
  return { first, last };
}

/** The scrollTop that brings a row into view, or null when it is visible already. */
export function scrollToRow(row: number, scrollTop: number, viewportHeight: number, rowHeight = ROW_HEIGHT): number | null {
  const top = row * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight;
  return null;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** The line above the grid: how many rows, how long the statement took, whether the row limit cut it. */
export function resultSummary(grid: Grid, table: ResultTable | undefined, mode: ResultMode, ms: number): string {
  const time = ms < 1 ? '< 1 ms' : ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
  let what: string;
  if (mode === 'count') what = `${plural(Number(grid.rows[0]?.[0] ?? table?.rows ?? 0), 'row')} affected`;
  else if (mode === 'scalar') what = '1 value';
  else what = plural(grid.rows.length, 'row');
  const cut = table?.truncated ? ' (cut at the row limit)' : '';
  return `${what}${cut} · ${time}`;
}

/** Moves a cell selection with the arrow, Home/End and Page keys; null when the key is not one of them. */
export function moveSelection(cell: { row: number; col: number }, key: string, rows: number, cols: number, page: number, ctrl = false): { row: number; col: number } | null {
  const clamp = (row: number, col: number) => ({ row: Math.max(0, Math.min(rows - 1, row)), col: Math.max(0, Math.min(cols - 1, col)) });
  switch (key) {
    case 'ArrowDown':
      return clamp(cell.row + 1, cell.col);
    case 'ArrowUp':
      return clamp(cell.row - 1, cell.col);
    case 'ArrowRight':
      return clamp(cell.row, cell.col + 1);
    case 'ArrowLeft':
      return clamp(cell.row, cell.col - 1);
    case 'PageDown':
      return clamp(cell.row + page, cell.col);
    case 'PageUp':
      return clamp(cell.row - page, cell.col);
    case 'Home':
      return ctrl ? clamp(0, 0) : clamp(cell.row, 0);
    case 'End':
      return ctrl ? clamp(rows - 1, cols - 1) : clamp(cell.row, cols - 1);
    default:
      return null;
  }
}

/**
 * The result mode of a SQL output, read from its shape: an array is rows; `{ affected }` that is not a column
 * of the result is a count; an object (or null) is a row; anything else is a scalar.
 */
export function resultMode(data: Json, table: ResultTable | undefined): ResultMode {
  if (Array.isArray(data)) return 'rows';
  if (isRecord(data)) {
    const keys = Object.keys(data);
    if (keys.length === 1 && keys[0] === 'affected' && !table?.columns.some((c) => c.name === 'affected')) return 'count';
    return 'row';
  }
  if (data === null) return table && table.columns.length > 1 ? 'row' : 'scalar';
  return 'scalar';
}
