import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/http-server.js';
import type { Runtime } from '../../src/runtime/server.js';
import { startUpstream, writeShop } from './fixture.js';
import { call, removeDir, serve } from './helpers.js';

let upstream: TestServer;
let runtime: Runtime;
let dir: string;

const userSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' }, id: { type: 'integer' }, tags: { type: 'array', items: { $ref: '#/$defs/Tag' } } },
  required: ['name', 'id'],
  $defs: { Tag: { type: 'string' } },
};

beforeAll(async () => {
  upstream = await startUpstream();
  dir = await writeShop(upstream.host, {
    'schemas/userCard.json': userSchema,
    'schemas/crm.getUser.json': { type: 'object', properties: { id: { type: 'integer' } } },
    'mappings.yaml': {
      routes: [
        { method: 'GET', path: '/users/{id}', target: { sequence: 'userCard' }, description: 'one user', response: { emptyStatus: 404, headers: { 'Cache-Control': 'max-age=5' } } },
        { method: 'POST', path: '/users', target: { sequence: 'userCard' }, response: { status: 201 } },
        { method: 'GET', path: '/members/{memberId}', target: { transaction: 'crm.getUser' }, params: { memberId: { from: 'path', variable: 'id' }, 'X-Tag': { from: 'header', variable: 'tag' } } },
      ],
    },
  });
  runtime = await serve([dir]);
});

afterAll(async () => {
  await runtime?.close();
  await upstream?.close();
  await removeDir(dir);
});

describe('/projects/<p>/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document of what is exposed', async () => {
    const r = await call(`${runtime.url}/projects/shop/openapi.json`);
    expect(r.status).toBe(200);
    const doc = r.body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'shop', version: 'dev', description: 'runtime test project' });
    await SwaggerParser.validate(structuredClone(doc));

    const paths = Object.keys(doc.paths).sort();
    expect(paths).toContain('/projects/shop/sequences/userCard');
    expect(paths).toContain('/projects/shop/transactions/crm/getUser');
    expect(paths).toContain('/projects/shop/transactions/crm/boom');
    expect(paths).not.toContain('/projects/shop/sequences/internal');
    expect(paths).not.toContain('/projects/shop/transactions/crm/hidden');
    expect(paths).toEqual(expect.arrayContaining(['/shop/users/{id}', '/shop/users', '/shop/members/{memberId}']));
  });

  it('takes request bodies and parameters from the variable types, results from stored schemas', async () => {
    const doc = (await call(`${runtime.url}/projects/shop/openapi.json`)).body;
    const post = doc.paths['/projects/shop/sequences/userCard'].post;
    const body = post.requestBody.content['application/json'].schema;
    expect(body).toMatchObject({ type: 'object', required: ['id'], properties: { id: { type: 'integer' }, tag: { type: 'array', items: { type: 'string' } }, loud: { type: 'boolean', default: false } } });
    expect(post.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/userCard' });
    expect(doc.components.schemas.userCard.properties.tags.items).toEqual({ $ref: '#/components/schemas/userCard/$defs/Tag' });
    const get = doc.paths['/projects/shop/sequences/userCard'].get;
    expect(get.parameters.find((p: { name: string }) => p.name === 'id')).toMatchObject({ in: 'query', required: true, schema: { type: 'integer' } });

    const member = doc.paths['/shop/members/{memberId}'].get;
    expect(member.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'memberId', in: 'path', required: true, schema: { type: 'integer' } }),
        expect.objectContaining({ name: 'X-Tag', in: 'header' }),
      ]),
    );
    expect(member.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/crm.getUser' });
    const one = doc.paths['/shop/users/{id}'].get;
    expect(one.responses['404']).toBeDefined();
    expect(one.responses['200'].headers['Cache-Control']).toBeDefined();
    expect(doc.paths['/shop/users'].post.responses['201']).toBeDefined();
  });

  it('serves the API reference page and its assets locally (no CDN)', async () => {
    const redirect = await fetch(`${runtime.url}/projects/shop/docs`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/projects/shop/docs/');
    const page = await call(`${runtime.url}/projects/shop/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const src of page.text.match(/(?:src|href)="([^"]+)"/g)!.map((m) => m.split('"')[1]!)) {
      const asset = await fetch(`${runtime.url}/projects/shop/docs/${src}`);
      expect(asset.status, src).toBe(200);
    }
    const init = await call(`${runtime.url}/projects/shop/docs/init.js`);
    expect(init.text).toContain("url: '../openapi.json'");
    expect((await call(`${runtime.url}/projects/shop/docs/package.json`)).status).toBe(404);
  });
});
