import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/http-server.js';
import type { Runtime } from '../../src/runtime/server.js';
import { startUpstream, writeShop } from './fixture.js';
import { call, rawRequest, removeDir, serve, writeProject } from './helpers.js';

let upstream: TestServer;
let runtime: Runtime;
const dirs: string[] = [];

const shopMappings = {
  routes: [
    { method: 'GET', path: '/users/{id}', target: { sequence: 'userCard' }, response: { headers: { 'Cache-Control': 'max-age=60' } } },
    { method: 'GET', path: '/users/me', target: { sequence: 'userCard' }, params: { 'x-user': { from: 'header', variable: 'id' } } },
    { method: 'POST', path: '/users', target: { sequence: 'userCard' }, response: { status: 201 } },
    { method: 'GET', path: '/members/{memberId}', target: { transaction: 'crm.getUser' }, params: { memberId: { from: 'path', variable: 'id' }, label: { from: 'query', variable: 'tag' } } },
    { method: 'GET', path: '/maybe/{id}', target: { sequence: 'nothing' }, response: { emptyStatus: 404 } },
    { method: 'DELETE', path: '/maybe/{id}', target: { sequence: 'nothing' }, response: { emptyStatus: 204 } },
  ],
};

beforeAll(async () => {
  upstream = await startUpstream();
  dirs.push(await writeShop(upstream.host, { 'mappings.yaml': shopMappings }));
  dirs.push(
    await writeProject({
      'trellis.yaml': { name: 'root', formatVersion: 1 },
      'sequences/ping.yaml': { name: 'ping', exposed: false, steps: [{ id: 'out', kind: 'output', props: { value: 'pong' } }] },
      'mappings.yaml': { basePath: '/', routes: [{ method: 'GET', path: '/ping', target: { sequence: 'ping' } }] },
    }),
  );
  runtime = await serve(dirs);
});

afterAll(async () => {
  await runtime?.close();
  await upstream?.close();
  for (const d of dirs) await removeDir(d);
});

describe('mappings.yaml routes', () => {
  it('serves a route under /<project> with path parameters and response headers', async () => {
    const r = await call(`${runtime.url}/shop/users/12?tag=a`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 12, name: 'user 12', tags: ['a'] });
    expect(r.headers.get('cache-control')).toBe('max-age=60');
  });

  it('prefers a literal segment over a parameter, and binds a header', async () => {
    const r = await call(`${runtime.url}/shop/users/me`, { headers: { 'X-User': '5' } });
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(5);
  });

  it('binds the JSON body on POST and answers the route status', async () => {
    const r = await call(`${runtime.url}/shop/users`, { json: { id: 9, loud: true } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: 9, loud: true });
  });

  it('renames path and query parameters to transaction variables', async () => {
    const r = await call(`${runtime.url}/shop/members/3?label=vip`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: 3, name: 'user 3', email: 'u3@example.com', tags: ['vip'] });
    const bad = await call(`${runtime.url}/shop/members/abc`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].variable).toBe('id');
  });

  it('answers emptyStatus for an empty result: 404 with a JSON error, 204 with no body', async () => {
    const r = await call(`${runtime.url}/shop/maybe/1`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
    const d = await call(`${runtime.url}/shop/maybe/1`, { method: 'DELETE' });
    expect(d.status).toBe(204);
    expect(d.text).toBe('');
  });

  it('serves a project with basePath "/" at the root, even its unexposed sequences', async () => {
    const r = await call(`${runtime.url}/ping`);
    expect(r.status).toBe(200);
    expect(r.body).toBe('pong');
    expect((await call(`${runtime.url}/projects/root/sequences/ping`)).status).toBe(404);
  });

  it('405 with Allow when only the method differs; 404 for unknown paths; encoded slashes are refused', async () => {
    const r = await call(`${runtime.url}/shop/users/12`, { method: 'PUT', json: {} });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET');
    expect((await call(`${runtime.url}/shop/nothing/here`)).status).toBe(404);
    const slash = await rawRequest(runtime.port, '/shop/users/1%2F..%2F2');
    expect(slash.status).toBe(400);
    const dots = await rawRequest(runtime.port, '/shop/users/..');
    expect([400, 404]).toContain(dots.status);
  });
});

describe('overlapping routes', () => {
  it('two projects whose routes can match the same request are refused at start, naming both', async () => {
    const other = await writeProject({
      'trellis.yaml': { name: 'other', formatVersion: 1 },
      'sequences/x.yaml': { name: 'x', steps: [] },
      'mappings.yaml': { basePath: '/shop', routes: [{ method: 'GET', path: '/users/{name}', target: { sequence: 'x' } }] },
    });
    try {
      await expect(serve([dirs[0]!, other])).rejects.toThrow(/mapping GET \/shop\/users\/\{id\} of project shop overlaps GET \/shop\/users\/\{name\} of project other/);
    } finally {
      await removeDir(other);
    }
  });

  it('a route under a path the runtime keeps is refused', async () => {
    const bad = await writeProject({
      'trellis.yaml': { name: 'bad', formatVersion: 1 },
      'sequences/x.yaml': { name: 'x', steps: [] },
      'mappings.yaml': { basePath: '/', routes: [{ method: 'GET', path: '/health/deep', target: { sequence: 'x' } }] },
    });
    try {
      await expect(serve([bad])).rejects.toThrow(/under \/health, which the runtime keeps/);
    } finally {
      await removeDir(bad);
    }
  });

  it('a mapping to a sequence the project lacks is refused with the file and route', async () => {
    const bad = await writeProject({
      'trellis.yaml': { name: 'bad2', formatVersion: 1 },
      'mappings.yaml': { routes: [{ method: 'GET', path: '/a', target: { sequence: 'ghost' } }] },
    });
    try {
      await expect(serve([bad])).rejects.toThrow(/mappings.yaml: routes\[0\] \(GET \/a\): project bad2 has no sequence "ghost"/);
    } finally {
      await removeDir(bad);
    }
  });
});
