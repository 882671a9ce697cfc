import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');

function trellis(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(repo, 'bin/trellis.mjs'), ...args], { env: { ...process.env, TRELLIS_LOG: 'silent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

let server: Server;
let port = 0;
let dir = '';
const seen: Array<{ method?: string; url?: string; headers: Record<string, unknown> }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://x');
    const user = /^\/api\/users\/(\d+)$/.exec(url.pathname);
    if (user) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: Number(user[1]), name: `user ${user[1]}`, tags: url.searchParams.getAll('tag') }));
    } else if (url.pathname === '/api/broken') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'database is down' }));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such thing');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  dir = await mkdtemp(join(tmpdir(), 'trellis-cli-'));
});

afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('trellis new + add transaction + run', () => {
  it('creates a REST project, adds a transaction and runs it (exit 0)', async () => {
    const project = join(dir, 'shop');
    const created = await trellis(['new', project, '--rest', `127.0.0.1:${port}/api`]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const yaml = await readFile(join(project, 'connectors/rest.yaml'), 'utf8');
    expect(yaml).toContain('host: 127.0.0.1');
    expect(yaml).toContain(`port: ${port}`);
    expect(yaml).toContain('basePath: /api');
    expect(await readFile(join(project, 'trellis.yaml'), 'utf8')).toMatch(/^name: shop$/m);

    const added = await trellis(['add', 'transaction', project, 'rest', 'getUser', '--path', '/users/{id}', '--var', 'id:integer', '--var', 'tag:string']);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);

    const ran = await trellis(['run', project, 'rest.getUser', '--var', 'id=12', '--var', 'tag=a']);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toEqual({ id: 12, name: 'user 12', tags: ['a'] });
    expect(seen.at(-1)?.url).toBe('/api/users/12?tag=a');

    const full = await trellis(['run', project, 'rest.getUser', '--var', 'id=3', '--full']);
    const printed = JSON.parse(full.stdout);
    expect(printed.data.id).toBe(3);
    expect(printed.meta.status).toBe(200);
    expect(printed.meta.headers['content-type']).toBe('application/json');
    expect(typeof printed.meta.ms).toBe('number');
    expect(printed.meta.bytes).toBeGreaterThan(10);
  });

  it('exits 2 on a status >= 400 and still prints the body', async () => {
    const project = join(dir, 'shop');
    await trellis(['add', 'transaction', project, 'rest', 'broken', '--path', '/broken']);
    const ran = await trellis(['run', project, 'rest.broken']);
    expect(ran.code).toBe(2);
    expect(JSON.parse(ran.stdout)).toEqual({ error: 'database is down' });
  });

  it('exits 1 with a one-line reason on a bad variable, an unknown transaction and a refused connection', async () => {
    const project = join(dir, 'shop');
    const bad = await trellis(['run', project, 'rest.getUser', '--var', 'id=abc']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/variable "id" \(integer\): expected an integer, got "abc"/);

    const unknown = await trellis(['run', project, 'rest.nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/connector rest has no transaction "nope" \(transactions: getUser, broken\)/);

    const closed = join(dir, 'closed');
    await trellis(['new', closed, '--rest', '127.0.0.1:1']);
    await trellis(['add', 'transaction', closed, 'rest', 'ping']);
    const refused = await trellis(['run', closed, 'rest.ping']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused/i);
  });

  it('validate: exit 0 on a good project, path:line:col lines and exit 1 on a broken one', async () => {
    const project = join(dir, 'shop');
    expect((await trellis(['validate', project])).code).toBe(0);
    await writeFile(join(project, 'connectors/bad.yaml'), 'name: bad\nkind: http\ntransactions:\n  - name: x\n    variables:\n      - { name: id, type: int }\n');
    const result = await trellis(['validate', project]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^connectors\/bad\.yaml:6:\d+: .*type/m);
  });

  it('refuses a server address with a protocol and prints help', async () => {
    const bad = await trellis(['new', join(dir, 'x'), '--rest', 'http://example.com']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/without protocol/);
    const help = await trellis(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['new', 'add', 'run', 'validate']) expect(help.stdout).toContain(cmd);
  });
});
