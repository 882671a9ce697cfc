import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');

describe('npm start (scripts/start.mjs)', () => {
  it('says Electron is not available, starts web mode, and passes SIGTERM on', async () => {
    // with no folder, npm start opens the sample project: its copy goes to a throwaway TRELLIS_HOME
    const home = mkdtempSync(join(tmpdir(), 'trellis-start-home-'));
    const env: NodeJS.ProcessEnv = { ...process.env, TRELLIS_LOG: 'warn', TRELLIS_HOME: home, TRELLIS_START_CLI: join(repo, 'test/web/studio-entry.ts') };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const child = spawn(process.execPath, [join(repo, 'scripts/start.mjs'), '--no-build', '--port', '0'], { cwd: repo, env });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const until = Date.now() + 20_000;
    while (!/web mode\): http/.test(stdout) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Electron is not available here \(no (Electron binary|display)[^)]*\): starting web mode$/);
    expect(lines[1]).toMatch(/^Trellis studio \(web mode\): http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(await exited).toBe(0);
    expect(existsSync(join(home, 'chinook', 'trellis.yaml'))).toBe(true);
    rmSync(home, { recursive: true, force: true });
  });
});
