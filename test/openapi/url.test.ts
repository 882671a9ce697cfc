import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOpenApi } from '../../src/openapi/import.js';
import { checkPlan, openapiDir } from './helpers.js';

// The corpus served over HTTP from 127.0.0.1: a multi-file spec whose relative $refs become URLs.
let server: Server;
let base = '';
const requests: string[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname);
    if (url.pathname === '/moved/swagger.yaml') {
      res.writeHead(302, { location: '/openapi/oai-petstore-separate-v2/spec/swagger.yaml' });
      res.end();
      return;
    }
    if (url.pathname === '/local-ref.yaml') {
      res.writeHead(200, { 'content-type': 'application/yaml' });
      res.end(`openapi: 3.0.0\ninfo: {title: L, version: "1"}\nservers: [{url: /}]\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: "file://${openapiDir}/oai-uber-v2.json#/definitions/Product"}\n`);
      return;
    }
    if (url.pathname === '/relative-server.yaml') {
      res.writeHead(200, { 'content-type': 'application/yaml' });
      res.end('openapi: 3.0.0\ninfo: {title: Rel, version: "1"}\nservers: [{url: /api/v1}]\npaths:\n  /a:\n    get:\n      responses: {"200": {description: ok}}\n');
      return;
    }
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^\/openapi\//, '');
    if (rel.startsWith('..') || url.pathname === rel) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(openapiDir, rel));
      res.writeHead(200, { 'content-type': rel.endsWith('.json') ? 'application/json' : 'application/yaml' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('import by URL', () => {
  it('a multi-file Swagger 2 spec: relative $refs across files are fetched as URLs', async () => {
    requests.length = 0;
    const progress: string[] = [];
    const p = await readOpenApi(`${base}/openapi/oai-petstore-separate-v2/spec/swagger.yaml`, { onProgress: (x) => progress.push(x.phase) });
    checkPlan(p);
    expect(p.connector.transactions).toHaveLength(4);
    expect(p.spec.files).toBe(5);
    expect(requests).toEqual(
      expect.arrayContaining([
        '/openapi/oai-petstore-separate-v2/spec/swagger.yaml',
        '/openapi/oai-petstore-separate-v2/spec/parameters.yaml',
        '/openapi/oai-petstore-separate-v2/spec/Pet.yaml',
        '/openapi/oai-petstore-separate-v2/spec/NewPet.yaml',
        '/openapi/oai-petstore-separate-v2/common/Error.yaml',
      ]),
    );
    expect(progress).toContain('load');
    expect(progress).toContain('map');
    const find = p.connector.transactions.find((t) => t.name === 'findPets')!;
    expect(find.variables.find((v) => v.name === 'tags')).toMatchObject({ in: 'query', multivalued: true });
    // The allOf across files (NewPet → Pet) is inlined in the output schema.
    expect(JSON.stringify(p.schemas['swaggerPetstore.addPet'])).toContain('"name"');
  });

  it('follows redirects and resolves relative $refs against the final URL', async () => {
    const p = await readOpenApi(`${base}/moved/swagger.yaml`);
    expect(p.connector.transactions).toHaveLength(4);
  });

  it('a relative server URL is relative to where the spec was read', async () => {
    const p = await readOpenApi(`${base}/relative-server.yaml`);
    expect(p.connector.config).toMatchObject({ host: '127.0.0.1', https: false, port: Number(new URL(base).port), basePath: '/api/v1' });
    expect(p.warnings).toEqual([]);
  });

  it('a spec read over HTTP cannot make the import read local files', async () => {
    const p = await readOpenApi(`${base}/local-ref.yaml`);
    expect(p.connector.transactions).toHaveLength(1);
    const w = p.warnings.find((x) => x.code === 'schema-ref-unresolved')!;
    expect(w.message).toContain('cannot reference local files');
    expect(JSON.stringify(p.schemas)).not.toContain('product_id');
  });

  it('a large single-file spec by URL', async () => {
    const p = await readOpenApi(`${base}/openapi/box-v3.0.json`);
    expect(p.connector.transactions).toHaveLength(296);
  });

  it('a missing URL fails with the URL and the HTTP status', async () => {
    await expect(readOpenApi(`${base}/openapi/nope.yaml`)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('/openapi/nope.yaml: HTTP 404') });
  });

  it('can be cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(readOpenApi(`${base}/openapi/box-v3.0.json`, { signal: ac.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
