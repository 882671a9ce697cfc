import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle } from '../../src/bundle/index.js';
import type { Runtime } from '../../src/runtime/server.js';
import { sendJson, startServer, type TestServer } from '../helpers/http-server.js';
import { call, serve, writeProject } from './helpers.js';

const TOKEN = 'admin-token-for-tests';
let upstream: TestServer;
let runtime: Runtime;
let work: string;
let v1: string;
let v2Bundle: Buffer;

/** A project whose `which` sequence calls the upstream (30 ms) and says which version answered. */
function versioned(version: string, mappingBase?: string): Record<string, unknown> {
  return {
    'trellis.yaml': { name: 'shop', formatVersion: 1 },
    'connectors/up.yaml': { name: 'up', kind: 'http', config: { host: upstream.host }, transactions: [{ name: 'wait', path: '/wait' }] },
    'sequences/which.yaml': {
      name: 'which',
      variables: [{ name: 'i', type: 'integer', default: 0 }],
      steps: [
        { id: 'c', kind: 'callTransaction', props: { transaction: 'up.wait' } },
        { id: 'o', kind: 'jsonObject', steps: [{ id: 'v', kind: 'jsonValue', props: { key: 'version', value: version } }, { id: 'n', kind: 'jsonValue', props: { key: 'i', value: { source: { from: 'variables', path: '$.i' } } } }] },
      ],
    },
    'mappings.yaml': { ...(mappingBase ? { basePath: mappingBase } : {}), routes: [{ method: 'GET', path: '/which', target: { sequence: 'which' } }] },
  };
}

const admin = (path: string, init: RequestInit = {}, token = TOKEN) => call(`${runtime.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
const upload = (bytes: Buffer, token = TOKEN) => admin('/admin/bundles', { method: 'POST', body: new Uint8Array(bytes), headers: { 'content-type': 'application/octet-stream' } }, token);

beforeAll(async () => {
  upstream = await startServer({ '/wait': (_req, res) => void setTimeout(() => sendJson(res, 200, { ok: true }), 30) });
  work = await mkdtemp(join(tmpdir(), 'trellis-admin-'));
  v1 = await writeProject(versioned('v1'), join(work, 'v1'));
  const v2 = await writeProject(versioned('v2'), join(work, 'v2'));
  v2Bundle = await readFile((await exportBundle(v2, join(work, 'v2.trellis'), { version: '2.0.0' })).file);
  runtime = await serve([v1], { adminToken: TOKEN });
});

afterAll(async () => {
  await runtime?.close();
  await upstream?.close();
  await rm(work, { recursive: true, force: true });
});

describe('admin API', () => {
  it('needs the bearer token', async () => {
    expect((await call(`${runtime.url}/admin/projects`)).status).toBe(401);
    expect((await admin('/admin/projects', {}, 'wrong')).status).toBe(401);
    const r = await upload(v2Bundle, 'wrong');
    expect(r.status).toBe(401);
  });

  it('lists what is served', async () => {
    const r = await admin('/admin/projects');
    expect(r.status).toBe(200);
    expect(r.body.projects).toEqual([expect.objectContaining({ name: 'shop', version: 'dev', source: 'folder', sequences: ['which'], mappings: 1, auth: 'none' })]);
  });

  it('refuses a tampered or foreign upload with 422 and keeps serving the old version', async () => {
    const tampered = Buffer.from(v2Bundle);
    tampered[tampered.length - 20] = tampered[tampered.length - 20]! ^ 0xff;
    const bad = await upload(tampered);
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('INVALID_BUNDLE');
    const foreign = await upload(Buffer.from('PK\u0003\u0004 not a bundle'));
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.message).toMatch(/not a Trellis bundle/);
    const json = await admin('/admin/bundles', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(415);
    expect((await call(`${runtime.url}/shop/which`)).body.version).toBe('v1');
  });

  it('hot-swaps under load without dropping a request; requests in flight finish on the old version', async () => {
    const results: Array<Promise<{ status: number; version?: string; started: number }>> = [];
    const started = Date.now();
    let deployed = 0;
    const deploy = (async () => {
      await new Promise((r) => setTimeout(r, 700));
      const r = await upload(v2Bundle);
      deployed = Date.now();
      return r;
    })();
    // ~150 requests/s: at least 300 of them, and 20 more once the deploy has answered (a slow machine deploys late)
    let after = 0;
    for (let i = 0; (i < 300 || !deployed || after < 20) && i < 3000; i++) {
      const due = started + i * 6.5;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (deployed) after++;
      const path = i % 2 ? `/projects/shop/sequences/which?i=${i}` : `/shop/which?i=${i}`;
      const at = Date.now();
      results.push(
        call(`${runtime.url}${path}`).then(
          (r) => ({ status: r.status, version: r.body?.version, started: at }),
          () => ({ status: 0, started: at }),
        ),
      );
    }
    const all = await Promise.all(results);
    const d = await deploy;
    expect(d.status).toBe(200);
    expect(d.body.deployed).toMatchObject({ name: 'shop', version: '2.0.0', source: 'bundle' });
    expect(d.body.replaced.version).toBe('dev');
    expect(all.length).toBeGreaterThanOrEqual(300);
    expect(all.filter((r) => r.status !== 200)).toEqual([]);
    const versions = all.map((r) => r.version);
    expect(versions).toContain('v1');
    expect(versions).toContain('v2');
    // every request started after the deploy answered ran on v2
    const later = all.filter((r) => r.started > deployed);
    expect(later.length).toBeGreaterThanOrEqual(20);
    expect(later.every((r) => r.version === 'v2')).toBe(true);
  });

  it('refuses (409) a bundle whose mappings overlap another project', async () => {
    const other = await writeProject({ ...versioned('x', '/shop'), 'trellis.yaml': { name: 'other', formatVersion: 1 } }, join(work, 'other'));
    const bytes = await readFile((await exportBundle(other, join(work, 'other.trellis'))).file);
    const r = await upload(bytes);
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/GET \/shop\/which of project shop overlaps GET \/shop\/which of project other/);
    expect((await admin('/admin/projects')).body.projects.map((p: { name: string }) => p.name)).toEqual(['shop']);
  });

  it('undeploys a project: 204, then its URLs are 404', async () => {
    expect((await admin('/admin/projects/shop', { method: 'DELETE' })).status).toBe(204);
    expect((await admin('/admin/projects/shop', { method: 'DELETE' })).status).toBe(404);
    expect((await call(`${runtime.url}/projects/shop/sequences/which`)).status).toBe(404);
    expect((await call(`${runtime.url}/shop/which`)).status).toBe(404);
    expect((await call(`${runtime.url}/health`)).body.projects).toEqual([]);
  });

  it('is off without a token', async () => {
    const plain = await serve([v1]);
    try {
      expect((await call(`${plain.url}/admin/projects`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
