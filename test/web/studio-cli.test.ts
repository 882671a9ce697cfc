import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../src/service/studio-service.js';
import { tempDir } from '../service/helpers.js';

const repo = resolve(import.meta.dirname, '../..');
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  tmp = await tempDir();
  const service = new StudioService({ logSpec: 'silent' });
  await service['project.create']({ dir: join(tmp.dir, 'shop'), rest: { connector: 'rest', host: 'api.example.com', https: false } });
  await service.dispose();
});
afterAll(() => tmp.remove());

describe('trellis studio', () => {
  it('prints one line with the URL, serves the opened project, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'test/web/studio-entry.ts'), 'studio', join(tmp.dir, 'shop'), join(tmp.dir, 'missing'), '--port', '0'], {
      cwd: repo,
      env: { ...process.env, TRELLIS_LOG: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no URL printed; stderr: ${stderr}`)), 20_000);
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /^Trellis studio \(web mode\): (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64})\n/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          done(m[1]!);
        }
      });
    });
    try {
      const token = new URL(url).searchParams.get('token');
      const r = await fetch(new URL('/api/workspace.get', url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
      const body = await r.json();
      expect(body.result.projects).toEqual([{ dir: join(tmp.dir, 'shop'), name: 'shop', dirty: false }]);
      expect(stderr).toContain(`cannot open ${join(tmp.dir, 'missing')}`);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });
});
