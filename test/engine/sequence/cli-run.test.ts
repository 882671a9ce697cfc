import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startServer, type TestServer } from '../../helpers/http-server.js';

const repo = resolve(import.meta.dirname, '../../..');

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

beforeAll(async () => {
  server = await startServer({ 'GET /api/users/3': (_req, res) => sendJson(res, 200, { id: 3, name: 'Ann' }) });
  dir = await mkdtemp(join(tmpdir(), 'trellis-seq-cli-'));
  await mkdir(join(dir, 'connectors'));
  await mkdir(join(dir, 'sequences'));
  await writeFile(join(dir, 'trellis.yaml'), 'name: demo\nformatVersion: 1\n');
  await writeFile(
    join(dir, 'connectors/api.yaml'),
    `name: api\nkind: http\nconfig:\n  host: ${server.host}\n  basePath: /api\ntransactions:\n  - name: user\n    path: /users/{id}\n    variables:\n      - { name: id, type: integer, required: true }\n`,
  );
  await writeFile(
    join(dir, 'sequences/greet.yaml'),
    `name: greet
variables:
  - { name: id, type: integer, required: true }
steps:
  - id: user
    kind: callTransaction
    props: { transaction: api.user, variables: { id: { source: { from: variables, path: "$.id" } } } }
  - id: card
    kind: jsonObject
    steps:
      - { id: hello, kind: jsonValue, props: { key: hello, value: { js: "'Hello ' + steps.user.name" } } }
`,
  );
  await writeFile(join(dir, 'sequences/broken.yaml'), 'name: broken\nsteps:\n  - { id: a, kind: output, props: { value: { source: { from: nowhere } } } }\n');
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('trellis run <dir> <sequence>', () => {
  it('prints the sequence output (exit 0), or {data, meta: {ms, steps}} with --full', async () => {
    const r = await trellis(['run', dir, 'greet', '--var', 'id=3']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ hello: 'Hello Ann' });
    const full = await trellis(['run', dir, 'greet', '--var', 'id=3', '--full']);
    const printed = JSON.parse(full.stdout);
    expect(printed.data).toEqual({ hello: 'Hello Ann' });
    expect(printed.meta.steps).toBe(3);
    expect(typeof printed.meta.ms).toBe('number');
  });

  it('still runs <connector>.<transaction>', async () => {
    const r = await trellis(['run', dir, 'api.user', '--var', 'id=3']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: 3, name: 'Ann' });
  });

  it('exits 1 with one line naming the problem', async () => {
    const missing = await trellis(['run', dir, 'greet']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^trellis: sequence greet: variable "id" is required\n$/);
    const broken = await trellis(['run', dir, 'broken']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('sequence broken cannot run: a: props.value.source: no step "nowhere"');
    const unknown = await trellis(['run', dir, 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no sequence "nope"');
  });
});
