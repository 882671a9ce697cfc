import { access, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Connector, Transaction } from '../../src/model/index.js';
import { importOpenApi, operationStatus, readImportRecord, readOpenApi } from '../../src/openapi/import.js';
import { mergeConnector } from '../../src/openapi/merge.js';
import { createProject, loadProject, saveConnector } from '../../src/project/index.js';
import { writeSpecFiles } from './helpers.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const ok = (schema?: object): object => ({ '200': { description: 'ok', ...(schema ? { content: { 'application/json': { schema } } } : {}) } });

function specV1(): object {
  return {
    openapi: '3.0.3',
    info: { title: 'Catalog', version: '1' },
    servers: [{ url: 'https://api.example.com/v1' }],
    components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } } },
    security: [{ key: [] }],
    paths: {
      '/products/{id}': {
        get: {
          operationId: 'getProduct',
          description: 'One product',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
            { name: 'fields', in: 'query', schema: { type: 'string' } },
          ],
          responses: ok({ type: 'object', properties: { id: { type: 'integer' } } }),
        },
        delete: { operationId: 'deleteProduct', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: ok() },
      },
      '/products': { get: { operationId: 'listProducts', responses: ok({ type: 'array', items: { type: 'object' } }) } },
    },
  };
}

function specV2(): object {
  const spec = specV1() as any;
  spec.servers = [{ url: 'https://api2.example.com/v1' }];
  const get = spec.paths['/products/{id}'].get;
  get.description = 'One product, in full';
  get.parameters[0].description = 'the product id';
  get.parameters.push({ name: 'lang', in: 'query', schema: { type: 'string' } });
  get.responses = ok({ type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } });
  delete spec.paths['/products/{id}'].delete;
  spec.paths['/orders'] = { post: { operationId: 'createOrder', responses: ok() } };
  return spec;
}

async function setup(): Promise<{ project: string; v1: string; v2: string }> {
  const specs = await writeSpecFiles({ 'v1.json': specV1(), 'v2.json': specV2() });
  const project = join(specs, 'shop');
  await createProject(project, { name: 'shop' });
  dirs.push(specs);
  return { project, v1: join(specs, 'v1.json'), v2: join(specs, 'v2.json') };
}

async function connector(project: string, name = 'catalog'): Promise<Connector> {
  const { project: p, problems } = await loadProject(project);
  expect(problems.filter((x) => x.severity === 'error')).toEqual([]);
  return p.connectors.find((c) => c.name === name)!;
}

const txOf = (c: Connector, name: string): Transaction & Record<string, unknown> => c.transactions.find((t) => t.name === name) as Transaction & Record<string, unknown>;

describe('import into a project', () => {
  it('writes the connector, one schema file per transaction and the import record; a dry run writes nothing', async () => {
    const { project, v1 } = await setup();
    const dry = await importOpenApi(project, v1, { dryRun: true });
    expect(dry).toMatchObject({ connector: 'catalog', imported: 3, dryRun: true, written: [] });
    expect(dry.diff.added).toEqual(['getProduct', 'deleteProduct', 'listProducts']);
    await expect(access(join(project, 'connectors/catalog.yaml'))).rejects.toThrow();

    const s = await importOpenApi(project, v1);
    expect(s.diff).toEqual({ added: ['getProduct', 'deleteProduct', 'listProducts'], updated: [], removed: [], unchanged: 0, config: [] });
    expect(s.written.sort()).toEqual(['connectors/catalog.yaml', 'imports/catalog.openapi.json', 'schemas/catalog.getProduct.json', 'schemas/catalog.listProducts.json']);
    const c = await connector(project);
    expect(c.config).toMatchObject({ host: 'api.example.com', https: true, basePath: '/v1', auth: { type: 'apiKey', name: 'X-Key', value: '${env:CATALOG_API_KEY}', in: 'header' } });
    expect(c.transactions.map((t) => t.name)).toEqual(['getProduct', 'deleteProduct', 'listProducts']);
    const schema = JSON.parse(await readFile(join(project, 'schemas/catalog.getProduct.json'), 'utf8'));
    expect(schema).toEqual({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { id: { type: 'integer' } } });
    const yaml = await readFile(join(project, 'connectors/catalog.yaml'), 'utf8');
    expect(yaml).not.toMatch(/secret-value/);

    // importing the same spec again changes nothing
    const again = await importOpenApi(project, v1);
    expect(again.diff).toEqual({ added: [], updated: [], removed: [], unchanged: 3, config: [] });
    expect(await readFile(join(project, 'connectors/catalog.yaml'), 'utf8')).toBe(yaml);
  });

  it('re-import keeps the developer’s edits, takes the spec’s changes and marks removed operations', async () => {
    const { project, v1, v2 } = await setup();
    await importOpenApi(project, v1);
    // The developer: renames a transaction and a variable, sets a default, adds notes and a header, edits the schema of listProducts.
    const c = await connector(project);
    const get = txOf(c, 'getProduct');
    get.name = 'product';
    get.path = '/products/{productId}';
    get.notes = 'used by the product card';
    get.variables = get.variables.map((v) => (v.name === 'id' ? { ...v, name: 'productId', wireName: 'id' } : v.name === 'fields' ? { ...v, default: 'name,price' } : v));
    c.config = { ...c.config, timeoutMs: 5000 };
    await saveConnector(project, c);
    await writeFile(join(project, 'schemas/catalog.listProducts.json'), '{"type":"array","items":{"type":"object","properties":{"sku":{"type":"string"}}}}\n');

    // the studio's preview: per operation, against the project and the record of the last import
    const status = operationStatus(await readOpenApi(v2), await connector(project), (await readImportRecord(project, 'catalog'))?.connector);
    expect(Object.fromEntries(status)).toEqual({ getProduct: 'changed', listProducts: 'same', createOrder: 'new' });
    const dry = await importOpenApi(project, v2, { dryRun: true });
    expect(dry.diff).toEqual({ added: ['createOrder'], updated: ['product'], removed: ['deleteProduct'], unchanged: 1, config: ['host'] });
    const s = await importOpenApi(project, v2);
    expect(s.diff).toEqual(dry.diff);
    expect(s.warnings.find((w) => w.code === 'schema-kept')!.message).toContain('schemas/catalog.listProducts.json');

    const after = await connector(project);
    expect(after.config).toMatchObject({ host: 'api2.example.com', timeoutMs: 5000 });
    expect(after.transactions.map((t) => t.name)).toEqual(['product', 'deleteProduct', 'listProducts', 'createOrder']);
    const product = txOf(after, 'product');
    expect(product).toMatchObject({ path: '/products/{productId}', notes: 'used by the product card', description: 'One product, in full' });
    expect(product.removed).toBeUndefined();
    expect(product.variables).toEqual([
      { name: 'productId', type: 'integer', in: 'path', required: true, wireName: 'id', description: 'the product id' },
      { name: 'fields', type: 'string', in: 'query', default: 'name,price' },
      { name: 'lang', type: 'string', in: 'query' },
    ]);
    expect(txOf(after, 'deleteProduct').removed).toBe(true);
    // the renamed transaction's schema follows its name; the edited one is kept
    expect(JSON.parse(await readFile(join(project, 'schemas/catalog.product.json'), 'utf8')).properties).toHaveProperty('name');
    expect(await readFile(join(project, 'schemas/catalog.listProducts.json'), 'utf8')).toContain('sku');
  });

  it('a setting the developer changed stays unless the spec changed it too (then: a conflict warning)', async () => {
    const { project, v1, v2 } = await setup();
    await importOpenApi(project, v1);
    const c = await connector(project);
    c.config = { ...c.config, host: 'staging.example.com' };
    await saveConnector(project, c);
    // v1 again: the spec did not change the host → the developer's host stays
    await importOpenApi(project, v1);
    expect((await connector(project)).config.host).toBe('staging.example.com');
    // v2 changes the host too → the developer's value stays, with a conflict warning
    const s = await importOpenApi(project, v2);
    expect((await connector(project)).config.host).toBe('staging.example.com');
    expect(s.warnings.find((w) => w.code === 'merge-conflict')!.message).toMatch(/config\.host .*"staging\.example\.com".*"api2\.example\.com"/);
  });

  it('importing some operations only (the wizard’s checkboxes) adds them and marks nothing removed', async () => {
    const { project, v1, v2 } = await setup();
    const first = await importOpenApi(project, v1, { include: ['getProduct', 'GET /products'] });
    expect(first.diff.added).toEqual(['getProduct', 'listProducts']);
    const s = await importOpenApi(project, v2, { include: ['createOrder'] });
    expect(s.diff).toMatchObject({ added: ['createOrder'], removed: [] });
    expect((await connector(project)).transactions.map((t) => t.name)).toEqual(['getProduct', 'listProducts', 'createOrder']);
  });

  it('refuses to merge into a connector of another kind', async () => {
    const { project, v1 } = await setup();
    await saveConnector(project, { name: 'catalog', kind: 'sql', config: {}, transactions: [] });
    await expect(importOpenApi(project, v1)).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/catalog exists and is a sql connector/) });
  });

  it('--connector names the connector; the spec error surfaces unchanged', async () => {
    const { project, v1 } = await setup();
    const s = await importOpenApi(project, v1, { connectorName: 'shopApi' });
    expect(s.connector).toBe('shopApi');
    expect((await connector(project, 'shopApi')).config.auth).toMatchObject({ value: '${env:SHOP_API_API_KEY}' });
    await expect(importOpenApi(project, join(project, 'nope.yaml'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('merge without a record of the previous import', () => {
  it('keeps settings, descriptions and defaults of the project; takes the rest from the spec', () => {
    const existing: Connector = {
      name: 'c',
      kind: 'http',
      config: { host: 'mine.example.com', https: true, basePath: '/' },
      transactions: [
        { name: 'a', type: 'json', method: 'GET', path: '/a/{id}', description: 'mine', variables: [{ name: 'ident', type: 'string', in: 'path', required: true }, { name: 'q', type: 'string', in: 'query', default: 'x' }] } as Transaction,
        { name: 'gone', type: 'json', method: 'GET', path: '/gone', variables: [] } as Transaction,
      ],
    };
    const incoming: Connector = {
      name: 'c',
      kind: 'http',
      config: { host: 'spec.example.com', https: true, basePath: '/' },
      transactions: [{ name: 'getA', type: 'text', method: 'GET', path: '/a/{id}', description: 'spec', variables: [{ name: 'id', type: 'integer', in: 'path', required: true }, { name: 'q', type: 'string', in: 'query', default: 'y' }] } as Transaction],
    };
    const r = mergeConnector({ existing, incoming });
    expect(r.connector.config.host).toBe('mine.example.com');
    expect(r.warnings.map((w) => w.code)).toContain('config-kept');
    const a = r.connector.transactions[0] as Transaction & Record<string, unknown>;
    expect(a).toMatchObject({ name: 'a', type: 'text', description: 'mine' });
    // `ident` matched nothing on the wire and has no placeholder in the path: it goes; the spec's `id` comes
    expect(a.variables.map((v) => v.name)).toEqual(['id', 'q']);
    expect(r.warnings.map((w) => w.code)).toContain('variable-dropped');
    expect(a.variables.find((v) => v.name === 'q')!.default).toBe('x');
    expect((r.connector.transactions[1] as Record<string, unknown>).removed).toBe(true);
    expect(r.diff).toMatchObject({ updated: ['a'], removed: ['gone'], added: [] });
  });
});
