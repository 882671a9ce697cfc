import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHINOOK_DIR } from '../../helpers/postgres.js';

const repo = resolve(import.meta.dirname, '../../..');

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

/** Runs the CLI in this process (much faster than spawning), capturing what it prints and its exit code. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../../src/cli/main.js');
  const { processIo } = await import('../../../src/cli/io.js');
  const saved = { out: processIo.out, err: processIo.err };
  let stdout = '';
  let stderr = '';
  processIo.out = (t) => void (stdout += `${t}\n`);
  processIo.err = (t) => void (stderr += `${t}\n`);
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'trellis', ...args]);
    return { code, stdout, stderr };
  } finally {
    Object.assign(processIo, saved);
    process.exitCode = undefined;
  }
}

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trellis-sql-cli-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('trellis CLI with a SQL connector', () => {
  it('new + add connector (sqlite) + add transaction --sql + run prints the row', async () => {
    const project = join(dir, 'music');
    expect((await trellis(['new', project])).code).toBe(0);
    mkdirSync(join(project, 'data'));
    const db = new Database(join(project, 'data/chinook.db'));
    db.exec(readFileSync(join(CHINOOK_DIR, 'Chinook_Sqlite.sql'), 'utf8'));
    db.close();

    const connector = await trellis(['add', 'connector', project, 'chinook', '--kind', 'sql', '--driver', 'sqlite', '--file', 'data/chinook.db']);
    expect(connector.stderr).toBe('');
    expect(connector.code).toBe(0);
    expect(connector.stdout).toContain('added connector chinook (sql, sqlite: data/chinook.db)');
    const yaml = readFileSync(join(project, 'connectors/chinook.yaml'), 'utf8');
    expect(yaml).toMatch(/kind: sql/);
    expect(yaml).toMatch(/driver: sqlite/);
    expect(yaml).toMatch(/file: data\/chinook.db/);

    const tx = await trellis(['add', 'transaction', project, 'chinook', 'getTrack', '--sql', 'SELECT * FROM Track WHERE TrackId = {id}', '--result', 'row']);
    expect(tx.stderr).toBe('');
    expect(tx.code).toBe(0);
    expect(tx.stdout).toContain('variables id:string');
    const txYaml = readFileSync(join(project, 'connectors/chinook.yaml'), 'utf8');
    expect(txYaml).toContain('sql: SELECT * FROM Track WHERE TrackId = {id}');
    expect(txYaml).toContain('result: row');

    const ran = await trellis(['run', project, 'chinook.getTrack', '--var', 'id=1']);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ TrackId: 1, Name: 'For Those About To Rock (We Salute You)', UnitPrice: '0.99', Milliseconds: 343719 });

    // the rest in process (spawning costs a second or more each)
    const outline = await cli(['introspect', project, 'chinook']);
    expect(outline.stdout).toContain('table Track');
    expect(outline.stdout).toContain('foreign key (AlbumId) → Album(AlbumId)');
    const json = await cli(['introspect', project, 'chinook', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).tables).toHaveLength(11);
    const missing = await cli(['run', project, 'chinook.getTrack']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('variable "id" is required');
  }, 60_000);

  it('explains mistakes in one line (in process)', async () => {
    const project = join(dir, 'errors');
    expect((await cli(['new', project])).code).toBe(0);
    const literal = await cli(['add', 'connector', project, 'pg', '--kind', 'sql', '--driver', 'postgres', '--url', 'postgres://app:hunter2@db/shop']);
    expect(literal.code).toBe(1);
    expect(literal.stderr).toContain('${env:NAME}');
    expect(literal.stderr).not.toContain('hunter2');
    const pg = await cli(['add', 'connector', project, 'pg', '--kind', 'sql', '--driver', 'postgres', '--url', 'postgres://app:${env:PG_PASSWORD}@127.0.0.1:1/shop']);
    expect(pg).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(project, 'connectors/pg.yaml'), 'utf8')).toContain('url: postgres://app:${env:PG_PASSWORD}@127.0.0.1:1/shop');
    const noSql = await cli(['add', 'transaction', project, 'pg', 'q']);
    expect(noSql.code).toBe(1);
    expect(noSql.stderr).toContain('--sql');
    const badResult = await cli(['add', 'transaction', project, 'pg', 'q', '--sql', 'SELECT 1', '--result', 'table']);
    expect(badResult.code).toBe(1);
    expect(badResult.stderr).toContain('result');
    const withPath = await cli(['add', 'transaction', project, 'pg', 'q', '--sql', 'SELECT 1', '--path', '/x']);
    expect(withPath.stderr).toContain('--path is for HTTP transactions');
    const added = await cli(['add', 'transaction', project, 'pg', 'q', '--sql', "SELECT {a}, '{not}', {b} -- {c}", '--var', 'b:integer=3']);
    expect(added.stdout).toContain('variables a:string, b:integer');
    process.env.PG_PASSWORD = 'pw-value-123';
    try {
      const refused = await cli(['run', project, 'pg.q', '--var', 'a=1']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('connection refused');
      expect(refused.stderr).not.toContain('pw-value-123');
    } finally {
      delete process.env.PG_PASSWORD;
    }
    const http = await cli(['add', 'connector', project, 'api', '--kind', 'http', '--host', 'api.example.com', '--https', '--base-path', '/v2']);
    expect(http).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(project, 'connectors/api.yaml'), 'utf8')).toMatch(/host: api.example.com\n\s+https: true\n\s+basePath: \/v2/);
    const sqlOnHttp = await cli(['add', 'transaction', project, 'api', 'x', '--sql', 'SELECT 1']);
    expect(sqlOnHttp.code).toBe(1);
    expect(sqlOnHttp.stderr).toContain('SQL connectors');
    const httpTx = await cli(['add', 'transaction', project, 'api', 'getUser', '--path', '/users/{id}']);
    expect(httpTx.stdout).toContain('GET /users/{id}');
    const unknownKind = await cli(['add', 'connector', project, 'x', '--kind', 'ftp']);
    expect(unknownKind.code).toBe(1);
    expect(unknownKind.stderr).toContain('unknown connector kind');
    const wrongFlag = await cli(['add', 'connector', project, 'lite', '--kind', 'sql', '--driver', 'sqlite', '--url', 'postgres://x']);
    expect(wrongFlag.stderr).toContain('--url is for --driver postgres');
    const lite = await cli(['add', 'connector', project, 'lite', '--kind', 'sql']);
    expect(lite.stdout).toContain('sqlite: data/lite.db');
  });
});
