import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../src/service/dispatch.js';
import type { StudioService } from '../../src/service/studio-service.js';
import { writeProject } from '../runtime/helpers.js';
import { recordingService, tempDir } from './helpers.js';

/**
 * connector.introspect (the SQL editor's completion and the generate dialog read it) and the result table
 * of a SQL execution (the grid's columns with their types), through the contract's dispatcher on a real
 * SQLite file.
 */

let tmp: Awaited<ReturnType<typeof tempDir>>;
let service: StudioService;
let api: Dispatcher;
let dir = '';

async function call(method: string, params: Record<string, unknown>): Promise<any> {
  const r = await api.dispatch(method as never, params);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.result;
}

beforeAll(async () => {
  tmp = await tempDir();
  ({ service } = recordingService());
  api = createDispatcher(service);
  dir = await writeProject(
    {
      'trellis.yaml': { name: 'shop', formatVersion: 1 },
      'connectors/db.yaml': {
        name: 'db',
        kind: 'sql',
        config: { driver: 'sqlite', file: 'shop.db', init: 'schema.sql' },
        transactions: [
          { name: 'products', type: 'sql', sql: 'SELECT id, name, price, note FROM product ORDER BY id' },
          { name: 'howMany', type: 'sql', sql: 'SELECT count(*) AS n FROM product', result: 'scalar' },
          { name: 'touch', type: 'sql', sql: "UPDATE product SET note = 'x' WHERE id = 1", result: 'count' },
        ],
      },
      'connectors/web.yaml': { name: 'web', kind: 'http', config: { host: '127.0.0.1' } },
      'schema.sql': [
        'CREATE TABLE category (id INTEGER PRIMARY KEY, title TEXT NOT NULL);',
        "CREATE TABLE product (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL, price NUMERIC(8,2) DEFAULT 0, note TEXT, category INTEGER REFERENCES category(id));",
        'CREATE VIEW cheap AS SELECT name FROM product WHERE price < 5;',
        "INSERT INTO product (id, name, price) VALUES (1, 'Lamp', 19.5), (2, 'Pen', 1.25);",
      ].join('\n'),
    },
    join(tmp.dir, 'shop'),
  );
  await call('project.open', { dir });
});

afterAll(async () => {
  await service.dispose();
  await tmp.remove();
});

describe('connector.introspect', () => {
  it('returns tables, views, columns with type, nullability and default, primary and foreign keys', async () => {
    const schema = await call('connector.introspect', { project: dir, connector: 'db' });
    expect(schema.driver).toBe('sqlite');
    expect(schema.tables.map((t: { name: string }) => t.name)).toEqual(['category', 'product']);
    expect(schema.views.map((t: { name: string }) => t.name)).toEqual(['cheap']);
    const product = schema.tables[1];
    expect(product.primaryKey).toEqual(['id']);
    expect(product.columns.find((c: { name: string }) => c.name === 'name')).toMatchObject({ type: 'VARCHAR(80)', nullable: false, default: null });
    expect(product.columns.find((c: { name: string }) => c.name === 'price')).toMatchObject({ type: 'NUMERIC(8,2)', nullable: true, default: '0' });
    expect(product.foreignKeys).toEqual([expect.objectContaining({ columns: ['category'], references: expect.objectContaining({ table: 'category', columns: ['id'] }) })]);
  });

  it('names the connectors there are when the one asked for is not', async () => {
    await expect(call('connector.introspect', { project: dir, connector: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('connectors: db, web') });
  });

  it('refuses a connector that is not SQL, saying which kinds can be introspected', async () => {
    await expect(call('connector.introspect', { project: dir, connector: 'web' })).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('only SQL connectors') });
  });
});

describe('transaction.execute of a SQL transaction', () => {
  it('carries the result table: columns with their database types, row count, cut or not', async () => {
    const r = await call('transaction.execute', { project: dir, target: 'db.products' });
    expect(r.ok).toBe(true);
    expect(r.table).toEqual({
      columns: [
        { name: 'id', type: 'INTEGER' },
        { name: 'name', type: 'VARCHAR(80)' },
        { name: 'price', type: 'NUMERIC(8,2)' },
        { name: 'note', type: 'TEXT' },
      ],
      rows: 2,
      truncated: false,
    });
    expect(JSON.parse(r.raw.text)).toEqual([
      { id: 1, name: 'Lamp', price: '19.50', note: null },
      { id: 2, name: 'Pen', price: '1.25', note: null },
    ]);
  });

  it('carries it for scalar and count results too, and not for other kinds', async () => {
    const scalar = await call('transaction.execute', { project: dir, target: 'db.howMany' });
    expect(scalar.table.columns.map((c: { name: string }) => c.name)).toEqual(['n']);
    expect(JSON.parse(scalar.raw.text)).toBe(2);
    const count = await call('transaction.execute', { project: dir, target: 'db.touch' });
    expect(count.table.rows).toBe(1);
    expect(JSON.parse(count.raw.text)).toEqual({ affected: 1 });
  });
});
