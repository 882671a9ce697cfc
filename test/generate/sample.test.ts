import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSampleProject, sampleSource, trellisHome } from '../../src/project/sample.js';
import { exportBundle } from '../../src/bundle/export.js';
import { startRuntime } from '../../src/runtime/server.js';
import { call, logSink, serve, writeProject } from '../runtime/helpers.js';

/** The sample project `npm start` opens: it validates, builds Chinook from its script, and is copied per user. */

const SAMPLE = resolve(import.meta.dirname, '../../resources/sample');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../src/cli/main.js');
  const { processIo } = await import('../../src/cli/io.js');
  const saved = { out: processIo.out, err: processIo.err };
  let stdout = '';
  let stderr = '';
  processIo.out = (t) => void (stdout += `${t}\n`);
  processIo.err = (t) => void (stderr += `${t}\n`);
  process.exitCode = undefined;
  try {
    return { code: await main(['node', 'trellis', ...args]), stdout, stderr };
  } finally {
    Object.assign(processIo, saved);
    process.exitCode = undefined;
  }
}

let home = '';
let project = '';

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'trellis-sample-home-'));
  project = await ensureSampleProject({ home });
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the sample project', () => {
  it('is resources/sample, validates, and carries the Chinook script with its license', async () => {
    expect(sampleSource()).toBe(SAMPLE);
    const r = await cli(['validate', SAMPLE]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(SAMPLE, 'files/CHINOOK-LICENSE.txt'), 'utf8')).toContain('Copyright (c) 2008-2024 Luis Rocha');
    expect(readFileSync(join(SAMPLE, '.gitignore'), 'utf8')).toContain('data/');
    expect(readdirSync(join(SAMPLE, 'files')).sort()).toEqual(['CHINOOK-LICENSE.txt', 'Chinook_Sqlite.sql']);
    // a database built by running the sample in place is never committed
    expect(execFileSync('git', ['check-ignore', 'resources/sample/data/chinook.db'], { cwd: resolve(SAMPLE, '../..') }).toString().trim()).toBe('resources/sample/data/chinook.db');
  });

  it('is copied to $TRELLIS_HOME/chinook on first use, and that copy is kept afterwards', async () => {
    expect(trellisHome({ TRELLIS_HOME: home })).toBe(resolve(home));
    expect(trellisHome({})).toMatch(/Trellis$/);
    expect(project).toBe(join(home, 'chinook'));
    const file = join(project, 'trellis.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Sample project', 'My sample project'));
    expect(await ensureSampleProject({ home })).toBe(project);
    expect(readFileSync(file, 'utf8')).toContain('My sample project');
    expect(readdirSync(home)).toEqual(['chinook']);
  });

  it('leaves a database built in the source out of the copy', async () => {
    const source = mkdtempSync(join(tmpdir(), 'trellis-sample-src-'));
    try {
      cpSync(SAMPLE, join(source, 'sample'), { recursive: true });
      mkdirSync(join(source, 'sample/data'), { recursive: true });
      writeFileSync(join(source, 'sample/data/chinook.db'), 'not a database');
      const copy = await ensureSampleProject({ home: join(source, 'home'), source: join(source, 'sample') });
      expect(existsSync(join(copy, 'files/Chinook_Sqlite.sql'))).toBe(true);
      expect(existsSync(join(copy, 'data'))).toBe(false);
    } finally {
      rmSync(source, { recursive: true, force: true });
    }
  });

  it('builds Chinook from its script on first use: the SQL transaction returns Chinook rows', async () => {
    const r = await cli(['run', project, 'chinook.tracksByAlbum', '--var', 'albumId=1']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual({
      TrackId: 1,
      Name: 'For Those About To Rock (We Salute You)',
      Genre: 'Rock',
      MediaType: 'MPEG audio file',
      Composer: 'Angus Young, Malcolm Young, Brian Johnson',
      Milliseconds: 343719,
      UnitPrice: '0.99',
    });
    expect(readdirSync(join(project, 'data'))).toEqual(['chinook.db']);
    const top = await cli(['run', project, 'chinook.topArtists', '--var', 'top=3']);
    expect(JSON.parse(top.stdout).map((a: { Artist: string }) => a.Artist)).toEqual(['Iron Maiden', 'U2', 'Metallica']);
    const album = await cli(['run', project, 'albumWithTracks', '--var', 'albumId=2']);
    expect(JSON.parse(album.stdout)).toMatchObject({ Title: 'Balls to the Wall', Artist: 'Accept', trackCount: 1 });
  }, 60_000);

  it('serves its generated database services', async () => {
    const runtime = await serve([project]);
    try {
      const page = await call(`${runtime.url}/chinook/Track?limit=50&sort=Milliseconds&direction=desc`);
      expect(page.status).toBe(200);
      expect(page.body).toHaveLength(50);
      expect(page.body[0]).toMatchObject({ TrackId: 2820, Name: 'Occupation / Precipice' });
      expect((await call(`${runtime.url}/chinook/Artist/1`)).body).toEqual({ ArtistId: 1, Name: 'AC/DC' });
      expect((await call(`${runtime.url}/chinook/Artist/100000`)).status).toBe(404);
    } finally {
      await runtime.close();
    }
  }, 60_000);
});

describe('the sample as a bundle', () => {
  it('carries its script (files/) and not its database (data/); the runtime builds Chinook from it', async () => {
    const out = join(home, 'chinook.trellis');
    const result = await exportBundle(project, out);
    const files = Object.keys(result.manifest.files);
    expect(files).toContain('files/Chinook_Sqlite.sql');
    expect(files.some((f) => f.startsWith('data/'))).toBe(false);
    const runtime = await startRuntime({ sources: [{ kind: 'bundle', path: out }], logSpec: 'silent', logDestination: logSink().stream, sessionStore: 'memory' });
    try {
      expect((await call(`${runtime.url}/chinook/Artist/1`)).body).toEqual({ ArtistId: 1, Name: 'AC/DC' });
      expect((await call(`${runtime.url}/chinook/Album?ArtistId=1`)).body.map((a: { Title: string }) => a.Title)).toEqual(['For Those About To Rock We Salute You', 'Let There Be Rock']);
    } finally {
      await runtime.close();
    }
  }, 60_000);
});

describe('the sqlite init setting', () => {
  let dir = '';
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a failing script leaves no database behind and says where it failed; a script outside the project is refused', async () => {
    dir = await writeProject({
      'trellis.yaml': { name: 'broken', formatVersion: 1 },
      'connectors/db.yaml': {
        name: 'db',
        kind: 'sql',
        config: { driver: 'sqlite', file: 'data/x.db', init: 'bad.sql' },
        transactions: [{ name: 'one', type: 'sql', sql: 'SELECT 1 AS one' }],
      },
      'connectors/out.yaml': { name: 'out', kind: 'sql', config: { driver: 'sqlite', file: 'data/y.db', init: '../elsewhere.sql' }, transactions: [{ name: 'one', type: 'sql', sql: 'SELECT 1' }] },
      'connectors/mem.yaml': { name: 'mem', kind: 'sql', config: { driver: 'sqlite', file: ':memory:', init: 'good.sql' }, transactions: [{ name: 'count', type: 'sql', sql: 'SELECT count(*) FROM t', result: 'scalar' }] },
      'bad.sql': 'CREATE TABLE t (a INTEGER);\nINSERT INTO t VALUES (1);\nINSERT INTO nowhere VALUES (2);',
      'good.sql': 'CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2), (3);',
    });
    const bad = await cli(['run', dir, 'db.one']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^trellis: .*connector db: the init script bad\.sql failed: .*no such table: nowhere/);
    expect(existsSync(join(dir, 'data/x.db'))).toBe(false);
    expect(readdirSync(join(dir, 'data'))).toEqual([]);
    const out = await cli(['run', dir, 'out.one']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('init ../elsewhere.sql must be a script inside the project folder');
    const mem = await cli(['run', dir, 'mem.count']);
    expect(mem.code, mem.stderr).toBe(0);
    expect(mem.stdout.trim()).toBe('3');
  });
});
