import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envFrom } from '../../src/engine/env.js';
import { executeTransaction } from '../../src/engine/execute-transaction.js';
import { ConnectionPool } from '../../src/engine/pool.js';
import { importOpenApi } from '../../src/openapi/import.js';
import { createProject, loadProject, saveConnector } from '../../src/project/index.js';
import type { Project } from '../../src/model/index.js';
import { openapiDir } from './helpers.js';

// Imported transactions run for real: a local server implements a few operations of three corpus specs
// and records what it receives (path, query, headers, body).
interface Seen {
  method?: string;
  path: string;
  query: Record<string, string[]>;
  headers: IncomingHttpHeaders;
  body: string;
  raw: Buffer;
}
const seen: Seen[] = [];
let server: Server;
let port = 0;
let dir = '';
let project: Project;
const pool = new ConnectionPool();
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0, 0xff, 0x80, 0x0d, 0x0a]), Buffer.from('%%EOF\n')]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const env = envFrom({ SWAGGER_PETSTORE_OPEN_API30_TOKEN: 'tok-123', UBER_API_TOKEN: 'uber-tok' });

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString('utf8');
      const url = new URL(req.url ?? '/', 'http://x');
      const query: Record<string, string[]> = {};
      for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
      seen.push({ method: req.method, path: url.pathname, query, headers: req.headers, body, raw });
      res.writeHead(200, { 'content-type': 'application/json' });
      if (url.pathname.startsWith('/anything/') || url.pathname.endsWith('/uploadImage'))
        res.end(JSON.stringify({ bytes: raw.length, type: req.headers['content-type'] }));
      else if (url.pathname.startsWith('/api/v3/pet/findByStatus')) res.end(JSON.stringify([{ id: 1, name: 'Rex', status: query.status?.[0] }]));
      else if (url.pathname.startsWith('/api/v3/pet')) res.end(body || JSON.stringify({ id: Number(url.pathname.split('/').pop()), name: 'Rex' }));
      else res.end(JSON.stringify({ products: [] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  dir = await mkdtemp(join(tmpdir(), 'trellis-openapi-exec-'));
  await createProject(dir, { name: 'exec' });
  await importOpenApi(dir, join(openapiDir, 'swagger-petstore-v3.0.yaml'));
  await importOpenApi(dir, join(openapiDir, 'oai-uber-v2.json'), { connectorName: 'uber' });
  await importOpenApi(dir, join(openapiDir, 'readme-file-uploads-v3.0.yaml'), { connectorName: 'uploads' });
  // files that file variables name, relative to the project's files/ folder
  await mkdir(join(dir, 'files', 'scans'), { recursive: true });
  await writeFile(join(dir, 'files', 'scans', 'order-12.pdf'), PDF);
  await writeFile(join(dir, 'files', 'pet.png'), PNG);
  await writeFile(join(dir, 'files', 'notes.txt'), 'two\nlines');
  // The developer points the connectors at the local server (the spec's host stays the spec's).
  const loaded = await loadProject(dir);
  for (const c of loaded.project.connectors) await saveConnector(dir, { ...c, config: { ...c.config, host: '127.0.0.1', port, https: false } });
  project = (await loadProject(dir)).project;
});

afterAll(async () => {
  await pool.dispose();
  server.close();
  await rm(dir, { recursive: true, force: true });
});

async function exec(target: string, vars: Record<string, unknown>): Promise<{ data: unknown; seen: Seen }> {
  const before = seen.length;
  const result = await executeTransaction(project, target, vars, { env, pool });
  expect(seen.length).toBe(before + 1);
  return { data: result.data, seen: seen[seen.length - 1]! };
}

describe('imported transactions execute', () => {
  it('path variable, bearer auth from ${env:...}, JSON response', async () => {
    const { data, seen: s } = await exec('swaggerPetstoreOpenAPI30.getPetById', { petId: 7 });
    expect(s).toMatchObject({ method: 'GET', path: '/api/v3/pet/7' });
    expect(s.headers.authorization).toBe('Bearer tok-123');
    expect(s.headers.accept).toContain('application/json');
    expect(data).toEqual({ id: 7, name: 'Rex' });
  });

  it('query variable', async () => {
    const { data, seen: s } = await exec('swaggerPetstoreOpenAPI30.findPetsByStatus', { status: 'sold' });
    expect(s.path).toBe('/api/v3/pet/findByStatus');
    expect(s.query).toEqual({ status: ['sold'] });
    expect(data).toEqual([{ id: 1, name: 'Rex', status: 'sold' }]);
  });

  it('header variable (an API key the connector auth does not cover) and path variable', async () => {
    const { seen: s } = await exec('swaggerPetstoreOpenAPI30.deletePet', { petId: 3, api_key: 'k-9' });
    expect(s).toMatchObject({ method: 'DELETE', path: '/api/v3/pet/3' });
    expect(s.headers.api_key).toBe('k-9');
  });

  it('JSON body variable', async () => {
    const pet = { name: 'Tom', photoUrls: ['x'], status: 'available', category: { id: 1, name: 'cats' } };
    const { data, seen: s } = await exec('swaggerPetstoreOpenAPI30.addPet', { body: pet });
    expect(s).toMatchObject({ method: 'POST', path: '/api/v3/pet' });
    expect(s.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(s.body)).toEqual(pet);
    expect(data).toEqual(pet);
  });

  it('Swagger 2: basePath, number query variables with formats', async () => {
    const { seen: s } = await exec('uber.getProducts', { latitude: 37.77, longitude: -122.41 });
    expect(s).toMatchObject({ method: 'GET', path: '/v1/products' });
    expect(s.query).toEqual({ latitude: ['37.77'], longitude: ['-122.41'] });
  });

  it('multipart/form-data upload (readme file-uploads): text fields and a file part from files/', async () => {
    const { data, seen: s } = await exec('uploads.postAnythingMultipartFormdata', { orderId: 12, userId: '7', documentFile: 'scans/order-12.pdf' });
    expect(s).toMatchObject({ method: 'POST', path: '/anything/multipart-formdata' });
    const m = /^multipart\/form-data; boundary=(\S+)$/.exec(String(s.headers['content-type']));
    expect(m, String(s.headers['content-type'])).not.toBeNull();
    const boundary = m![1]!;
    const expected = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="orderId"\r\n\r\n12\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="userId"\r\n\r\n7\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="documentFile"; filename="order-12.pdf"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      PDF,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    expect(s.raw.equals(expected), s.body).toBe(true);
    expect(data).toEqual({ bytes: expected.length, type: s.headers['content-type'] });
  });

  it('multipart/form-data with several files (a multivalued file variable)', async () => {
    const { seen: s } = await exec('uploads.putAnythingMultipartFormdata', { filename: ['pet.png', 'notes.txt'] });
    expect(s).toMatchObject({ method: 'PUT', path: '/anything/multipart-formdata' });
    const boundary = /boundary=(\S+)$/.exec(String(s.headers['content-type']))![1]!;
    const expected = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="filename"; filename="pet.png"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      PNG,
      Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="filename"; filename="notes.txt"\r\nContent-Type: application/octet-stream\r\n\r\ntwo\nlines\r\n--${boundary}--\r\n`),
    ]);
    expect(s.raw.equals(expected), s.body).toBe(true);
  });

  it('a file outside files/ is refused before anything is sent', async () => {
    const before = seen.length;
    await expect(executeTransaction(project, 'uploads.postAnythingMultipartFormdata', { documentFile: '../project.yaml' }, { env, pool })).rejects.toMatchObject({
      code: 'BAD_VARIABLE',
      message: expect.stringMatching(/file variable documentFile: "\.\.\/project\.yaml" leaves the project's files\/ folder/),
    });
    expect(seen.length).toBe(before);
  });

  it('image/png body (readme file-uploads): the bytes of the file', async () => {
    const { data, seen: s } = await exec('uploads.postAnythingImagePng', { body: 'pet.png' });
    expect(s).toMatchObject({ method: 'POST', path: '/anything/image-png' });
    expect(s.headers['content-type']).toBe('image/png');
    expect(s.raw.equals(PNG)).toBe(true);
    expect(data).toEqual({ bytes: PNG.length, type: 'image/png' });
  });

  it('petstore uploadFile: path and query variables with an application/octet-stream file body', async () => {
    const { seen: s } = await exec('swaggerPetstoreOpenAPI30.uploadFile', { petId: 5, additionalMetadata: 'front view', body: 'pet.png' });
    expect(s).toMatchObject({ method: 'POST', path: '/api/v3/pet/5/uploadImage', query: { additionalMetadata: ['front view'] } });
    expect(s.headers['content-type']).toBe('application/octet-stream');
    expect(s.headers.authorization).toBe('Bearer tok-123');
    expect(s.raw.equals(PNG)).toBe(true);
  });
});
