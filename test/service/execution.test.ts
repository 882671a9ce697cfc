import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioService } from '../../src/service/studio-service.js';
import { backend, recordingService, tempDir, type Recorded } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: Awaited<ReturnType<typeof backend>>;
let service: StudioService;
let events: Recorded[];
let dir: string;

const big = { items: Array.from({ length: 30_000 }, (_, i) => ({ id: i, name: `item number ${i}` })) };

beforeAll(async () => {
  tmp = await tempDir();
  server = await backend((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const item = /^\/api\/items\/(\d+)$/.exec(url.pathname);
    if (item) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': 'test' });
      res.end(JSON.stringify({ id: Number(item[1]), token: req.headers['x-token'] ?? null }));
    } else if (url.pathname === '/api/fail') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'database is down' }));
    } else if (url.pathname === '/api/slow') {
      setTimeout(() => res.end('{}'), 20_000).unref();
    } else if (url.pathname === '/api/big') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(big));
    } else if (url.pathname === '/api/xml') {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end('<order id="7"><total>12.5</total></order>');
    } else {
      res.writeHead(404).end();
    }
  });
  ({ service, events } = recordingService());
  dir = join(tmp.dir, 'shop');
  await service['project.create']({ dir, rest: { connector: 'rest', host: `127.0.0.1:${server.port}`, https: false, basePath: '/api' } });
  await writeFile(join(dir, '.env'), 'TEST_TOKEN=from-dotenv\n');
  await service['object.update']({
    project: dir,
    ref: { type: 'connector', connector: 'rest' },
    value: { kind: 'http', config: { host: `127.0.0.1:${server.port}`, basePath: '/api', headers: { 'x-token': '${env:TEST_TOKEN}' } } },
  });
  const add = (value: Record<string, unknown>) => service['object.create']({ project: dir, parent: { type: 'connector', connector: 'rest' }, objectType: 'transaction', value });
  await add({ name: 'getItem', path: '/items/{id}', variables: [{ name: 'id', type: 'integer', required: true, in: 'path' }] });
  await add({ name: 'fail', path: '/fail' });
  await add({ name: 'slow', path: '/slow' });
  await add({ name: 'big', path: '/big' });
  await add({ name: 'xml', type: 'xml', path: '/xml' });
});

afterAll(async () => {
  await service.dispose();
  await server.close();
  await tmp.remove();
});

describe('StudioService: transaction.execute', () => {
  it('returns the JSON result with status, headers and a trace, using the working copy and .env', async () => {
    const r = await service['transaction.execute']({ project: dir, target: 'rest.getItem', variables: { id: '12' } });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.status).toBe(200);
    expect(r.headers['x-backend']).toBe('test');
    expect(JSON.parse(r.body.text)).toEqual({ id: 12, token: 'from-dotenv' });
    expect(r.body).toMatchObject({ language: 'json', truncated: false });
    expect(r.body.text).toContain('\n  "id": 12');
    expect(r.raw.text).toBe('{"id":12,"token":"from-dotenv"}');
    const phases = events.filter((e) => e.name === 'run.event' && e.payload.run === r.runId).map((e) => e.payload.phase);
    expect(phases).toEqual(['start', 'end']);
  });

  it('shows a 500 with its body as a result, not as a failure', async () => {
    const r = await service['transaction.execute']({ project: dir, target: 'rest.fail', variables: {} });
    expect(r).toMatchObject({ ok: true, status: 500 });
    if (r.ok) expect(JSON.parse(r.body.text)).toEqual({ error: 'database is down' });
  });

  it('keeps the raw XML next to its JSON', async () => {
    const r = await service['transaction.execute']({ project: dir, target: 'rest.xml', variables: {} });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.raw).toMatchObject({ language: 'xml', text: '<order id="7"><total>12.5</total></order>' });
    expect(r.body.language).toBe('json');
  });

  it('reports a bad variable as ok: false with BAD_VARIABLE and the variable named', async () => {
    const r = await service['transaction.execute']({ project: dir, target: 'rest.getItem', variables: { id: 'twelve' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_VARIABLE' } });
    if (!r.ok) expect(r.error.message).toContain('variable "id" (integer): expected an integer, got "twelve"');
  });

  it('cancels a slow call with run.cancel', async () => {
    const running = service['transaction.execute']({ project: dir, target: 'rest.slow', variables: {}, runId: 'slow-1' });
    await new Promise((r) => setTimeout(r, 200));
    expect(await service['run.cancel']({ runId: 'slow-1' })).toEqual({ cancelled: true });
    const r = await running;
    expect(r).toMatchObject({ ok: false, runId: 'slow-1', error: { code: 'CANCELLED' } });
    expect(await service['run.cancel']({ runId: 'slow-1' })).toEqual({ cancelled: false });
  });

  it('truncates a body over 1 MB and pages the rest with run.page', async () => {
    const r = await service['transaction.execute']({ project: dir, target: 'rest.big', variables: {} });
    if (!r.ok) throw new Error(r.error.message);
    const full = JSON.stringify(big, null, 2);
    expect(r.body).toMatchObject({ truncated: true, totalChars: full.length });
    expect(r.body.text).toHaveLength(1_000_000);
    let text = r.body.text;
    while (text.length < full.length) {
      const page = await service['run.page']({ runId: r.runId, part: 'body', offset: text.length, length: 400_000 });
      expect(page.totalChars).toBe(full.length);
      text += page.text;
    }
    expect(text).toBe(full);
    const raw = await service['run.page']({ runId: r.runId, part: 'raw', offset: 0, length: 20 });
    expect(raw.text).toBe(JSON.stringify(big).slice(0, 20));
    await expect(service['run.page']({ runId: 'gone', part: 'body', offset: 0, length: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('names an unknown target', async () => {
    const r = await service['transaction.execute']({ project: dir, target: 'rest.nope', variables: {} });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('connector rest has no transaction "nope"') } });
  });
});
