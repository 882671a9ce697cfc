import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { TrellisError } from '../../src/engine/errors.js';
import { connectorNameFromTitle, readOpenApi } from '../../src/openapi/import.js';
import { nameFromPath } from '../../src/openapi/operations.js';
import type { ImportPlan } from '../../src/openapi/types.js';
import type { Transaction, Variable } from '../../src/model/index.js';
import { checkPlan, codes, writeSpecFiles } from './helpers.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Maps an in-memory spec (object → JSON file, string → YAML file), plus extra files it references. */
async function mapSpec(spec: object | string, extra: Record<string, string | object> = {}, opts: { server?: number; connectorName?: string } = {}): Promise<ImportPlan> {
  const entry = typeof spec === 'string' ? 'spec.yaml' : 'spec.json';
  const dir = await writeSpecFiles({ [entry]: spec, ...extra });
  dirs.push(dir);
  const plan = await readOpenApi(join(dir, entry), opts);
  checkPlan(plan);
  return plan;
}

async function failure(spec: object | string, extra: Record<string, string | object> = {}): Promise<TrellisError> {
  try {
    await mapSpec(spec, extra);
  } catch (e) {
    expect(e).toBeInstanceOf(TrellisError);
    return e as TrellisError;
  }
  throw new Error('expected the import to fail');
}

function tx(plan: ImportPlan, name: string): Transaction & Record<string, unknown> {
  const t = plan.connector.transactions.find((x) => x.name === name);
  if (!t) throw new Error(`no transaction ${name} in ${plan.connector.transactions.map((x) => x.name).join(', ')}`);
  return t as Transaction & Record<string, unknown>;
}

function v(t: Transaction, name: string): Variable {
  const found = t.variables.find((x) => x.name === name);
  if (!found) throw new Error(`no variable ${name} in ${t.name}: ${t.variables.map((x) => x.name).join(', ')}`);
  return found;
}

const ok = { '200': { description: 'ok' } };
const oas = (paths: object, more: object = {}): object => ({ openapi: '3.0.3', info: { title: 'Test API', version: '1' }, paths, ...more });

describe('connector address', () => {
  it('servers: variables take their defaults, the port is kept, the index picks a server', async () => {
    const spec = oas(
      { '/a': { get: { responses: ok } } },
      {
        servers: [
          { url: '{scheme}://api.example.com:{port}/{version}/', variables: { scheme: { enum: ['https', 'http'], default: 'https' }, port: { default: '8443' }, version: { default: 'v2' } } },
          { url: 'http://staging.example.com/base' },
        ],
      },
    );
    const first = await mapSpec(spec);
    expect(first.connector.config).toMatchObject({ host: 'api.example.com', https: true, port: 8443, basePath: '/v2' });
    expect(first.servers).toEqual(['https://api.example.com:8443/v2/', 'http://staging.example.com/base']);
    expect(first.serverIndex).toBe(0);
    const second = await mapSpec(spec, {}, { server: 1 });
    expect(second.connector.config).toMatchObject({ host: 'staging.example.com', https: false, basePath: '/base' });
    expect(second.connector.config.port).toBeUndefined();
    await expect(mapSpec(spec, {}, { server: 5 })).rejects.toThrow(/server 5: the spec has 2 servers/);
  });

  it('a relative server read from a file: localhost, the path kept, a warning', async () => {
    const p = await mapSpec(oas({ '/a': { get: { responses: ok } } }, { servers: [{ url: '/api/v3' }] }));
    expect(p.connector.config).toMatchObject({ host: 'localhost', https: false, basePath: '/api/v3' });
    expect(p.warnings.find((w) => w.code === 'relative-server')).toMatchObject({ pointer: '/servers/0' });
  });

  it('no servers: localhost with a warning', async () => {
    const p = await mapSpec(oas({ '/a': { get: { responses: ok } } }));
    expect(p.connector.config).toMatchObject({ host: 'localhost', basePath: '/' });
    expect(codes(p.warnings)).toContain('no-servers');
  });

  it('Swagger 2: host with port, basePath, https preferred among schemes', async () => {
    const p = await mapSpec({ swagger: '2.0', info: { title: 'S', version: '1' }, host: 'api.example.com:8080', basePath: '/v1/', schemes: ['http', 'https'], paths: { '/a': { get: { responses: ok } } } });
    expect(p.connector.config).toMatchObject({ host: 'api.example.com', port: 8080, https: true, basePath: '/v1' });
    expect(p.servers).toEqual(['http://api.example.com:8080/v1', 'https://api.example.com:8080/v1']);
    expect(p.serverIndex).toBe(1);
  });

  it('operation servers under the same host become a path prefix; other hosts are reported', async () => {
    const p = await mapSpec(
      oas(
        {
          '/files': { post: { operationId: 'upload', servers: [{ url: 'https://upload.example.com/2.0' }], responses: ok } },
          '/b': { get: { operationId: 'special', servers: [{ url: 'https://api.example.com/2.0/special' }], responses: ok } },
        },
        { servers: [{ url: 'https://api.example.com/2.0' }] },
      ),
    );
    expect(tx(p, 'special').path).toBe('/special/b');
    expect(tx(p, 'upload').path).toBe('/files');
    const w = p.warnings.find((x) => x.code === 'operation-server')!;
    expect(w.message).toContain('https://upload.example.com/2.0');
    expect(w.message).toContain('POST /files');
  });
});

describe('security schemes → connector auth (secrets as ${env:NAME})', () => {
  const withScheme = (scheme: object, security = true): object =>
    oas({ '/a': { get: { responses: ok } } }, { components: { securitySchemes: { s: scheme } }, ...(security ? { security: [{ s: [] }] } : {}) });

  it('apiKey in header and in query', async () => {
    const h = await mapSpec(withScheme({ type: 'apiKey', in: 'header', name: 'X-API-Key' }), {}, { connectorName: 'petstore' });
    expect(h.connector.config.auth).toEqual({ type: 'apiKey', name: 'X-API-Key', value: '${env:PETSTORE_API_KEY}', in: 'header' });
    const q = await mapSpec(withScheme({ type: 'apiKey', in: 'query', name: 'key' }), {}, { connectorName: 'petstore' });
    expect(q.connector.config.auth).toEqual({ type: 'apiKey', name: 'key', value: '${env:PETSTORE_API_KEY}', in: 'query' });
  });

  it('apiKey in a cookie: a secret cookie variable on each operation, and a warning', async () => {
    const p = await mapSpec(withScheme({ type: 'apiKey', in: 'cookie', name: 'session-id' }));
    expect(p.connector.config.auth).toEqual({ type: 'none' });
    expect(v(tx(p, 'getA'), 'session-id')).toMatchObject({ in: 'cookie', secret: true, required: true, type: 'string' });
    expect(p.warnings.find((w) => w.code === 'cookie-api-key')!.message).toMatch(/cookie/);
  });

  it('http basic, http Bearer (any case), Swagger 2 basic', async () => {
    const b = await mapSpec(withScheme({ type: 'http', scheme: 'basic' }), {}, { connectorName: 'shopApi' });
    expect(b.connector.config.auth).toEqual({ type: 'basic', username: '${env:SHOP_API_USERNAME}', password: '${env:SHOP_API_PASSWORD}' });
    const t = await mapSpec(withScheme({ type: 'http', scheme: 'Bearer', bearerFormat: 'JWT' }), {}, { connectorName: 'shop' });
    expect(t.connector.config.auth).toEqual({ type: 'bearer', token: '${env:SHOP_TOKEN}' });
    expect(t.warnings).toEqual([expect.objectContaining({ code: 'no-servers' })]);
    const s2 = await mapSpec({ swagger: '2.0', info: { title: 'x', version: '1' }, host: 'h.example.com', schemes: ['https'], securityDefinitions: { b: { type: 'basic' } }, security: [{ b: [] }], paths: { '/a': { get: { responses: ok } } } });
    expect(s2.connector.config.auth).toMatchObject({ type: 'basic' });
  });

  it('OAuth2 and OpenID Connect: a bearer token with a note on how to get one', async () => {
    const o = await mapSpec(withScheme({ type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://auth.example.com/token', scopes: {} } } }), {}, { connectorName: 'shop' });
    expect(o.connector.config.auth).toEqual({ type: 'bearer', token: '${env:SHOP_TOKEN}' });
    const w = o.warnings.find((x) => x.code === 'oauth2-as-bearer')!;
    expect(w.message).toContain('https://auth.example.com/token');
    expect(w.pointer).toBe('/components/securitySchemes/s');
    const i = await mapSpec(withScheme({ type: 'openIdConnect', openIdConnectUrl: 'https://auth.example.com/.well-known/openid-configuration' }));
    expect(i.connector.config.auth).toMatchObject({ type: 'bearer' });
    expect(codes(i.warnings)).toContain('openid-as-bearer');
  });

  it('without global security, the scheme most operations use; others are reported', async () => {
    const p = await mapSpec(
      oas(
        {
          '/a': { get: { security: [{ key: [] }], responses: ok } },
          '/b': { get: { security: [{ key: [] }], responses: ok } },
          '/c': { get: { security: [{ basic: [] }], responses: ok } },
          '/d': { get: { security: [], responses: ok } },
        },
        { components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' }, basic: { type: 'http', scheme: 'basic' } } } },
      ),
    );
    expect(p.connector.config.auth).toMatchObject({ type: 'apiKey', name: 'X-Key' });
    const w = p.warnings.find((x) => x.code === 'security-not-applied')!;
    expect(w.message).toContain('"basic"');
    expect(w.message).toContain('GET /c');
  });
});

describe('operations and variables', () => {
  it('names: operationId sanitized and unique, else readable camelCase from method and path', async () => {
    expect(nameFromPath('get', '/products/{id}')).toBe('getProductsById');
    expect(nameFromPath('post', '/v2/gen-ai/agents/{agent_uuid}/api_keys')).toBe('postV2GenAiAgentsByAgentUuidApiKeys');
    expect(nameFromPath('get', '/')).toBe('getRoot');
    expect(connectorNameFromTitle('Swagger Petstore - OpenAPI 3.0')).toBe('swaggerPetstoreOpenAPI30');
    expect(connectorNameFromTitle('DigitalOcean API')).toBe('digitalOceanApi');
    const p = await mapSpec(oas({ '/products/{id}': { get: { operationId: 'get product (v2)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: ok } }, '/x': { get: { responses: ok } } }));
    expect(p.connector.transactions.map((t) => t.name)).toEqual(['get_product_v2', 'getX']);
  });

  it('path-level parameters merge; the operation overrides the same name and location', async () => {
    const p = await mapSpec(
      oas({
        '/items/{id}': {
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
            { name: 'trace', in: 'header', schema: { type: 'string' } },
          ],
          summary: 'Item',
          get: { parameters: [{ name: 'id', in: 'path', required: true, description: 'the id', schema: { type: 'string', format: 'uuid' } }], responses: ok },
          delete: { responses: ok },
        },
      }),
    );
    expect(v(tx(p, 'getItemsById'), 'id')).toEqual({ name: 'id', type: 'string', in: 'path', required: true, format: 'uuid', description: 'the id' });
    expect(v(tx(p, 'getItemsById'), 'trace')).toMatchObject({ in: 'header', type: 'string' });
    expect(v(tx(p, 'deleteItemsById'), 'id')).toMatchObject({ type: 'integer' });
    expect(tx(p, 'deleteItemsById').summary).toBe('Item');
  });

  it('types, formats, defaults, enums; arrays are multivalued with style and explode', async () => {
    const p = await mapSpec(
      oas({
        '/s': {
          get: {
            parameters: [
              { name: 'limit', in: 'query', schema: { type: 'integer', format: 'int32', default: '20' } },
              { name: 'ratio', in: 'query', schema: { type: 'number', default: 0.5 } },
              { name: 'flag', in: 'query', required: true, schema: { type: 'boolean' } },
              { name: 'sort', in: 'query', schema: { type: 'string', enum: ['asc', 'desc', null], default: 'asc' } },
              { name: 'tags', in: 'query', schema: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } } },
              { name: 'ids', in: 'query', style: 'pipeDelimited', explode: false, schema: { type: 'array', items: { type: 'integer', format: 'int64' } } },
              { name: 'filter', in: 'query', style: 'deepObject', explode: true, schema: { type: 'object', properties: { a: { type: 'string' } } } },
              { name: 'X-Ids', in: 'header', schema: { type: 'array', items: { type: 'string' } } },
              { name: 'sess', in: 'cookie', schema: { type: 'string' } },
              { name: 'id', in: 'query', schema: { type: ['integer', 'null'] } },
            ],
            responses: ok,
          },
        },
      }),
    );
    const t = tx(p, 'getS');
    expect(v(t, 'limit')).toEqual({ name: 'limit', type: 'integer', in: 'query', default: 20, format: 'int32' });
    expect(v(t, 'ratio')).toMatchObject({ type: 'number', default: 0.5 });
    expect(v(t, 'flag')).toMatchObject({ type: 'boolean', required: true });
    expect(v(t, 'sort')).toMatchObject({ type: 'string', enum: ['asc', 'desc'], default: 'asc' });
    expect(v(t, 'tags')).toEqual({ name: 'tags', type: 'string', in: 'query', multivalued: true, style: 'form', explode: true, enum: ['a', 'b'] });
    expect(v(t, 'ids')).toMatchObject({ type: 'integer', multivalued: true, style: 'pipeDelimited', explode: false, format: 'int64' });
    expect(v(t, 'filter')).toMatchObject({ type: 'json', style: 'deepObject', explode: true });
    expect(v(t, 'X-Ids')).toMatchObject({ in: 'header', multivalued: true, style: 'simple', explode: false });
    expect(v(t, 'sess')).toMatchObject({ in: 'cookie' });
    expect(v(t, 'id')).toMatchObject({ type: 'integer' });
  });

  it('Swagger 2 collectionFormat → style/explode', async () => {
    const p = await mapSpec({
      swagger: '2.0',
      info: { title: 'x', version: '1' },
      host: 'h.example.com',
      paths: {
        '/s': {
          get: {
            parameters: [
              { name: 'a', in: 'query', type: 'array', items: { type: 'string' } },
              { name: 'b', in: 'query', type: 'array', items: { type: 'integer' }, collectionFormat: 'multi' },
              { name: 'c', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'pipes' },
            ],
            responses: ok,
          },
        },
      },
    });
    const t = tx(p, 'getS');
    expect(v(t, 'a')).toMatchObject({ multivalued: true, style: 'form', explode: false });
    expect(v(t, 'b')).toMatchObject({ type: 'integer', multivalued: true, style: 'form', explode: true });
    expect(v(t, 'c')).toMatchObject({ style: 'pipeDelimited', explode: false });
  });

  it('names that are not valid variable names keep their wire name; clashes get unique names', async () => {
    const p = await mapSpec(
      oas({
        '/users/{user id}': {
          get: {
            parameters: [
              { name: 'user id', in: 'path', required: true, schema: { type: 'string' } },
              { name: 'id', in: 'query', schema: { type: 'string' } },
              { name: 'id', in: 'header', schema: { type: 'string' } },
              { name: 'page[size]', in: 'query', schema: { type: 'integer' } },
            ],
            responses: ok,
          },
        },
      }),
    );
    const t = tx(p, 'getUsersByUserId');
    expect(t.path).toBe('/users/{user_id}');
    expect(v(t, 'user_id')).toMatchObject({ in: 'path', wireName: 'user id' });
    expect(v(t, 'id')).toMatchObject({ in: 'query' });
    expect(v(t, 'id_2')).toMatchObject({ in: 'header', wireName: 'id' });
    expect(v(t, 'page_size')).toMatchObject({ in: 'query', wireName: 'page[size]' });
  });

  it('the whole-body variable is always named body; a parameter of that name yields', async () => {
    const p = await mapSpec(oas({ '/x': { post: { parameters: [{ name: 'body', in: 'query', schema: { type: 'string' } }], requestBody: { content: { 'application/json': { schema: { type: 'array', items: {} } } } }, responses: ok } } }));
    expect(tx(p, 'postX').variables).toEqual([
      { name: 'body_2', type: 'string', in: 'query', wireName: 'body' },
      { name: 'body', type: 'json', in: 'body' },
    ]);
  });

  it('JSON body: `body` plus one in: body variable per property of a flat object', async () => {
    const p = await mapSpec(
      oas(
        {
          '/pets/{id}': {
            put: {
              parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
              requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } }, 'application/xml': { schema: { $ref: '#/components/schemas/Pet' } } } },
              responses: ok,
            },
          },
          '/nested': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string' } } } } } } } }, responses: ok } },
        },
        {
          components: {
            schemas: {
              Base: { type: 'object', required: ['name'], properties: { id: { type: 'string' }, created: { type: 'string', format: 'date-time', readOnly: true }, name: { type: 'string' } } },
              Pet: { allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } }, status: { type: 'string', enum: ['a', 'b'], default: 'a' } } }] },
            },
          },
        },
      ),
    );
    const put = tx(p, 'putPetsById');
    expect(put.contentType).toBe('application/json');
    expect(put.variables.map((x) => `${x.name}:${x.in}`)).toEqual(['id:path', 'body:body', 'id_2:body', 'name:body', 'tags:body', 'status:body']);
    expect(v(put, 'body')).toMatchObject({ type: 'json' });
    expect(v(put, 'body').required).toBeUndefined();
    expect(v(put, 'name')).toMatchObject({ type: 'string', required: true });
    expect(v(put, 'tags')).toMatchObject({ type: 'string', multivalued: true });
    expect(v(put, 'status')).toMatchObject({ enum: ['a', 'b'], description: 'Default: "a".' });
    expect(v(put, 'status').default).toBeUndefined();
    expect(v(put, 'id_2')).toMatchObject({ wireName: 'id', type: 'string' });
    const nested = tx(p, 'postNested');
    expect(nested.variables).toEqual([{ name: 'body', type: 'json', in: 'body' }]);
  });

  it('form and multipart bodies: one in: form variable per field, binary parts are files', async () => {
    const p = await mapSpec(
      oas({
        '/form': { post: { requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['q'], properties: { q: { type: 'string' }, n: { type: 'integer', default: 10 }, tags: { type: 'array', items: { type: 'string' } } } } } } }, responses: ok } },
        '/upload': {
          post: {
            requestBody: {
              content: {
                'multipart/form-data': {
                  schema: { type: 'object', properties: { meta: { type: 'object', properties: { a: { type: 'string' } } }, file: { type: 'string', format: 'binary' }, more: { type: 'array', items: { type: 'string', format: 'binary' } } } },
                  encoding: { meta: { contentType: 'application/json' } },
                },
              },
            },
            responses: ok,
          },
        },
        '/raw': { post: { requestBody: { content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } }, responses: ok } },
        '/text': { post: { requestBody: { content: { 'text/plain': { schema: { type: 'string' } } } }, responses: ok } },
      }),
    );
    const form = tx(p, 'postForm');
    expect(form.contentType).toBe('application/x-www-form-urlencoded');
    expect(form.variables).toEqual([
      { name: 'q', type: 'string', in: 'form', required: true },
      { name: 'n', type: 'integer', in: 'form', default: 10 },
      { name: 'tags', type: 'string', in: 'form', multivalued: true, style: 'form', explode: true },
    ]);
    const up = tx(p, 'postUpload');
    expect(up.contentType).toBe('multipart/form-data');
    expect(v(up, 'meta')).toMatchObject({ type: 'json', in: 'form', contentType: 'application/json' });
    expect(v(up, 'file')).toMatchObject({ type: 'file', in: 'form' });
    expect(v(up, 'more')).toMatchObject({ type: 'file', multivalued: true });
    expect(tx(p, 'postRaw').variables).toEqual([{ name: 'body', type: 'file', in: 'body' }]);
    expect(tx(p, 'postRaw').contentType).toBe('image/png');
    expect(tx(p, 'postText').variables).toEqual([{ name: 'body', type: 'string', in: 'body' }]);
  });

  it('Swagger 2 formData: urlencoded, or multipart when a part is a file', async () => {
    const p = await mapSpec({
      swagger: '2.0',
      info: { title: 'x', version: '1' },
      host: 'h.example.com',
      paths: {
        '/f': { post: { consumes: ['application/x-www-form-urlencoded'], parameters: [{ name: 'a', in: 'formData', type: 'string', required: true }], responses: ok } },
        '/u': { post: { consumes: ['multipart/form-data'], parameters: [{ name: 'f', in: 'formData', type: 'file' }, { name: 'n', in: 'formData', type: 'string' }], responses: ok } },
      },
    });
    expect(tx(p, 'postF')).toMatchObject({ contentType: 'application/x-www-form-urlencoded', variables: [{ name: 'a', type: 'string', in: 'form', required: true }] });
    expect(tx(p, 'postU').contentType).toBe('multipart/form-data');
    expect(v(tx(p, 'postU'), 'f')).toMatchObject({ type: 'file', in: 'form' });
  });

  it('type from the success response: json, xml, text, binary; Accept when several are offered', async () => {
    const p = await mapSpec(
      oas({
        '/j': { get: { responses: { '201': { description: 'x', content: { 'application/xml': {}, 'application/problem+json': {} } }, '200': { description: 'x', content: { 'application/xml': {}, 'application/json': {} } } } } },
        '/x': { get: { responses: { '200': { description: 'x', content: { 'text/xml': {} } } } } },
        '/t': { get: { responses: { '2XX': { description: 'x', content: { 'text/csv': {} } } } } },
        '/b': { get: { responses: { default: { description: 'x', content: { 'application/pdf': {} } } } } },
        '/n': { delete: { responses: { '204': { description: 'none' } } } },
      }),
    );
    expect(tx(p, 'getJ')).toMatchObject({ type: 'json', headers: { Accept: 'application/json' } });
    expect(tx(p, 'getX')).toMatchObject({ type: 'xml' });
    expect(tx(p, 'getX').headers).toBeUndefined();
    expect(tx(p, 'getT').type).toBe('text');
    expect(tx(p, 'getB').type).toBe('binary');
    expect(tx(p, 'deleteN').type).toBe('json');
  });

  it('a method the HTTP connector cannot send is skipped and listed', async () => {
    const p = await mapSpec(oas({ '/a': { get: { responses: ok }, trace: { responses: ok } } }));
    const methods = p.connector.transactions.map((t) => (t as Record<string, unknown>).method);
    expect(methods).toContain('GET');
    if (!methods.includes('TRACE')) {
      expect(p.skipped).toEqual([{ operation: 'TRACE /a', reason: 'the HTTP connector does not send TRACE requests' }]);
      expect(codes(p.warnings)).toContain('method-unsupported');
    }
  });

  it('tags, summary, description and deprecated are kept', async () => {
    const p = await mapSpec(oas({ '/a': { get: { tags: ['pets', 'store'], summary: 'S', description: 'D', deprecated: true, responses: ok } } }));
    expect(tx(p, 'getA')).toMatchObject({ tags: ['pets', 'store'], summary: 'S', description: 'D', deprecated: true });
    expect(p.operations).toEqual([{ name: 'getA', method: 'GET', path: '/a', tags: ['pets', 'store'], summary: 'S', deprecated: true }]);
  });
});

describe('output schemas', () => {
  it('are JSON Schema 2020-12: nullable becomes a null type, examples are kept', async () => {
    const p = await mapSpec(
      oas(
        {
          '/pet': {
            get: {
              operationId: 'getPet',
              responses: {
                '200': {
                  description: 'ok',
                  content: {
                    'application/json': {
                      schema: { $ref: '#/components/schemas/Pet' },
                      examples: { cat: { value: { name: 'Tom' } }, dog: { $ref: '#/components/examples/Dog' } },
                    },
                  },
                },
              },
            },
          },
        },
        {
          components: {
            examples: { Dog: { value: { name: 'Rex' } } },
            schemas: {
              Pet: {
                type: 'object',
                properties: { name: { type: 'string', nullable: true, example: 'Tom' }, age: { type: 'integer', minimum: 0, exclusiveMinimum: true }, kind: { type: 'string', enum: ['cat', 'dog'], nullable: true } },
                discriminator: { propertyName: 'kind' },
                'x-internal': true,
              },
            },
          },
        },
      ),
      {},
      { connectorName: 'shop' },
    );
    expect(p.schemas['shop.getPet']).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        name: { type: ['string', 'null'], examples: ['Tom'] },
        age: { type: 'integer', exclusiveMinimum: 0 },
        kind: { type: ['string', 'null'], enum: ['cat', 'dog', null] },
      },
      examples: [{ name: 'Tom' }, { name: 'Rex' }],
    });
  });

  it('Swagger 2: x-nullable and response examples', async () => {
    const p = await mapSpec({
      swagger: '2.0',
      info: { title: 'x', version: '1' },
      host: 'h.example.com',
      produces: ['application/json'],
      paths: { '/a': { get: { operationId: 'a', responses: { '200': { description: 'ok', schema: { type: 'object', properties: { n: { type: 'string', 'x-nullable': true } } }, examples: { 'application/json': { n: null } } } } } } },
    }, {}, { connectorName: 'c' });
    expect(p.schemas['c.a']).toMatchObject({ properties: { n: { type: ['string', 'null'] } }, examples: [{ n: null }] });
  });

  it('circular schemas are stored finite, with $ref into $defs', async () => {
    const p = await mapSpec(
      oas(
        { '/tree': { get: { operationId: 'tree', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } } } } },
        {
          components: {
            schemas: {
              Node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } }, owner: { $ref: '#/components/schemas/Person' } } },
              Person: { type: 'object', properties: { best: { $ref: '#/components/schemas/Node' } } },
            },
          },
        },
      ),
      {},
      { connectorName: 'c' },
    );
    const s = p.schemas['c.tree']!;
    expect(s).toMatchObject({
      type: 'object',
      properties: {
        children: { type: 'array', items: { $ref: '#/$defs/Node' } },
        owner: { type: 'object', properties: { best: { $ref: '#/$defs/Node' } } },
      },
      $defs: { Node: { type: 'object', properties: { children: { items: { $ref: '#/$defs/Node' } } } } },
    });
    expect(JSON.stringify(s).length).toBeLessThan(2000);
  });
});

describe('lenient where the meaning is clear, strict where it is not', () => {
  it('fails when paths is not an object, naming file, pointer and reason', async () => {
    const e = await failure({ openapi: '3.0.0', info: { title: 'x', version: '1' }, paths: ['/a'] });
    expect(e.code).toBe('INVALID_SPEC');
    expect(e.message).toMatch(/spec\.json#\/paths: paths must be an object .*not a list/);
  });

  it('fails on YAML syntax errors with file:line:col', async () => {
    const e = await failure('openapi: 3.0.0\ninfo:\n  title: x\n  version: 1\npaths:\n  /a: [\n');
    expect(e.code).toBe('INVALID_SPEC');
    expect(e.message).toMatch(/spec\.yaml:\d+:\d+: not valid YAML or JSON/);
  });

  it('fails on a document that is not OpenAPI, or an unknown version', async () => {
    expect((await failure({ hello: 'world' })).message).toMatch(/spec\.json#: not an OpenAPI or Swagger document/);
    expect((await failure({ openapi: '4.0.0', info: {}, paths: {} })).message).toMatch(/#\/openapi: unsupported OpenAPI version/);
  });

  it('fails when an operation $ref cannot be read: the operations are not known', async () => {
    const e = await failure(oas({ '/a': { get: { $ref: 'ops/missing.yaml' } } }));
    expect(e.code).toBe('INVALID_SPEC');
    expect(e.message).toMatch(/spec\.json#\/paths\/~1a\/get: operation GET \/a cannot be read: \$ref "ops\/missing\.yaml": ops\/missing\.yaml: no such file \(referenced from .*spec\.json#\/paths\/~1a\/get\)$/);
  });

  it('skips, and lists, an operation whose parameter $ref is broken; the others import', async () => {
    const p = await mapSpec(oas({ '/a': { get: { parameters: [{ $ref: '#/components/parameters/nope' }], responses: ok } }, '/b': { get: { responses: ok } } }));
    expect(p.connector.transactions.map((t) => t.name)).toEqual(['getB']);
    expect(p.skipped).toEqual([{ operation: 'GET /a', reason: expect.stringMatching(/^parameter: .*spec\.json#\/paths\/~1a\/get\/parameters\/0: \$ref "#\/components\/parameters\/nope" cannot be resolved: .*spec\.json has nothing at \/components$/) }]);
    expect(codes(p.warnings)).toContain('operation-skipped');
  });

  it('ignores broken $refs inside x- extensions; versions written as numbers are read with a warning', async () => {
    const p = await mapSpec('openapi: 3.0\ninfo:\n  title: x\n  version: 2\nx-meta:\n  $ref: missing/file.yaml\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          description: ok\n');
    expect(p.connector.transactions).toHaveLength(1);
    expect(p.warnings.filter((w) => w.code === 'version-number').map((w) => w.pointer)).toEqual(['/openapi', '/info/version']);
  });

  it('operation $refs into other files are followed, with relative refs from there', async () => {
    const p = await mapSpec(
      'openapi: 3.0.0\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get:\n      $ref: ops/get-a.yaml\n',
      {
        'ops/get-a.yaml': 'operationId: getA\nparameters:\n  - $ref: ../params.yaml#/limit\nresponses:\n  "200":\n    description: ok\n    content:\n      application/json:\n        schema:\n          $ref: models/a.yaml\n',
        'params.yaml': 'limit:\n  name: limit\n  in: query\n  schema: {type: integer}\n',
        'ops/models/a.yaml': 'type: object\nproperties:\n  id: {type: integer}\n',
      },
      { connectorName: 'c' },
    );
    expect(v(tx(p, 'getA'), 'limit')).toMatchObject({ type: 'integer', in: 'query' });
    expect(p.schemas['c.getA']).toMatchObject({ type: 'object', properties: { id: { type: 'integer' } } });
    expect(p.warnings.find((w) => w.code === 'operation-ref')).toMatchObject({ pointer: '/paths/~1a/get', rule: expect.stringMatching(/cannot be a Reference/) });
  });

  it('files referenced under x- keys are read only when used (a property named x-…)', async () => {
    const p = await mapSpec(
      'openapi: 3.0.0\ninfo: {title: x, version: "1"}\nx-samples:\n  $ref: samples/missing.yaml\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  x-id:\n                    $ref: models/id.yaml\n',
      { 'models/id.yaml': 'type: integer\nformat: int64\n' },
      { connectorName: 'c' },
    );
    expect(p.schemas['c.a']).toMatchObject({ properties: { 'x-id': { type: 'integer', format: 'int64' } } });
    expect(p.spec.files).toBe(2);
    expect(p.warnings).toEqual([expect.objectContaining({ code: 'no-servers' })]);
  });

  it('duplicate YAML keys: the last wins, with a warning at the line', async () => {
    const p = await mapSpec('openapi: 3.0.0\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get:\n      responses: {"200": {description: ok}}\n    get:\n      operationId: second\n      responses: {"200": {description: ok}}\n');
    expect(p.connector.transactions.map((t) => t.name)).toEqual(['second']);
    expect(p.warnings.find((w) => w.code === 'duplicate-key')!.message).toMatch(/spec\.yaml:7:\d+: .*unique/);
  });
});
