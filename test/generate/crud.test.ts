import { describe, expect, it } from 'vitest';
import type { DatabaseSchema, DbColumn, DbTable } from '../../src/connectors/sql/introspect.js';
import { TrellisError } from '../../src/engine/errors.js';
import { applyCrud } from '../../src/generate/crud-apply.js';
import { columnClass, columnSchema, variableType } from '../../src/generate/crud-columns.js';
import { MAX_PAGE_SIZE, planCrud } from '../../src/generate/crud.js';
import { mappingsFileSchema, sequenceSchema, type Project } from '../../src/model/index.js';
import { sqlConnector } from '../../src/connectors/sql.connector.js';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

const col = (name: string, type: string, extra: Partial<DbColumn> = {}): DbColumn => ({ name, type, nullable: true, default: null, generated: false, ...extra });

function table(name: string, columns: DbColumn[], primaryKey: string[], extra: Partial<DbTable> = {}): DbTable {
  return { schema: 'main', name, kind: 'table', columns, primaryKey, foreignKeys: [], ...extra };
}

const item = table(
  'item',
  [
    col('id', 'INTEGER', { nullable: false, generated: true }),
    col('name', 'TEXT', { nullable: false }),
    col('price', 'NUMERIC(10,2)'),
    col('qty', 'INTEGER', { nullable: false, default: '0' }),
    col('doc', 'JSON'),
    col('limit', 'INTEGER'),
    col('odd "name"', 'TEXT'),
  ],
  ['id'],
);
const pair = table('pair', [col('a', 'INTEGER', { nullable: false }), col('b', 'INTEGER', { nullable: false })], ['a', 'b']);
const log = table('log', [col('line', 'TEXT')], []);
const view = table('item_names', [col('id', 'INTEGER'), col('name', 'TEXT')], [], { kind: 'view' });
const db: DatabaseSchema = { driver: 'sqlite', tables: [item, log, pair], views: [view] };

const tx = (plan: ReturnType<typeof planCrud>, name: string) => {
  const found = plan.transactions.find((t) => t.name === name);
  if (!found) throw new Error(`no transaction ${name} (${plan.transactions.map((t) => t.name).join(', ')})`);
  return found as typeof found & { sql: string; result?: string; rowLimit?: number };
};

describe('planCrud', () => {
  const plan = planCrud({ connector: 'db', schema: db, quote });

  it('generates the five operations of a table with a single key, as valid transactions, sequences and routes', () => {
    for (const op of ['list', 'get', 'create', 'update', 'delete']) {
      const t = tx(plan, `item.${op}`);
      expect(sqlConnector.transaction.safeParse(t).success).toBe(true);
      const s = plan.sequences.find((x) => x.name === `item.${op}`)!;
      expect(sequenceSchema.safeParse(s).success).toBe(true);
      expect(s.steps[0]).toMatchObject({ kind: 'callTransaction', props: { transaction: `db.item.${op}`, inheritVariables: true } });
      expect(s.variables).toEqual(t.variables);
    }
    expect(mappingsFileSchema.safeParse({ routes: plan.routes }).success).toBe(true);
    const item = plan.routes.filter((r) => r.path.startsWith('/item'));
    expect(item.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.response ?? {})}`)).toEqual([
      'GET /item {}',
      'GET /item/{id} {"emptyStatus":404}',
      'POST /item {"status":201}',
      'PUT /item/{id} {"emptyStatus":404}',
      'DELETE /item/{id} {"emptyStatus":404}',
    ]);
    expect(item[1]!.params).toEqual({ id: { from: 'path', variable: 'id' } });
  });

  it('lists with bound paging, a sort column picked from the introspected ones, and equality filters', () => {
    const list = tx(plan, 'item.list');
    expect(list.rowLimit).toBe(MAX_PAGE_SIZE);
    expect(list.sql).toContain('LIMIT {limit} OFFSET {offset}');
    expect(list.sql).toContain(`CASE WHEN {sort} = 'name' AND {direction} = 'desc' THEN "name" END DESC`);
    expect(list.sql).toContain(`CASE WHEN {sort} = 'odd "name"' AND {direction} = 'asc' THEN "odd ""name""" END ASC`);
    // no sort: the branch ordered by the key (its index serves it); a sort: the branch ordered by that column
    expect(list.sql).toContain('WITH filtered AS NOT MATERIALIZED (\n  SELECT * FROM "item"\n  WHERE ("id" = {id} OR {id} IS NULL)\n');
    expect(list.sql).toContain('  SELECT * FROM filtered\n  WHERE CAST({sort} AS TEXT) IS NULL\n  ORDER BY "id" ASC\n  LIMIT {limit} OFFSET {offset}\n) AS by_key\nUNION ALL\nSELECT * FROM (');
    expect(list.sql).toContain('WHERE CAST({sort} AS TEXT) IS NOT NULL');
    expect(list.sql).toMatch(/THEN "odd ""name""" END DESC,\n {11}"id" ASC\n {2}LIMIT/);
    expect(list.sql).toContain('("name" = {name} OR {name} IS NULL)');
    const sort = list.variables.find((v) => v.name === 'sort')!;
    // JSON does not compare or order on every driver: no filter, no sort on it
    expect(sort.enum).toEqual(['id', 'name', 'price', 'qty', 'limit', 'odd "name"']);
    expect(list.variables.find((v) => v.name === 'direction')).toMatchObject({ enum: ['asc', 'desc'], default: 'asc' });
    expect(list.variables.find((v) => v.name === 'limit')).toMatchObject({ type: 'integer', default: 50 });
    expect(list.sql).not.toContain('{doc}');
    // a column named like a paging variable is not a filter (a warning says so) but still sorts
    expect(list.sql).not.toContain('"limit" = ');
    expect(plan.warnings.some((w) => w.includes('column limit is not a filter'))).toBe(true);
    expect(list.variables.find((v) => v.name === 'odd_name')).toMatchObject({ type: 'string' });
  });

  it('sorts with one CASE per direction where the database mixes types in a CASE (SQLite): fewer parameters to bind', () => {
    const compact = tx(planCrud({ connector: 'db', schema: db, quote, tables: ['item'], mixedTypeCase: true }), 'item.list');
    expect(compact.sql).toContain(`ORDER BY CASE WHEN {direction} = 'asc' THEN CASE {sort} WHEN 'id' THEN "id" WHEN 'name' THEN "name"`);
    expect(compact.sql).toContain(`WHEN 'odd "name"' THEN "odd ""name""" END END DESC,`);
    const count = (sql: string) => (sql.match(/\{/g) ?? []).length;
    // 5 filters twice, the CAST of sort twice, limit and offset twice; then 4 (compact) or 2 per column and direction
    expect(count(compact.sql)).toBe(10 + 2 + 4 + 4);
    expect(count(tx(plan, 'item.list').sql)).toBe(10 + 2 + 4 + 6 * 2 * 2);
  });

  it('creates without generated columns, with defaults taken when a value is missing, and returns the row', () => {
    const create = tx(plan, 'item.create');
    expect(create.result).toBe('row');
    expect(create.sql).not.toContain('"id"');
    expect(create.sql).toContain('COALESCE({qty}, (0))');
    expect(create.sql).toMatch(/RETURNING \*$/);
    expect(create.variables.filter((v) => v.required).map((v) => v.name)).toEqual(['name']);
    const update = tx(plan, 'item.update');
    expect(update.sql).toContain('WHERE "id" = {id}');
    expect(update.variables.filter((v) => v.required).map((v) => v.name)).toEqual(['id', 'name', 'qty']);
    expect(tx(plan, 'item.delete').sql).toBe('DELETE FROM "item" WHERE "id" = {id} RETURNING *');
  });

  it('skips get, update and delete (with a warning) for composite or missing keys, and generates only a list for views it is asked for', () => {
    expect(plan.transactions.filter((t) => t.name.startsWith('pair.')).map((t) => t.name)).toEqual(['pair.list', 'pair.create']);
    expect(plan.transactions.filter((t) => t.name.startsWith('log.')).map((t) => t.name)).toEqual(['log.list', 'log.create']);
    expect(plan.warnings).toContain('table pair has a composite primary key (a, b): generated only list and create (/pair/{id} takes one key)');
    expect(plan.warnings.some((w) => w.startsWith('table log has no primary key'))).toBe(true);
    expect(tx(plan, 'pair.list').sql).toMatch(/ORDER BY "a" ASC,\n {11}"b" ASC\n/);
    // without a key, the unsorted branch has no order to keep
    expect(tx(plan, 'log.list').sql).toContain('WHERE CAST({sort} AS TEXT) IS NULL\n  LIMIT {limit} OFFSET {offset}\n) AS by_key');
    expect(plan.transactions.some((t) => t.name.startsWith('item_names.'))).toBe(false);
    const views = planCrud({ connector: 'db', schema: db, quote, tables: ['item_names'] });
    expect(views.transactions.map((t) => t.name)).toEqual(['item_names.list']);
  });

  it('writes output schemas from column types for transactions and sequences', () => {
    const list = plan.schemas.find((s) => s.owner === 'db.item.list')!.schema;
    expect(list).toMatchObject({ type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, price: { type: ['string', 'null'], format: 'decimal' } } } });
    expect(plan.schemas.find((s) => s.owner === 'item.get')!.schema).toMatchObject({ anyOf: [{ type: 'object' }, { type: 'null' }] });
    expect(columnSchema(col('at', 'timestamp with time zone', { nullable: false }))).toMatchObject({ type: 'string', format: 'date-time' });
    expect(columnSchema(col('big', 'bigint', { nullable: false }))).toMatchObject({ type: ['integer', 'string'] });
    expect(columnClass('character varying(160)')).toBe('text');
    expect(columnClass('bytea')).toBe('binary');
    expect(variableType(col('f', 'double precision'))).toBe('number');
    expect(variableType(col('ok', 'boolean'))).toBe('boolean');
  });

  it('quotes identifiers with the driver quoting and qualifies tables of other schemas', () => {
    const other = planCrud({ connector: 'pg', schema: { driver: 'postgres', tables: [{ ...item, schema: 'sales' }], views: [] }, quote, tables: ['sales.item'] });
    expect(tx(other, 'sales_item.get').sql).toBe('SELECT * FROM "sales"."item" WHERE "id" = {id}');
    expect(other.routes[0]!.path).toBe('/sales.item');
  });

  it('refuses unknown tables with the list of those that exist', () => {
    let error: unknown;
    try {
      planCrud({ connector: 'db', schema: db, quote, tables: ['item', 'nope'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrellisError);
    expect((error as TrellisError).code).toBe('NOT_FOUND');
    expect((error as Error).message).toBe('the database has no table or view "nope" (tables and views: item, log, pair, item_names)');
  });
});

describe('applyCrud', () => {
  const plan = planCrud({ connector: 'db', schema: db, quote, tables: ['item'] });
  const base: Project = { dir: '/p', name: 'p', formatVersion: 1, connectors: [{ name: 'db', kind: 'sql', config: { driver: 'sqlite', file: 'x.db' }, transactions: [] }], sequences: [] };

  it('adds everything to a project that has none of it', () => {
    const applied = applyCrud(base, 'db', undefined, plan);
    expect(applied.connector.transactions).toHaveLength(5);
    expect(applied.newSequences).toHaveLength(5);
    expect(applied.mappings.routes).toHaveLength(5);
    expect(applied.created).toContain('transaction db.item.list');
    expect(applied.created).toContain('route GET /item/{id}');
    expect(applied.skipped).toEqual([]);
    expect(applied.schemas).toHaveLength(10);
  });

  it('keeps objects and routes that exist (a developer may have edited them) and reports them as skipped', () => {
    const edited = { name: 'item.get', type: 'sql', sql: 'SELECT 42', variables: [] };
    const project: Project = { ...base, connectors: [{ ...base.connectors[0]!, transactions: [edited] }], sequences: [{ name: 'item.list', exposed: false, variables: [], steps: [] }] };
    const mappings = { basePath: '/api', routes: [{ method: 'DELETE' as const, path: '/item/{key}', target: { sequence: 'mine' } }] };
    const applied = applyCrud(project, 'db', mappings, plan);
    expect(applied.connector.transactions.find((t) => t.name === 'item.get')).toBe(edited);
    expect(applied.project.sequences.find((s) => s.name === 'item.list')).toEqual({ name: 'item.list', exposed: false, variables: [], steps: [] });
    expect(applied.skipped).toEqual(['transaction db.item.get (exists)', 'sequence item.list (exists)', 'route DELETE /item/{id} (a route of that shape exists)']);
    expect(applied.mappings.basePath).toBe('/api');
    expect(applied.mappings.routes[0]).toEqual(mappings.routes[0]);
    expect(applied.schemas.map((s) => s.owner)).not.toContain('db.item.get');
    expect(applied.schemas.map((s) => s.owner)).not.toContain('item.list');
    const again = applyCrud(applied.project, 'db', applied.mappings, plan);
    expect(again.created).toEqual([]);
    expect(again.connector).toBe(applied.connector);
    expect(again.mappingsChanged).toBe(false);
  });
});
