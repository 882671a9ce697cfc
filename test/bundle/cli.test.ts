import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, extract, list } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstream, shopFiles } from '../runtime/fixture.js';
import { call, repo, spawnServe, writeProject } from '../runtime/helpers.js';
import type { TestServer } from '../helpers/http-server.js';

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

let upstream: TestServer;
let work: string;
let project: string;

beforeAll(async () => {
  upstream = await startUpstream();
  work = await mkdtemp(join(tmpdir(), 'trellis-cli-bundle-'));
  project = await writeProject({ ...shopFiles(upstream.host), '.env': 'UNUSED=1\n' }, join(work, 'shop'));
});

afterAll(async () => {
  await upstream?.close();
  await rm(work, { recursive: true, force: true });
});

describe('trellis export, then trellis serve the bundle', () => {
  it('exports, serves and answers; SIGTERM stops it with exit 0', async () => {
    const out = join(work, 'shop.trellis');
    const exported = await trellis(['export', project, '-o', out, '--bundle-version', '1.0.0']);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/shop.trellis: shop 1.0.0, \d+ files/);

    const server = await spawnServe([out]);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const r = await call(`${server.url}/projects/shop/sequences/userCard?id=21`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: 21, name: 'user 21' });
      const doc = await call(`${server.url}/projects/shop/openapi.json`);
      expect(doc.body.info.version).toBe('1.0.0');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('refuses to serve a tampered bundle, naming the file', async () => {
    const out = join(work, 'good.trellis');
    expect((await trellis(['export', project, '-o', out])).code).toBe(0);
    const dir = await mkdtemp(join(work, 'x-'));
    await extract({ file: out, cwd: dir });
    await appendFile(join(dir, 'connectors/crm.yaml'), '# evil\n');
    const names: string[] = [];
    await list({ file: out, onReadEntry: (e) => void names.push(e.path) });
    const tampered = join(work, 'tampered.trellis');
    await create({ gzip: true, file: tampered, cwd: dir }, names);
    const r = await trellis(['serve', tampered, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^trellis: .*tampered.trellis is refused: connectors\/crm.yaml does not match its SHA-256/);
    expect(r.stdout).toBe('');
  });

  it('a file that is not a bundle, and an export with a literal secret, fail with one line', async () => {
    const text = join(work, 'readme.txt');
    await writeFile(text, 'hello');
    const r = await trellis(['serve', text]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^trellis: .*readme.txt is not a Trellis bundle/);
    const leaky = await writeProject({ ...shopFiles(upstream.host), 'connectors/dead.yaml': { name: 'dead', kind: 'http', config: { host: 'h', auth: { type: 'basic', username: 'u', password: 'p4ss' } } } }, join(work, 'leaky'));
    const e = await trellis(['export', leaky, '-o', join(work, 'leaky.trellis')]);
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(/connectors\/dead.yaml: config.auth.password holds a literal secret/);
    await expect(readFile(join(work, 'leaky.trellis'))).rejects.toThrow();
  });
});
