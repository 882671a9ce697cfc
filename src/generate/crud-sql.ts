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

export interface ListOptions {
  /**
   * the database compares values of any type in one CASE (SQLite): the sort key is one CASE per direction, so the
   * statement binds far fewer parameters; PostgreSQL wants one type per CASE, so it gets one CASE per column
   */
  mixedTypeCase?: boolean;
}

/**
 * The list: the rows the filters keep (a CTE inlined into each use), then one branch ordered by the key alone (the
 * index serves it) when `sort` is not given, one ordered by the column `sort` names otherwise; the other branch's
 * WHERE is false, so only one of them reads rows. Each filter's comparison comes before its `IS NULL` so PostgreSQL
 * infers the parameter's type from the column; `sort` is cast for the same reason where it first appears.
 */
export function listSql(table: DbTable, quote: Quote, filters: readonly BoundColumn[], sortable: readonly DbColumn[], tiebreak: readonly string[], options: ListOptions = {}): string {
  const page = `LIMIT ${ph(PAGING.limit)} OFFSET ${ph(PAGING.offset)}`;
  const keyOrder = tiebreak.map((k) => `${quote(k)} ASC`);
  const filterTerms = filters.map((f) => `(${quote(f.column.name)} = ${ph(f.variable)} OR ${ph(f.variable)} IS NULL)`);
  const where = (terms: string[]) => terms.map((t, i) => `${i === 0 ? 'WHERE' : '  AND'} ${t}`);
  const orderBy = (order: string[], pad: string) => (order.length ? [`ORDER BY ${order.join(`,\n${pad}         `)}`] : []);
  if (sortable.length === 0) return [`SELECT * FROM ${tableRef(table, quote)}`, ...where(filterTerms), ...orderBy(keyOrder, ''), page].join('\n');

  const byColumn: string[] = [];
  if (options.mixedTypeCase) {
    const key = `CASE ${ph(PAGING.sort)} ${sortable.map((c) => `WHEN ${literal(c.name)} THEN ${quote(c.name)}`).join(' ')} END`;
    for (const dir of ['asc', 'desc'] as const) byColumn.push(`CASE WHEN ${ph(PAGING.direction)} = '${dir}' THEN ${key} END ${dir.toUpperCase()}`);
  } else {
    for (const c of sortable)
      for (const dir of ['asc', 'desc'] as const)
        byColumn.push(`CASE WHEN ${ph(PAGING.sort)} = ${literal(c.name)} AND ${ph(PAGING.direction)} = '${dir}' THEN ${quote(c.name)} END ${dir.toUpperCase()}`);
  }
  const source = filterTerms.length ? 'filtered' : tableRef(table, quote);
  const sortGiven = `CAST(${ph(PAGING.sort)} AS TEXT)`;
  const branch = (given: string, order: string[]) => [`SELECT * FROM ${source}`, `WHERE ${given}`, ...orderBy(order, '  '), page].map((l) => `  ${l}`);
  return [
    ...(filterTerms.length ? [`WITH filtered AS NOT MATERIALIZED (`, `  SELECT * FROM ${tableRef(table, quote)}`, ...where(filterTerms).map((l) => `  ${l}`), ')'] : []),
    'SELECT * FROM (',
    ...branch(`${sortGiven} IS NULL`, keyOrder),
    ') AS by_key',
    'UNION ALL',
    'SELECT * FROM (',
    ...branch(`${sortGiven} IS NOT NULL`, [...byColumn, ...keyOrder]),
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
