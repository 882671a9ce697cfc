import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeProject } from '../runtime/helpers.js';

/** Runs the CLI in this process, capturing what it prints and its exit code. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../src/cli/main.js');
  const { processIo } = await import('../../src/cli/io.js');
  const saved = { out: processIo.out, err: processIo.err };
  let stdout = '';
  let stderr = '';
  processIo.out = (t) => void (stdout += `${t}\n`);
  processIo.err = (t) => void (stderr += `${t}\n`);
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'trellis', ...args]);
    return { code, stdout, stderr };
  } finally {
    Object.assign(processIo, saved);
    process.exitCode = undefined;
  }
}

const SCHEMA = `
CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
CREATE TABLE "order" (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer(id), total NUMERIC(10,2));
CREATE TABLE tag (label TEXT);
INSERT INTO customer (name, email) VALUES ('Ada', 'ada@example.com');`;

let root = '';
let dir = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'trellis-gen-cli-'));
  dir = await writeProject(
    {
      'trellis.yaml': { name: 'crm', formatVersion: 1 },
      'connectors/db.yaml': { name: 'db', kind: 'sql', config: { driver: 'sqlite', file: 'data/crm.db', init: 'schema.sql' } },
      'connectors/web.yaml': { name: 'web', kind: 'http', config: { host: '127.0.0.1' } },
      'connectors/down.yaml': { name: 'down', kind: 'sql', config: { driver: 'postgres', host: '127.0.0.1', port: 1, database: 'x', user: 'x', connectTimeoutMs: 2000 } },
      'schema.sql': SCHEMA,
    },
    join(root, 'crm'),
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('trellis generate crud', () => {
  it('refuses unknown tables, unknown connectors and connectors of another kind with exit 2, writing nothing', async () => {
    const table = await cli(['generate', 'crud', dir, 'db', '--tables', 'customer,nope']);
    expect(table.code).toBe(2);
    expect(table.stderr).toBe('trellis: the database has no table or view "nope" (tables and views: customer, order, tag)\n');
    const connector = await cli(['generate', 'crud', dir, 'nope']);
    expect(connector.code).toBe(2);
    expect(connector.stderr).toContain('project crm has no connector "nope" (connectors: db, down, web)');
    const http = await cli(['generate', 'crud', dir, 'web']);
    expect(http.code).toBe(2);
    expect(http.stderr).toContain('connector web is of kind http');
    expect(() => readFileSync(join(dir, 'mappings.yaml'))).toThrow();
  });

  it('fails with exit 1 and one line when the database cannot be reached', async () => {
    const r = await cli(['generate', 'crud', dir, 'down']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^trellis: /);
  }, 30_000);

  it('generates the tables asked for, prints one summary line, and the project validates', async () => {
    const r = await cli(['generate', 'crud', dir, 'db', '--tables', 'customer,order']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('generated crud for db: 10 transactions, 10 sequences, 10 routes created; 0 skipped (already there); 0 warnings\n');
    const mappings = parse(readFileSync(join(dir, 'mappings.yaml'), 'utf8'));
    expect(mappings.routes.map((x: { method: string; path: string }) => `${x.method} ${x.path}`)).toContain('GET /order/{id}');
    const connector = parse(readFileSync(join(dir, 'connectors/db.yaml'), 'utf8'));
    expect(connector.transactions.find((t: { name: string }) => t.name === 'order.get').sql).toBe('SELECT * FROM "order" WHERE "id" = {id}');
    expect(JSON.parse(readFileSync(join(dir, 'schemas/db.customer.list.json'), 'utf8')).items.properties.email).toEqual({ type: ['string', 'null'], description: 'TEXT column' });
    expect(parse(readFileSync(join(dir, 'sequences/customer.get.yaml'), 'utf8')).steps[0].props.transaction).toBe('db.customer.get');
    const validate = await cli(['validate', dir]);
    expect(validate.code).toBe(0);
    const run = await cli(['run', dir, 'customer.get', '--var', 'id=1']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ id: 1, name: 'Ada', email: 'ada@example.com' });
  });

  it('generating again keeps what a developer edited and reports it as skipped; --json lists it all', async () => {
    const file = join(dir, 'connectors/db.yaml');
    const edited = readFileSync(file, 'utf8').replace('SELECT * FROM "customer" WHERE "id" = {id}', 'SELECT id, name FROM "customer" WHERE "id" = {id}');
    writeFileSync(file, edited);
    const r = await cli(['generate', 'crud', dir, 'db', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { created: string[]; skipped: string[]; warnings: string[]; written: string[] };
    expect(out.skipped).toContain('transaction db.customer.get (exists)');
    expect(out.skipped).toContain('sequence order.list (exists)');
    expect(out.skipped).toContain('route GET /customer/{id} (a route of that shape exists)');
    expect(out.created).toEqual(['transaction db.tag.list', 'transaction db.tag.create', 'sequence tag.list', 'sequence tag.create', 'route GET /tag', 'route POST /tag']);
    expect(out.warnings).toEqual(['table tag has no primary key: generated only list and create (get, update and delete need a key)']);
    expect(out.written).toContain('schemas/db.tag.list.json');
    expect(readFileSync(file, 'utf8')).toContain('SELECT id, name FROM "customer" WHERE "id" = {id}');
    const again = await cli(['generate', 'crud', dir, 'db']);
    expect(again.stdout).toMatch(/: 0 transactions, 0 sequences, 0 routes created; 36 skipped/);
  });
});
