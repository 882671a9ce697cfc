import type { DbColumn, DbTable } from '../connectors/sql/introspect.js';

/**
 * The SQL of generated database services. Every value is a `{variable}` placeholder, bound by the driver and
 * never pasted into the text. Identifiers come only from introspection, quoted by the driver's dialect; the sort
 * column is chosen by comparing the `sort` variable with each column's name as a string literal inside CASE,
 * so a caller's value can never become SQL.
 */

export type Quote = (identifier: string) => string;

/** A column with the variable that carries its value. */
export interface BoundColumn {
  column: DbColumn;
  variable: string;
}

export const PAGING = { limit: 'limit', offset: 'offset', sort: 'sort', direction: 'direction' } as const;

/** `main`/`public` tables by their name; tables of other schemas as `"schema"."table"`. */
export function tableRef(table: DbTable, quote: Quote): string {
  return table.schema === 'main' || table.schema === 'public' ? quote(table.name) : `${quote(table.schema)}.${quote(table.name)}`;
}

/** A column name as a SQL string literal (names come from introspection, quotes doubled all the same). */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const ph = (variable: string) => `{${variable}}`;

/**
 * The list: one branch ordered by the key alone (the index serves it) when `sort` is not given, one ordered by the
 * column `sort` names otherwise; the other branch's WHERE is false, so only one of them reads rows. Each filter's
 * comparison comes before its `IS NULL` so PostgreSQL infers the parameter's type from the column; `sort` is cast
 * for the same reason where it first appears.
 */
export function listSql(table: DbTable, quote: Quote, filters: readonly BoundColumn[], sortable: readonly DbColumn[], tiebreak: readonly string[]): string {
  const from = `SELECT * FROM ${tableRef(table, quote)}`;
  const page = `LIMIT ${ph(PAGING.limit)} OFFSET ${ph(PAGING.offset)}`;
  const keyOrder = tiebreak.map((k) => `${quote(k)} ASC`);
  const where = (extra: string[]) => {
    const terms = [...extra, ...filters.map((f) => `(${quote(f.column.name)} = ${ph(f.variable)} OR ${ph(f.variable)} IS NULL)`)];
    return terms.map((t, i) => `${i === 0 ? 'WHERE' : '  AND'} ${t}`);
  };
  const branch = (extra: string[], order: string[], pad = '') => [from, ...where(extra), ...(order.length ? [`ORDER BY ${order.join(`,\n${pad}         `)}`] : []), page];
  if (sortable.length === 0) return branch([], keyOrder).join('\n');
  const byColumn: string[] = [];
  for (const c of sortable) {
    for (const dir of ['asc', 'desc'] as const)
      byColumn.push(`CASE WHEN ${ph(PAGING.sort)} = ${literal(c.name)} AND ${ph(PAGING.direction)} = '${dir}' THEN ${quote(c.name)} END ${dir.toUpperCase()}`);
  }
  const sortGiven = `CAST(${ph(PAGING.sort)} AS TEXT)`;
  const indent = (lines: string[]) => lines.map((l) => `  ${l}`);
  return [
    'SELECT * FROM (',
    ...indent(branch([`${sortGiven} IS NULL`], keyOrder, '  ')),
    ') AS by_key',
    'UNION ALL',
    'SELECT * FROM (',
    ...indent(branch([`${sortGiven} IS NOT NULL`], [...byColumn, ...keyOrder], '  ')),
    ') AS by_column',
  ].join('\n');
}

function keyWhere(keys: readonly BoundColumn[], quote: Quote): string {
  return keys.map((k) => `${quote(k.column.name)} = ${ph(k.variable)}`).join(' AND ');
}

export function getSql(table: DbTable, quote: Quote, keys: readonly BoundColumn[]): string {
  return `SELECT * FROM ${tableRef(table, quote)} WHERE ${keyWhere(keys, quote)}`;
}

/** A value, or the column's own default when the variable is not given (the default is the database's SQL text). */
function valueOrDefault(c: BoundColumn): string {
  return c.column.default === null ? ph(c.variable) : `COALESCE(${ph(c.variable)}, (${c.column.default}))`;
}

export function createSql(table: DbTable, quote: Quote, columns: readonly BoundColumn[]): string {
  if (columns.length === 0) return `INSERT INTO ${tableRef(table, quote)} DEFAULT VALUES RETURNING *`;
  return [
    `INSERT INTO ${tableRef(table, quote)} (${columns.map((c) => quote(c.column.name)).join(', ')})`,
    `VALUES (${columns.map(valueOrDefault).join(', ')})`,
    'RETURNING *',
  ].join('\n');
}

export function updateSql(table: DbTable, quote: Quote, columns: readonly BoundColumn[], keys: readonly BoundColumn[]): string {
  return [`UPDATE ${tableRef(table, quote)}`, `SET ${columns.map((c) => `${quote(c.column.name)} = ${ph(c.variable)}`).join(',\n    ')}`, `WHERE ${keyWhere(keys, quote)}`, 'RETURNING *'].join('\n');
}

export function deleteSql(table: DbTable, quote: Quote, keys: readonly BoundColumn[]): string {
  return `DELETE FROM ${tableRef(table, quote)} WHERE ${keyWhere(keys, quote)} RETURNING *`;
}
