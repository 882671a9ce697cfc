import type { DatabaseSchema, DbColumn, DbTable } from '../connectors/sql/introspect.js';
import { TrellisError } from '../engine/errors.js';
import { toName, uniqueName, type MappingRoute, type Sequence, type Transaction, type Variable } from '../model/index.js';
import type { JSONSchema } from '../schema/types.js';
import { comparable, rowSchema, variableType } from './crud-columns.js';
import { PAGING, createSql, deleteSql, getSql, listSql, updateSql, type BoundColumn, type Quote } from './crud-sql.js';

/**
 * "Generate database services": from the introspection of a SQL connector's database, for each table, the
 * transactions list / get / create / update / delete (named `<table>.list` ...), one exposed sequence per
 * transaction that calls it, the REST mappings `GET|POST /<table>` and `GET|PUT|DELETE /<table>/{id}`, and
 * the output schemas. Pure: writing them into a project is crud-project.ts (CLI) and service/crud.ts (studio).
 */

export const DEFAULT_PAGE_SIZE = 50;
/** the most rows one list call returns, whatever `limit` asks (the transaction's rowLimit) */
export const MAX_PAGE_SIZE = 1000;

export interface CrudInput {
  /** the SQL connector the transactions belong to */
  connector: string;
  schema: DatabaseSchema;
  /** the driver's identifier quoting (Dialect.quoteIdentifier) */
  quote: Quote;
  /** the database compares values of any type in one CASE (SQLite; see ListOptions) */
  mixedTypeCase?: boolean;
  /** table names to generate for (default: every table; a view named here gets only a list) */
  tables?: readonly string[];
}

export interface CrudSchemaFile {
  /** `<connector>.<transaction>` or a sequence name: the file is schemas/<owner>.json */
  owner: string;
  schema: JSONSchema;
}

export interface CrudPlan {
  transactions: Transaction[];
  sequences: Sequence[];
  routes: MappingRoute[];
  schemas: CrudSchemaFile[];
  warnings: string[];
}

const LITERAL_SEGMENT = /^[A-Za-z0-9._~-]+$/;
const RESERVED_VARIABLES = new Set<string>(Object.values(PAGING));

function isDefaultSchema(t: DbTable): boolean {
  return t.schema === 'main' || t.schema === 'public';
}

function qualified(t: DbTable): string {
  return isDefaultSchema(t) ? t.name : `${t.schema}.${t.name}`;
}

/** The tables asked for, each matched by name (or schema.name); an unknown name is an error listing what exists. */
export function selectTables(schema: DatabaseSchema, names: readonly string[] | undefined): DbTable[] {
  if (names === undefined) return schema.tables;
  const all = [...schema.tables, ...schema.views];
  const out: DbTable[] = [];
  const unknown: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    const found = all.find((t) => qualified(t) === name || t.name === name) ?? all.find((t) => qualified(t).toLowerCase() === name.toLowerCase());
    if (!found) unknown.push(name);
    else if (!out.includes(found)) out.push(found);
  }
  if (unknown.length) {
    const known = all.map(qualified);
    throw new TrellisError('NOT_FOUND', `the database has no table or view ${unknown.map((n) => `"${n}"`).join(', ')} (${known.length ? `tables and views: ${known.join(', ')}` : 'it has no tables'})`, {
      details: { unknown, known },
    });
  }
  if (out.length === 0) throw new TrellisError('BAD_VARIABLE', 'no table named: give table names separated by commas');
  return out;
}

/** The base of a table's object names and its route segment: its name, with the schema when not the default one. */
function baseName(t: DbTable): string {
  return toName(isDefaultSchema(t) ? t.name : `${t.schema}_${t.name}`, 'table');
}

function routeSegment(t: DbTable): string {
  const raw = isDefaultSchema(t) ? t.name : `${t.schema}.${t.name}`;
  return LITERAL_SEGMENT.test(raw) ? raw : baseName(t);
}

/** One variable per column, names made valid and unique. */
function bindColumns(columns: readonly DbColumn[]): BoundColumn[] {
  const taken = new Set<string>();
  return columns.map((column) => {
    const variable = uniqueName(toName(column.name, 'column'), taken);
    taken.add(variable);
    return { column, variable };
  });
}

function columnVariable(b: BoundColumn, options: { required?: boolean; what: string }): Variable {
  const v: Variable = { name: b.variable, type: variableType(b.column), description: `${options.what} (${b.column.name}, ${b.column.type})` };
  if (options.required) v.required = true;
  return v;
}

function callSequence(name: string, connector: string, transaction: string, variables: Variable[], description: string): Sequence {
  return {
    name,
    description,
    exposed: true,
    variables,
    steps: [
      { id: 'call', kind: 'callTransaction', props: { transaction: `${connector}.${transaction}`, variables: {}, inheritVariables: true } },
      { id: 'result', kind: 'output', props: { value: { source: { from: 'call', path: '$' } } } },
    ],
  };
}

type TablePlan = Omit<CrudPlan, 'warnings'>;

function planTable(input: CrudInput, table: DbTable, warnings: string[]): TablePlan {
  const { connector, quote } = input;
  const base = baseName(table);
  const segment = routeSegment(table);
  const where = `${table.kind} ${qualified(table)}`;
  const bound = bindColumns(table.columns);
  const out: TablePlan = { transactions: [], sequences: [], routes: [], schemas: [] };
  const row = rowSchema(qualified(table), table.columns);
  const rowOrNull: JSONSchema = { anyOf: [row, { type: 'null' }] };

  const add = (op: string, tx: Omit<Transaction, 'name'> & { variables: Variable[] }, schema: JSONSchema, route: Omit<MappingRoute, 'target'>, description: string) => {
    const name = `${base}.${op}`;
    out.transactions.push({ name, ...tx, description } as Transaction);
    out.sequences.push(callSequence(name, connector, name, tx.variables, description));
    out.routes.push({ ...route, target: { sequence: name }, description } as MappingRoute);
    out.schemas.push({ owner: `${connector}.${name}`, schema }, { owner: name, schema });
  };

  // list: paging, sorting by a column chosen from a fixed list, equality filters
  const filters = bound.filter((b) => comparable(b.column) && !RESERVED_VARIABLES.has(b.variable));
  for (const b of bound)
    if (comparable(b.column) && RESERVED_VARIABLES.has(b.variable))
      warnings.push(`${where}: column ${b.column.name} is not a filter of ${base}.list (its name is one of the paging variables ${[...RESERVED_VARIABLES].join(', ')})`);
  const sortable = table.columns.filter(comparable);
  const keys = bound.filter((b) => table.primaryKey.includes(b.column.name)).sort((a, b) => table.primaryKey.indexOf(a.column.name) - table.primaryKey.indexOf(b.column.name));
  const tiebreak = keys.length ? keys.map((k) => k.column.name) : [];
  const listVariables: Variable[] = [
    { name: PAGING.limit, type: 'integer', default: DEFAULT_PAGE_SIZE, description: `rows per page (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE})` },
    { name: PAGING.offset, type: 'integer', default: 0, description: 'rows to skip' },
  ];
  if (sortable.length) {
    listVariables.push(
      { name: PAGING.sort, type: 'string', enum: sortable.map((c) => c.name), description: `the column to sort by${tiebreak.length ? ` (then by ${tiebreak.join(', ')})` : ''}` },
      { name: PAGING.direction, type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'asc or desc' },
    );
  }
  listVariables.push(...filters.map((b) => columnVariable(b, { what: 'only rows whose column equals this' })));
  add(
    'list',
    { type: 'sql', sql: listSql(table, quote, filters, sortable, tiebreak, { mixedTypeCase: input.mixedTypeCase }), rowLimit: MAX_PAGE_SIZE, variables: listVariables },
    { type: 'array', items: row },
    { method: 'GET', path: `/${segment}` },
    `List rows of ${where}: paging (limit, offset), sorting (sort, direction), filters on columns`,
  );

  if (table.kind === 'view') return out;

  if (keys.length !== 1) {
    warnings.push(
      keys.length === 0
        ? `${where} has no primary key: generated only list and create (get, update and delete need a key)`
        : `${where} has a composite primary key (${table.primaryKey.join(', ')}): generated only list and create (/${segment}/{id} takes one key)`,
    );
  }
  const key = keys.length === 1 ? keys[0]! : undefined;
  const keyVariable = key ? columnVariable(key, { required: true, what: 'the primary key' }) : undefined;
  const idParams = key ? { id: { from: 'path' as const, variable: key.variable } } : undefined;

  if (key && keyVariable)
    add(
      'get',
      { type: 'sql', sql: getSql(table, quote, [key]), result: 'row', variables: [keyVariable] },
      rowOrNull,
      { method: 'GET', path: `/${segment}/{id}`, params: idParams, response: { emptyStatus: 404 } },
      `The row of ${where} with this primary key (404 when there is none)`,
    );

  // create: every column the database does not fill by itself; a column with a default takes it when not given
  const insertable = bound.filter((b) => !b.column.generated);
  add(
    'create',
    {
      type: 'sql',
      sql: createSql(table, quote, insertable),
      result: 'row',
      variables: insertable.map((b) => columnVariable(b, { required: !b.column.nullable && b.column.default === null, what: 'value' })),
    },
    row,
    { method: 'POST', path: `/${segment}`, response: { status: 201 } },
    `Inserts a row into ${where} and returns it`,
  );

  if (!key || !keyVariable) return out;
  const settable = bound.filter((b) => b !== key && !b.column.generated);
  if (settable.length === 0) warnings.push(`${where}: every column is part of the key or generated: no update generated`);
  else
    add(
      'update',
      {
        type: 'sql',
        sql: updateSql(table, quote, settable, [key]),
        result: 'row',
        variables: [keyVariable, ...settable.map((b) => columnVariable(b, { required: !b.column.nullable, what: 'new value' }))],
      },
      rowOrNull,
      { method: 'PUT', path: `/${segment}/{id}`, params: idParams, response: { emptyStatus: 404 } },
      `Replaces the row of ${where} with this primary key and returns it (404 when there is none)`,
    );
  add(
    'delete',
    { type: 'sql', sql: deleteSql(table, quote, [key]), result: 'row', variables: [keyVariable] },
    rowOrNull,
    { method: 'DELETE', path: `/${segment}/{id}`, params: idParams, response: { emptyStatus: 404 } },
    `Deletes the row of ${where} with this primary key and returns it (404 when there is none)`,
  );
  return out;
}

/** The objects generated for the tables asked for (all tables by default). */
export function planCrud(input: CrudInput): CrudPlan {
  const plan: CrudPlan = { transactions: [], sequences: [], routes: [], schemas: [], warnings: [] };
  const tables = selectTables(input.schema, input.tables);
  const bases = new Map<string, string>();
  for (const table of tables) {
    const base = baseName(table);
    const clash = bases.get(base.toLowerCase());
    if (clash) {
      plan.warnings.push(`${table.kind} ${qualified(table)}: skipped, its services would have the same names as those of ${clash}`);
      continue;
    }
    bases.set(base.toLowerCase(), qualified(table));
    const t = planTable(input, table, plan.warnings);
    plan.transactions.push(...t.transactions);
    plan.sequences.push(...t.sequences);
    plan.routes.push(...t.routes);
    plan.schemas.push(...t.schemas);
  }
  return plan;
}
