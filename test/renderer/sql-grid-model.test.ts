import { describe, expect, it } from 'vitest';
import { cellText, fullText, isNumericType, moveSelection, resultSummary, scrollToRow, toGrid, visibleRows } from '../../renderer/features/sql-editor/grid-model.js';

const TABLE = { columns: [{ name: 'id', type: 'INTEGER' }, { name: 'name', type: 'TEXT' }, { name: 'price', type: 'NUMERIC(10,2)' }], rows: 2, truncated: false };

describe('grid model', () => {
  it('builds rows from objects in the column order the database gave, keeping NULL apart from missing', () => {
    const grid = toGrid([{ name: 'a', id: 1, price: '1.50' }, { id: 2, name: null, price: '2.00', extra: true }], TABLE, 'rows');
    expect(grid.columns.map((c) => `${c.name}:${c.type}:${c.numeric}`)).toEqual(['id:INTEGER:true', 'name:TEXT:false', 'price:NUMERIC(10,2):true', 'extra::false']);
    expect(grid.rows).toEqual([
      [1, 'a', '1.50', null],
      [2, null, '2.00', true],
    ]);
  });

  it('shows row, scalar and count results as small grids', () => {
    expect(toGrid({ id: 7, name: 'x', price: null }, TABLE, 'row').rows).toEqual([[7, 'x', null]]);
    expect(toGrid(null, TABLE, 'row').rows).toEqual([]);
    const scalar = toGrid(42, { columns: [{ name: 'n', type: 'INTEGER' }], rows: 1, truncated: false }, 'scalar');
    expect(scalar.columns.map((c) => c.name)).toEqual(['n']);
    expect(scalar.rows).toEqual([[42]]);
    const count = toGrid({ affected: 3 }, { columns: [], rows: 3, truncated: false }, 'count');
    expect(count.columns.map((c) => c.name)).toEqual(['affected']);
    expect(count.rows).toEqual([[3]]);
  });

  it('sizes columns from header, type and cells, within bounds', () => {
    const grid = toGrid([{ id: 1, name: 'x'.repeat(500), price: '1' }], TABLE, 'rows');
    const [id, name] = grid.columns;
    expect(id!.width).toBeGreaterThan(50);
    expect(name!.width).toBeLessThanOrEqual(Math.round(44 * 7.2 + 20));
    expect(name!.width).toBeGreaterThan(id!.width);
  });

  it('renders NULL distinctly and cuts long values, keeping the full text', () => {
    expect(cellText(null)).toEqual({ text: 'NULL', kind: 'null', truncated: false });
    expect(cellText('NULL')).toEqual({ text: 'NULL', kind: 'text', truncated: false });
    const long = cellText('y'.repeat(300));
    expect(long.truncated).toBe(true);
    expect(long.text.length).toBe(120);
    expect(long.text.endsWith('…')).toBe(true);
    expect(cellText('a\nb')).toEqual({ text: 'a⏎b', kind: 'text', truncated: true });
    expect(cellText({ a: 1 })).toEqual({ text: '{"a":1}', kind: 'json', truncated: false });
    expect(fullText('y'.repeat(300))).toHaveLength(300);
    expect(fullText(null)).toBe('NULL');
    expect(fullText(false)).toBe('false');
  });

  it('renders only the rows in view plus overscan', () => {
    expect(visibleRows(0, 240, 5000, 24, 10)).toEqual({ first: 0, last: 21 });
    expect(visibleRows(24 * 2500, 240, 5000, 24, 10)).toEqual({ first: 2490, last: 2521 });
    expect(visibleRows(24 * 5000, 240, 5000, 24, 10)).toEqual({ first: 4989, last: 5000 });
    expect(visibleRows(0, 240, 0)).toEqual({ first: 0, last: 0 });
    const { first, last } = visibleRows(123_456, 600, 1_000_000, 24, 10);
    expect(last - first).toBeLessThanOrEqual(600 / 24 + 1 + 20);
  });

  it('scrolls a selected row into view', () => {
    expect(scrollToRow(0, 0, 240)).toBeNull();
    expect(scrollToRow(20, 0, 240)).toBe(21 * 24 - 240);
    expect(scrollToRow(3, 200, 240)).toBe(72);
  });

  it('moves the cell selection with the keys, within the grid', () => {
    const c = { row: 5, col: 1 };
    expect(moveSelection(c, 'ArrowDown', 10, 3, 4)).toEqual({ row: 6, col: 1 });
    expect(moveSelection(c, 'ArrowRight', 10, 3, 4)).toEqual({ row: 5, col: 2 });
    expect(moveSelection({ row: 5, col: 2 }, 'ArrowRight', 10, 3, 4)).toEqual({ row: 5, col: 2 });
    expect(moveSelection(c, 'PageDown', 10, 3, 4)).toEqual({ row: 9, col: 1 });
    expect(moveSelection(c, 'End', 10, 3, 4, true)).toEqual({ row: 9, col: 2 });
    expect(moveSelection(c, 'Home', 10, 3, 4)).toEqual({ row: 5, col: 0 });
    expect(moveSelection(c, 'x', 10, 3, 4)).toBeNull();
  });

  it('summarizes rows, limit and timing', () => {
    const grid = toGrid([{ id: 1 }, { id: 2 }], TABLE, 'rows');
    expect(resultSummary(grid, TABLE, 'rows', 12.4)).toBe('2 rows · 12 ms');
    expect(resultSummary(grid, { ...TABLE, truncated: true }, 'rows', 0.2)).toBe('2 rows (cut at the row limit) · < 1 ms');
    expect(resultSummary(toGrid({ affected: 1 }, undefined, 'count'), undefined, 'count', 3)).toBe('1 row affected · 3 ms');
    expect(isNumericType('bigint')).toBe(true);
    expect(isNumericType('character varying')).toBe(false);
  });
});

describe('resultMode', () => {
  it('reads the mode from the output shape', async () => {
    const { resultMode } = await import('../../renderer/features/sql-editor/grid-model.js');
    expect(resultMode([], TABLE)).toBe('rows');
    expect(resultMode({ affected: 2 }, { columns: [], rows: 2, truncated: false })).toBe('count');
    expect(resultMode({ affected: 2 }, { columns: [{ name: 'affected', type: 'INTEGER' }], rows: 1, truncated: false })).toBe('row');
    expect(resultMode({ id: 1 }, TABLE)).toBe('row');
    expect(resultMode(null, TABLE)).toBe('row');
    expect(resultMode(null, { columns: [{ name: 'n', type: '' }], rows: 0, truncated: false })).toBe('scalar');
    expect(resultMode('x', TABLE)).toBe('scalar');
  });
});
