import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { couchDatabaseName } from '../../../src/cli/commands/add-couch-connector.js';

/** Runs the CLI in this process, capturing what it prints and its exit code. */
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
let project = '';

beforeAll(async () => {
  process.env.TRELLIS_LOG = 'silent';
  dir = mkdtempSync(join(tmpdir(), 'trellis-couch-cli-'));
  project = join(dir, 'notes');
  const made = await cli(['new', project]);
  expect(made.stderr).toBe('');
  expect(made.code).toBe(0);
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('trellis add connector --kind couch', () => {
  it('writes an embedded fullsync connector with the database named after the connector', async () => {
    const r = await cli(['add', 'connector', project, 'Notes.Store', '--kind', 'couch', '--fullsync', '--anonymous']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('added connector Notes.Store (couch, embedded store data/fullsync/notes_store, fullsync, anonymous replication)');
    const yaml = readFileSync(join(project, 'connectors/Notes.Store.yaml'), 'utf8');
    expect(yaml).toMatch(/kind: couch/);
    expect(yaml).toMatch(/database: notes_store/);
    expect(yaml).toMatch(/fullsync: true/);
    expect(yaml).toMatch(/anonymous: true/);
    expect(yaml).not.toMatch(/url:/);
  });

  it('writes a CouchDB server connector with the password as an env reference', async () => {
    const r = await cli(['add', 'connector', project, 'remote', '--kind', 'couch', '--url', 'http://couch.example.com:5984', '--database', 'orders', '--user', 'app', '--password-env', 'COUCH_PASSWORD']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('added connector remote (couch, http://couch.example.com:5984/orders)');
    const yaml = readFileSync(join(project, 'connectors/remote.yaml'), 'utf8');
    expect(yaml).toContain('url: http://couch.example.com:5984');
    expect(yaml).toContain('database: orders');
    expect(yaml).toContain('user: app');
    expect(yaml).toContain('password: ${env:COUCH_PASSWORD}');
  });

  it.each([
    [['--url', 'http://app:secret@couch.example.com:5984'], '--url holds a password; project files hold no secrets'],
    [['--url', 'http://app@couch.example.com:5984'], '--url holds a user name: give the server URL alone and the user with --user app'],
    [['--host', 'couch.example.com'], '--host is for HTTP and PostgreSQL connectors; a couch connector takes --url'],
    [['--driver', 'sqlite'], '--driver is for SQL connectors'],
    [['--anonymous'], '--anonymous allows anonymous replication of a FullSync database: add --fullsync'],
    [['--database', 'Orders'], '--database "Orders": a CouchDB database name is lowercase'],
    [['--user', 'app'], '--user and --password-env are for a CouchDB server: give its --url too'],
    [['--url', 'http://couch.example.com:5984', '--password-env', 'P'], '--password-env needs --user'],
    [['--url', 'http://couch.example.com:5984', '--user', 'app', '--password-env', 'not a name'], '--password-env "not a name" is not an environment variable name'],
  ])('refuses %j with a message saying why', async (flags, message) => {
    const r = await cli(['add', 'connector', project, 'refused', '--kind', 'couch', ...flags]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
    expect(() => readFileSync(join(project, 'connectors/refused.yaml'))).toThrow();
  });

  it('refuses --fullsync and --anonymous on other kinds', async () => {
    const r = await cli(['add', 'connector', project, 'api', '--kind', 'http', '--host', 'api.example.com', '--fullsync']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--fullsync is for couch connectors (--kind couch)');
  });

  it('names the database after the connector as CouchDB allows', () => {
    expect(couchDatabaseName('Orders')).toBe('orders');
    expect(couchDatabaseName('_cache.v2')).toBe('db_cache_v2');
    expect(couchDatabaseName('my-db')).toBe('my-db');
  });
});

describe('trellis add transaction on a couch connector, then trellis run', () => {
  it('adds put / get / view transactions and runs them against the embedded store', async () => {
    const c = await cli(['add', 'connector', project, 'docs', '--kind', 'couch']);
    expect(c.code).toBe(0);
    mkdirSync(join(project, 'fullsync/docs/notes'), { recursive: true });
    writeFileSync(join(project, 'fullsync/docs/notes/byTag.js'), "function map(doc) {\n  for (const t of doc.tags || []) emit(t, 1);\n}\nconst reduce = '_count';\n");

    const put = await cli(['add', 'transaction', project, 'docs', 'save', '--operation', 'put', '--policy', 'merge']);
    expect(put.stderr).toBe('');
    expect(put.stdout).toContain('added transaction docs.save (couch put, policy merge)');
    expect((await cli(['add', 'transaction', project, 'docs', 'load', '--operation', 'get'])).code).toBe(0);
    const view = await cli(['add', 'transaction', project, 'docs', 'tags', '--operation', 'view', '--view', 'notes/byTag']);
    expect(view.stdout).toContain('added transaction docs.tags (couch view notes/byTag)');
    const yaml = readFileSync(join(project, 'connectors/docs.yaml'), 'utf8');
    expect(yaml).toMatch(/operation: put/);
    expect(yaml).toMatch(/policy: merge/);
    expect(yaml).toMatch(/view: notes\/byTag/);

    const saved = await cli(['run', project, 'docs.save', '--var', 'doc={"_id":"n1","title":"first","tags":["a","b"]}']);
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain('"n1"');
    const merged = await cli(['run', project, 'docs.save', '--var', 'doc={"_id":"n1","body":"text"}']);
    expect(merged.code).toBe(0);

    const loaded = await cli(['run', project, 'docs.load', '--var', 'docid=n1']);
    expect(loaded.stderr).toBe('');
    const doc = JSON.parse(loaded.stdout) as { title: string; body: string; _rev: string };
    expect(doc.title).toBe('first');
    expect(doc.body).toBe('text');
    expect(doc._rev).toMatch(/^2-/);

    const counted = await cli(['run', project, 'docs.tags', '--var', 'group=true']);
    expect(counted.stderr).toBe('');
    expect(JSON.parse(counted.stdout)).toEqual({ rows: [{ key: 'a', value: 1 }, { key: 'b', value: 1 }] });
  }, 60_000);

  it.each([
    [['--operation', 'view'], '--operation view needs --view <design>/<view>'],
    [['--operation', 'get', '--view', 'a/b'], '--view is for --operation view, not get'],
    [['--operation', 'get', '--policy', 'merge'], '--policy is for --operation put or bulkPost, not get'],
    [['--operation', 'put', '--policy', 'upsert'], '--policy "upsert": use one of none, create, override, merge'],
    [['--operation', 'fetch'], '--operation "fetch": use one of get, put'],
    [[], 'a couch transaction needs --operation'],
    [['--operation', 'get', '--sql', 'SELECT 1'], '--sql is for SQL connectors'],
    [['--operation', 'get', '--method', 'POST'], '--method is not for couch transactions'],
  ])('refuses %j with a message saying why', async (flags, message) => {
    const r = await cli(['add', 'transaction', project, 'docs', 'bad', ...flags]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  it('refuses couch flags on other kinds', async () => {
    expect((await cli(['add', 'connector', project, 'api', '--kind', 'http', '--host', 'api.example.com'])).code).toBe(0);
    const r = await cli(['add', 'transaction', project, 'api', 'x', '--operation', 'get']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--operation is for couch connectors; connector api is of kind http');
  });
});
