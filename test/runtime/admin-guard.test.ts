import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime/server.js';
import { call, rawRequest, removeDir, serve, writeProject } from './helpers.js';

// Security review of the admin API: every route refuses a missing, wrong or malformed token before doing anything.
const TOKEN = 'admin-guard-token-0123456789';
let runtime: Runtime;
let dir = '';

beforeAll(async () => {
  dir = await writeProject({ 'trellis.yaml': { name: 'guarded', formatVersion: 1 } });
  runtime = await serve([dir], { adminToken: TOKEN });
}, 60_000);

afterAll(async () => {
  await runtime?.close();
  await removeDir(dir);
});

const routes: Array<[string, string]> = [
  ['GET', '/admin/projects'],
  ['GET', '/admin/log-levels'],
  ['PUT', '/admin/log-levels'],
  ['POST', '/admin/bundles'],
  ['DELETE', '/admin/projects/guarded'],
  ['GET', '/admin/schedules'],
  ['POST', '/admin/schedules/guarded/nightly/run'],
];

describe('admin API token checks (sound before the review)', () => {
  it('refuses every route without the exact bearer token', async () => {
    const wrong = [undefined, 'Bearer', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, `Bearer ${TOKEN} extra`, TOKEN, `Bearer  ${TOKEN.toUpperCase()}`];
    for (const [method, path] of routes)
      for (const authorization of wrong) {
        const res = await call(`${runtime.url}${path}`, { method, headers: { ...(authorization === undefined ? {} : { authorization }), 'content-type': 'application/json' }, ...(method === 'PUT' || method === 'POST' ? { body: '{"levels":{"default":"trace"}}' } : {}) });
        expect([method, path, authorization, res.status]).toEqual([method, path, authorization, 401]);
      }
    // nothing changed: the project is still served, the levels are the defaults
    const listed = await call(`${runtime.url}/admin/projects`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect((listed.body as { projects: Array<{ name: string }> }).projects.map((p) => p.name)).toEqual(['guarded']);
  });

  it('answers 404 for path parameters that are not names', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const name of ['..%2F..%2Fetc', '%00', 'x'.repeat(300)]) {
      expect((await call(`${runtime.url}/admin/projects/${name}`, { method: 'DELETE', headers: auth })).status).toBe(404);
      expect((await call(`${runtime.url}/admin/schedules/${name}/job/run`, { method: 'POST', headers: auth })).status).toBe(404);
    }
    // not normalised into another route, and never served without the token
    expect((await rawRequest(runtime.port, '/admin/projects/../projects/guarded', 'DELETE')).status).toBeGreaterThanOrEqual(400);
    expect((await rawRequest(runtime.port, '/admin/projects', 'HEAD')).status).toBeGreaterThanOrEqual(400);
    expect((await call(`${runtime.url}/admin/projects`, { headers: auth })).body).toMatchObject({ projects: [{ name: 'guarded' }] });
  });

  it('refuses odd log-level bodies with a 400 and pollutes nothing', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const res = await call(`${runtime.url}/admin/log-levels`, { method: 'PUT', headers: auth, json: { levels: JSON.parse('{"__proto__": "nope"}') } });
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).nope).toBeUndefined();
  });
});
