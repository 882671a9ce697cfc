import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime/server.js';
import { StudioService } from '../../src/service/studio-service.js';
import { call, logSink, removeDir, serve, writeProject } from './helpers.js';

const TOKEN = 'levels-admin-token';
let runtime: Runtime;
let dir: string;
const sink = logSink();

const project = {
  'trellis.yaml': { name: 'shop', formatVersion: 1 },
  'sequences/hello.yaml': {
    name: 'hello',
    exposed: true,
    steps: [
      { id: 'say', kind: 'log', props: { level: 'debug', message: 'debug line from hello' } },
      { id: 'out', kind: 'output', props: { value: 'hi' } },
    ],
  },
};

const helloLines = () => sink.lines.filter((l) => l.msg === 'debug line from hello').length;
const admin = (path: string, init: RequestInit & { json?: unknown } = {}, token = TOKEN) => call(`${runtime.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });

beforeAll(async () => {
  dir = await writeProject(project);
  runtime = await serve([dir], { adminToken: TOKEN, logSpec: 'warn', logDestination: sink.stream });
});

afterAll(async () => {
  await runtime?.close();
  await removeDir(dir);
});

describe('log levels changed on a running runtime (PUT /admin/log-levels)', () => {
  it('turns a category on and off again without a restart', async () => {
    expect((await call(`${runtime.url}/projects/shop/sequences/hello`)).status).toBe(200);
    expect(helloLines()).toBe(0);

    const put = await admin('/admin/log-levels', { method: 'PUT', json: { levels: { sequence: 'debug' } } });
    expect(put.status).toBe(200);
    expect(put.body.projects.shop.categories.sequence).toBe('debug');
    await call(`${runtime.url}/projects/shop/sequences/hello`);
    expect(helloLines()).toBe(1);

    await admin('/admin/log-levels', { method: 'PUT', json: { levels: { sequence: 'warn' }, project: 'shop' } });
    await call(`${runtime.url}/projects/shop/sequences/hello`);
    expect(helloLines()).toBe(1);
    expect((await admin('/admin/log-levels')).body.projects.shop.categories.sequence).toBe('warn');
  });

  it('refuses a bad level, an unknown project and a wrong token, changing nothing', async () => {
    const bad = await admin('/admin/log-levels', { method: 'PUT', json: { levels: { sequence: 'loud' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('unknown log level "loud" for sequence');
    expect((await admin('/admin/log-levels', { method: 'PUT', json: { levels: { sequence: 'debug' }, project: 'nope' } })).status).toBe(404);
    expect((await admin('/admin/log-levels', { method: 'PUT', json: { levels: { sequence: 'debug' } } }, 'wrong')).status).toBe(401);
    expect((await admin('/admin/log-levels')).body.projects.shop.categories.sequence).toBe('warn');
  });

  it('the studio sends levels to the runtime (logs.setLevels with runtime URL and token) and says why when it cannot', async () => {
    const service = new StudioService({ logSpec: 'silent' });
    try {
      const sent = await service['logs.setLevels']({ levels: { sequence: 'debug' }, runtime: { url: runtime.url, token: TOKEN } });
      expect(sent.runtime).toEqual({ ok: true, status: 200, message: `the runtime at ${runtime.url} applied the levels` });
      const before = helloLines();
      await call(`${runtime.url}/projects/shop/sequences/hello`);
      expect(helloLines()).toBe(before + 1);

      const refused = await service['logs.setLevels']({ levels: { sequence: 'debug' }, runtime: { url: runtime.url, token: 'nope' } });
      expect(refused.runtime).toMatchObject({ ok: false, status: 401 });
      expect(refused.runtime?.message).toContain('check the admin token');

      const down = await service['logs.setLevels']({ levels: { sequence: 'debug' }, runtime: { url: 'http://127.0.0.1:9', token: TOKEN } });
      expect(down.runtime?.ok).toBe(false);
      expect(down.runtime?.message).toContain('cannot reach the runtime at http://127.0.0.1:9');

      // without a runtime: the studio's own levels
      const own = await service['logs.setLevels']({ levels: { connector: 'debug', default: 'warn' } });
      expect(own.levels).toMatchObject({ default: 'warn', categories: { connector: 'debug' } });
      expect((await service['logs.getLevels']({})).categories.connector).toBe('debug');
    } finally {
      await service.dispose();
    }
  });
});
