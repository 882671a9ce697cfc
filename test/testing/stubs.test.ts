import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionPool } from '../../src/engine/pool.js';
import { envFrom } from '../../src/engine/env.js';
import { executeSequence } from '../../src/engine/sequence/index.js';
import { loadProject } from '../../src/project/index.js';
import { fileStubs } from '../../src/project/stubs.js';
import { StudioService } from '../../src/service/studio-service.js';
import type { TestServer } from '../helpers/http-server.js';
import { startBackend, writeProject } from './fixture.js';

const repo = resolve(import.meta.dirname, '../..');

function trellis(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(repo, 'bin/trellis.mjs'), ...args], { env: { ...process.env, TRELLIS_LOG: 'silent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

let server: TestServer;
let dir = '';
let service: StudioService;

beforeAll(async () => {
  server = await startBackend();
  dir = await writeProject(server);
  service = new StudioService({ logSpec: 'silent' });
  await service['project.open']({ dir });
});

afterAll(async () => {
  await service.dispose();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('stubs', () => {
  it('"Create stub from current response" writes stubs/<connector>.<transaction>.json; stub mode answers from it without the backend', async () => {
    const live = await service['transaction.execute']({ project: dir, target: 'api.getItem', variables: { id: '7' } });
    expect(live.ok).toBe(true);
    const created = await service['stub.create']({ project: dir, runId: live.runId });
    expect(created).toEqual({ file: 'stubs/api.getItem.json', target: 'api.getItem' });
    const stub = JSON.parse(await readFile(join(dir, created.file), 'utf8'));
    expect(stub).toMatchObject({ target: 'api.getItem', status: 200, data: { id: 7, name: 'item 7', tags: [] } });
    expect(stub.headers['content-type']).toContain('application/json');

    const before = server.requests.length;
    const stubbed = await service['transaction.execute']({ project: dir, target: 'api.getItem', variables: { id: '8' }, stubs: true });
    expect(server.requests.length).toBe(before);
    expect(stubbed.ok && JSON.parse(stubbed.body.text)).toEqual({ id: 7, name: 'item 7', tags: [] });
    expect(stubbed.ok && stubbed.headers['x-trellis-stub']).toBe('stubs/api.getItem.json');
    // a sequence in stub mode: its Call Transaction answers from the stub too
    const card = await service['sequence.execute']({ project: dir, sequence: 'itemCard', variables: { id: '9' }, stubs: true });
    expect(server.requests.length).toBe(before);
    expect(card.ok && JSON.parse(card.body.text)).toEqual({ title: 'item 7', id: 7 });
    // the stub is read at each call: an edit applies at once
    await writeFile(join(dir, created.file), JSON.stringify({ ...stub, data: { id: 1, name: 'edited', tags: [] } }));
    const edited = await service['transaction.execute']({ project: dir, target: 'api.getItem', variables: { id: '1' }, stubs: true });
    expect(edited.ok && JSON.parse(edited.body.text).name).toBe('edited');
  });

  it('a missing stub is an error naming the file expected (engine and sequence)', async () => {
    const r = await service['transaction.execute']({ project: dir, target: 'api.secure', variables: { token: 'x' }, stubs: true });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ code: 'NOT_FOUND', path: 'stubs/api.secure.json' });
    expect(!r.ok && r.error.message).toContain('stub mode: no stub for api.secure: expected the file stubs/api.secure.json');
    const pool = new ConnectionPool();
    try {
      await expect(executeSequence((await loadProject(dir)).project, 'itemCard', {}, { env: envFrom({}), pool, stubs: fileStubs(join(dir, 'elsewhere')) })).rejects.toThrow(
        'expected the file stubs/api.getItem.json',
      );
    } finally {
      await pool.dispose();
    }
  });

  it('a sequence cannot be recorded as a stub, and says why', async () => {
    const run = await service['sequence.execute']({ project: dir, sequence: 'itemCard', variables: {} });
    await expect(service['stub.create']({ project: dir, runId: run.runId })).rejects.toThrow('a stub records a transaction');
  });

  it('trellis run --stubs and a test case with stubs: true use stubs/ with the backend untouched', async () => {
    const before = server.requests.length;
    const r = await trellis(['run', dir, 'api.getItem', '--var', 'id=3', '--stubs']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).name).toBe('edited');
    const missing = await trellis(['run', dir, 'api.secure', '--var', 'token=abc', '--stubs']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('expected the file stubs/api.secure.json');

    await mkdir(join(dir, 'tests'), { recursive: true });
    await writeFile(join(dir, 'tests/offline.yaml'), 'target: itemCard\ncases:\n  - name: from stub\n    stubs: true\n    expect:\n      assertions:\n        - { path: "$.title", equals: "edited" }\n');
    const t = await trellis(['test', dir]);
    expect(t.code).toBe(0);
    expect(t.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed');
    expect(server.requests.length).toBe(before);
  }, 90_000);
});
