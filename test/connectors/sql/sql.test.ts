import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorKind } from '../../../src/connectors/index.js';
import { introspect, type DatabaseSchema } from '../../../src/connectors/sql.connector.js';
import { envFrom } from '../../../src/engine/env.js';
import { TrellisError } from '../../../src/engine/errors.js';
import { executeTransaction } from '../../../src/engine/execute-transaction.js';
import { silentLogger } from '../../../src/engine/logger.js';
import { ConnectionPool } from '../../../src/engine/pool.js';
import type { Project, Variable } from '../../../src/model/index.js';
import { CHINOOK_DIR, loadChinook, postgresUnavailable, startPostgres, type PgServer } from '../../helpers/postgres.js';

/**
 * One suite, two drivers: SQLite (Chinook built from Chinook_Sqlite.sql into a temp file) and PostgreSQL (a
 * throwaway cluster with Chinook_PostgreSql.sql loaded by psql). The two scripts name things differently
 * (Track.TrackId vs track.track_id): SQL here writes <Track> and <TrackId>, and each driver maps the names.
 */

type DriverName = 'sqlite' | 'postgres';

const CHINOOK_TABLES = ['Album', 'Artist', 'Customer', 'Employee', 'Genre', 'Invoice', 'InvoiceLine', 'MediaType', 'Playlist', 'PlaylistTrack', 'Track'];

const EVIL = [
  `'; DROP TABLE <Track>; --`,
  `1; DROP TABLE <Genre>`,
  `' OR '1'='1`,
  `" OR ""="`,
  `\\'; DELETE FROM <Genre>; --`,
  `$$; DROP TABLE <Track>; $$`,
  `{id}`,
  `Robert'); DROP TABLE <Artist>;--`,
  `Ω≈ç√∫˜µ≤≥÷ 😀 𝕳 \u202e ‮ 表ポあ叶`,
  `nul\u0000byte'; DROP TABLE <Track>; --`,
];

const pgUnavailable = postgresUnavailable();
const skipPostgres = pgUnavailable !== undefined && !process.env.CI;
if (skipPostgres) console.warn(`skipping the PostgreSQL half of the SQL suite: ${pgUnavailable}`);

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

describe.each<{ driver: DriverName }>([{ driver: 'sqlite' }, { driver: 'postgres' }])('sql connector on $driver', ({ driver }) => {
  const pg = driver === 'postgres';
  /** the driver's name for a Chinook table or column */
  const n = (name: string) => (pg ? snake(name) : name);
  /** SQL with <Name> markers in the driver's names */
  const q = (sql: string) => sql.replace(/<(\w+)>/g, (_, name: string) => n(name));

  describe.skipIf(pg && skipPostgres)(driver, () => {
    let dir = '';
    let server: PgServer | undefined;
    let config: Record<string, unknown> = {};
    let pool: ConnectionPool;
    const secrets: Record<string, string> = { PG_PASSWORD: 'not-a-real-secret-4f9a' };
    const env = envFrom(secrets);

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), `trellis-sql-${driver}-`));
      pool = new ConnectionPool();
      if (pg) {
        server = await startPostgres();
        if (!server) throw new Error('PostgreSQL is unavailable');
        if (server.password) secrets.PG_PASSWORD = server.password;
        await loadChinook(server);
        await server.psql([
          '-v', 'ON_ERROR_STOP=1', '-d', 'chinook', '-c',
          `CREATE TABLE scratch (id serial PRIMARY KEY, label text, n integer);
           CREATE TABLE typed (id serial PRIMARY KEY, big bigint, num numeric(12,3), f double precision, flag boolean, day date,
                               at timestamp, atz timestamptz, bin bytea, doc jsonb, txt text);
           CREATE VIEW track_names AS SELECT track_id, name FROM track;`,
        ]);
        config = { driver: 'postgres', host: server.host, port: server.port, database: 'chinook', user: server.user, password: '${env:PG_PASSWORD}' };
      } else {
        const db = new Database(join(dir, 'chinook.db'));
        db.exec(readFileSync(join(CHINOOK_DIR, 'Chinook_Sqlite.sql'), 'utf8'));
        db.exec(`CREATE TABLE scratch (id INTEGER PRIMARY KEY, label TEXT, n INTEGER);
                 CREATE TABLE typed (id INTEGER PRIMARY KEY, big INTEGER, num NUMERIC(12,3), f REAL, flag BOOLEAN, day DATE,
                                     at DATETIME, atz TIMESTAMP, bin BLOB, doc JSON, txt TEXT);
                 CREATE VIEW track_names AS SELECT TrackId, Name FROM Track;`);
        db.close();
        config = { driver: 'sqlite', file: 'chinook.db' };
      }
    }, 60_000);

    afterAll(async () => {
      await pool?.dispose();
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    interface TxSpec {
      sql: string;
      result?: 'rows' | 'row' | 'scalar' | 'count';
      rowLimit?: number;
      timeoutMs?: number;
      variables?: Variable[];
    }

    function project(tx: TxSpec, ownConfig = config): Project {
      const transaction = { name: 't', type: 'sql', variables: [], ...tx, sql: q(tx.sql) };
      return { dir, name: 'p', formatVersion: 1, connectors: [{ name: 'db', kind: 'sql', config: ownConfig, transactions: [transaction] }], sequences: [] } as Project;
    }

    function run(tx: TxSpec, vars: Record<string, unknown> = {}, options: { timeoutMs?: number; signal?: AbortSignal; config?: Record<string, unknown>; pool?: ConnectionPool } = {}) {
      return executeTransaction(project(tx, options.config), 'db.t', vars, { env, pool: options.pool ?? pool, timeoutMs: options.timeoutMs, signal: options.signal });
    }

    async function failure(...args: Parameters<typeof run>): Promise<TrellisError> {
      try {
        await run(...args);
      } catch (e) {
        expect(e).toBeInstanceOf(TrellisError);
        return e as TrellisError;
      }
      throw new Error('expected the transaction to fail');
    }

    async function counts(): Promise<Record<string, number>> {
      const out: Record<string, number> = {};
      for (const t of ['Track', 'Genre', 'Artist']) out[t] = (await run({ sql: `SELECT count(*) FROM <${t}>`, result: 'scalar' })).data as number;
      out.scratch = (await run({ sql: 'SELECT count(*) FROM scratch', result: 'scalar' })).data as number;
      return out;
    }

    describe('results and types', () => {
      it('returns a row with its column types preserved', async () => {
        const r = await run({ sql: 'SELECT * FROM <Track> WHERE <TrackId> = {id}', result: 'row' }, { id: '1' });
        expect(r.data).toEqual({
          [n('TrackId')]: 1,
          [n('Name')]: 'For Those About To Rock (We Salute You)',
          [n('AlbumId')]: 1,
          [n('MediaTypeId')]: 1,
          [n('GenreId')]: 1,
          [n('Composer')]: 'Angus Young, Malcolm Young, Brian Johnson',
          [n('Milliseconds')]: 343719,
          [n('Bytes')]: 11170334,
          [n('UnitPrice')]: '0.99',
        });
        expect(r.meta.rows).toBe(1);
        expect(r.meta.columns?.map((c) => c.name)).toEqual(['TrackId', 'Name', 'AlbumId', 'MediaTypeId', 'GenreId', 'Composer', 'Milliseconds', 'Bytes', 'UnitPrice'].map(n));
        expect(r.meta.columns?.[0]?.type).toBe(pg ? 'int4' : 'INTEGER');
        expect(r.meta.columns?.[8]?.type).toBe(pg ? 'numeric' : 'NUMERIC(10,2)');
        expect(typeof r.meta.ms).toBe('number');
      });

      it('gives rows, row (null when none), scalar and count shapes', async () => {
        const rows = await run({ sql: 'SELECT <InvoiceId>, <InvoiceDate>, <Total> FROM <Invoice> ORDER BY <InvoiceId> LIMIT 2' });
        expect(rows.data).toEqual([
          { [n('InvoiceId')]: 1, [n('InvoiceDate')]: '2021-01-01T00:00:00', [n('Total')]: '1.98' },
          { [n('InvoiceId')]: 2, [n('InvoiceDate')]: '2021-01-02T00:00:00', [n('Total')]: '3.96' },
        ]);
        expect((await run({ sql: 'SELECT * FROM <Track> WHERE <TrackId> = -1', result: 'row' })).data).toBeNull();
        expect((await run({ sql: 'SELECT * FROM <Track> WHERE <TrackId> = -1', result: 'scalar' })).data).toBeNull();
        expect((await run({ sql: 'SELECT count(*) FROM <Track>', result: 'scalar' })).data).toBe(3503);
        expect((await run({ sql: 'SELECT * FROM <Genre>', result: 'count' })).data).toEqual({ affected: 25 });
        const updated = await run({ sql: 'UPDATE <Genre> SET <Name> = <Name> WHERE <GenreId> <= 3', result: 'count' });
        expect(updated.data).toEqual({ affected: 3 });
        const write = await run({ sql: 'UPDATE <Genre> SET <Name> = <Name> WHERE <GenreId> = 1' });
        expect(write.data).toEqual([]);
        expect(write.meta.affected).toBe(1);
      });

      it('maps integers, bigints, decimals, dates, booleans, blobs, JSON and NULL', async () => {
        const variables: Variable[] = [
          { name: 'big', type: 'string' },
          { name: 'num', type: 'string' },
          { name: 'f', type: 'number' },
          { name: 'flag', type: 'boolean' },
          { name: 'day', type: 'string' },
          { name: 'at', type: 'string' },
          { name: 'atz', type: 'string' },
          { name: 'doc', type: 'json' },
        ];
        const blob = pg ? `'\\x00ff10'::bytea` : `X'00FF10'`;
        const inserted = await run(
          {
            sql: `INSERT INTO typed (big, num, f, flag, day, at, atz, bin, doc) VALUES ({big}, {num}, {f}, {flag}, {day}, {at}, {atz}, ${blob}, {doc}) RETURNING id`,
            result: 'scalar',
            variables,
          },
          { big: '9007199254740993', num: '1234.5', f: '1.5', flag: 'true', day: '2024-02-29', at: '2024-02-29 13:45:00', atz: '2024-02-29 13:45:00+02', doc: '{"a":[1,2],"b":null}' },
        );
        const id = inserted.data;
        expect(typeof id).toBe('number');
        const r = await run({ sql: 'SELECT big, num, f, flag, day, at, atz, bin, doc, txt, 40 + 2 AS answer, NULL AS empty FROM typed WHERE id = {id}', result: 'row' }, { id });
        expect(r.data).toEqual({
          big: '9007199254740993',
          num: '1234.500',
          f: 1.5,
          flag: true,
          day: '2024-02-29',
          at: '2024-02-29T13:45:00',
          atz: pg ? '2024-02-29T11:45:00.000Z' : '2024-02-29T13:45:00+02',
          bin: 'AP8Q',
          doc: { a: [1, 2], b: null },
          txt: null,
          answer: 42,
          empty: null,
        });
        const scalar = await run({ sql: 'SELECT big FROM typed WHERE id = {id}', result: 'scalar' }, { id });
        expect(scalar.data).toBe('9007199254740993');
        const rows = await run({ sql: 'SELECT big, big - 9007199254740000 AS small FROM typed WHERE big IS NOT NULL' });
        expect(rows.data).toContainEqual({ big: '9007199254740993', small: 993 });
        expect((await run({ sql: 'SELECT {x} AS x', result: 'scalar', variables: [{ name: 'x', type: 'integer' }] }, { x: 7 })).data).toBe(7);
        expect((await run({ sql: 'SELECT {x} AS x', result: 'scalar' }, { x: 'text' })).data).toBe('text');
      });
    });

    describe('parameters', () => {
      it('binds typed variables, reuses a name and sends NULL for a missing optional one', async () => {
        const variables: Variable[] = [
          { name: 'genre', type: 'integer' },
          { name: 'media', type: 'integer', required: true },
        ];
        const sql = 'SELECT count(*) FROM <Track> WHERE ({genre} IS NULL OR <GenreId> = {genre}) AND <MediaTypeId> = {media}';
        const all = (await run({ sql: 'SELECT count(*) FROM <Track> WHERE <MediaTypeId> = 1', result: 'scalar' })).data;
        const rock = (await run({ sql: 'SELECT count(*) FROM <Track> WHERE <MediaTypeId> = 1 AND <GenreId> = 1', result: 'scalar' })).data;
        expect(all).toBeGreaterThan(rock as number);
        expect((await run({ sql, result: 'scalar', variables }, { media: '1' })).data).toBe(all);
        expect((await run({ sql, result: 'scalar', variables }, { genre: '1', media: 1 })).data).toBe(rock);
        const missing = await failure({ sql, result: 'scalar', variables }, {});
        expect(missing.code).toBe('BAD_VARIABLE');
        expect(missing.message).toContain('"media" is required');
        // an implied (string) variable compared with an integer column
        expect((await run({ sql: 'SELECT <Name> FROM <Genre> WHERE <GenreId> = {id}', result: 'scalar' }, { id: '2' })).data).toBe('Jazz');
        const flags = await run({ sql: 'SELECT {b} AS b, {n} AS n', result: 'row', variables: [{ name: 'b', type: 'boolean' }, { name: 'n', type: 'number' }] }, { b: 'true', n: '2.5' });
        expect(flags.data).toEqual(pg ? { b: true, n: '2.5' } : { b: 1, n: 2.5 });
      });

      it('expands a multivalued variable used in IN (...) into one parameter per item', async () => {
        const variables: Variable[] = [{ name: 'ids', type: 'integer', multivalued: true }];
        const sql = 'SELECT <TrackId> FROM <Track> WHERE <TrackId> IN ({ids}) ORDER BY <TrackId>';
        const r = await run({ sql, variables }, { ids: ['5', '1', '3'] });
        expect(r.data).toEqual([1, 3, 5].map((id) => ({ [n('TrackId')]: id })));
        expect((await run({ sql, variables }, { ids: [] })).data).toEqual([]);
        expect((await run({ sql, variables }, { ids: ['2'] })).data).toEqual([{ [n('TrackId')]: 2 }]);
        const many = Array.from({ length: 500 }, (_, i) => i + 1);
        expect(((await run({ sql, variables }, { ids: many })).data as unknown[]).length).toBe(500);
        const names = await run(
          { sql: 'SELECT count(*) FROM <Genre> WHERE <Name> IN ({names})', result: 'scalar', variables: [{ name: 'names', type: 'string', multivalued: true }] },
          { names: ['Rock', 'Jazz', ...EVIL.map(q)] },
        ).catch((e: TrellisError) => e);
        if (names instanceof TrellisError) expect(names.code).toBe('BAD_VARIABLE'); // PostgreSQL refuses the NUL byte
        else expect(names.data).toBe(2);
      });

      it('never interpolates: injection attempts in every variable change nothing', async () => {
        const before = await counts();
        const variables: Variable[] = [
          { name: 'name', type: 'string' },
          { name: 'id', type: 'string' },
          { name: 'label', type: 'string' },
        ];
        for (const raw of EVIL) {
          const evil = q(raw);
          const read = await run({ sql: 'SELECT * FROM <Track> WHERE <Name> = {name} OR CAST(<TrackId> AS TEXT) = {id}', variables }, { name: evil, id: evil }).catch((e: TrellisError) => e);
          if (read instanceof TrellisError) {
            expect(read.code).toBe('BAD_VARIABLE');
            expect(raw).toContain('\u0000');
          } else expect(read.data).toEqual([]);
          const write = await run({ sql: 'INSERT INTO scratch (label) VALUES ({label}) RETURNING label', result: 'scalar', variables }, { label: evil }).catch((e: TrellisError) => e);
          if (write instanceof TrellisError) {
            expect(pg && raw.includes('\u0000')).toBe(true);
            expect(write.code).toBe('BAD_VARIABLE');
            expect(write.message).toContain('NUL');
          } else expect(write.data).toBe(evil); // stored and read back byte for byte
        }
        const after = await counts();
        const stored = EVIL.filter((e) => !(pg && e.includes('\u0000'))).length;
        expect(after).toEqual({ ...before, scratch: before.scratch! + stored });
        const schema = await introspectNow();
        for (const t of CHINOOK_TABLES) expect(schema.tables.map((x) => x.name)).toContain(n(t));
      });
    });

    describe('several statements', () => {
      it('splits safely and returns the result of the last statement', async () => {
        const r = await run({ sql: `SELECT 'a;b' AS x; -- not; a statement\nSELECT 'c;d' AS y /* ; */;` });
        expect(r.data).toEqual([{ y: 'c;d' }]);
        const inserted = await run({
          sql: "INSERT INTO scratch (label, n) VALUES ({label}, 1); INSERT INTO scratch (label, n) VALUES ({label}, 2); SELECT count(*) FROM scratch WHERE label = {label}",
          result: 'scalar',
        }, { label: 'multi-ok' });
        expect(inserted.data).toBe(2);
      });

      it('runs them in one database transaction and rolls back on error', async () => {
        const before = await counts();
        const e = await failure({
          sql: "INSERT INTO scratch (label) VALUES ('rolled back');\nUPDATE <Genre> SET <Name> = 'changed';\nINSERT INTO <Genre> (<GenreId>, <Name>) VALUES (1, 'duplicate')",
        });
        expect(e.code).toBe('BAD_VARIABLE');
        expect(e.message).toContain('statement 3 of 3');
        expect(e.message).toContain('rolled back');
        expect(await counts()).toEqual(before);
        expect((await run({ sql: "SELECT count(*) FROM scratch WHERE label = 'rolled back'", result: 'scalar' })).data).toBe(0);
        expect((await run({ sql: 'SELECT <Name> FROM <Genre> WHERE <GenreId> = 1', result: 'scalar' })).data).toBe('Rock');
      });
    });

    describe('limits', () => {
      it('fetches at most rowLimit rows and says the result was cut', async () => {
        const cut = await run({ sql: 'SELECT <TrackId> FROM <Track> ORDER BY <TrackId>', rowLimit: 10 });
        expect((cut.data as unknown[]).length).toBe(10);
        expect(cut.meta.truncated).toBe(true);
        const all = await run({ sql: 'SELECT <TrackId> FROM <Track>' });
        expect((all.data as unknown[]).length).toBe(3503);
        expect(all.meta.truncated).toBeUndefined();
        const exact = await run({ sql: 'SELECT * FROM <Genre>', rowLimit: 25 });
        expect(exact.meta.truncated).toBeUndefined();
        const fromConfig = await run({ sql: 'SELECT * FROM <Genre>' }, {}, { config: { ...config, rowLimit: 5 } });
        expect((fromConfig.data as unknown[]).length).toBe(5);
        expect(fromConfig.meta.truncated).toBe(true);
        // the connection is still usable after a cut result
        expect((await run({ sql: 'SELECT count(*) FROM <Genre>', result: 'scalar' })).data).toBe(25);
      });

      it('stops a statement at its timeout (TIMEOUT)', async () => {
        const slow = pg ? 'SELECT pg_sleep(5)' : 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c';
        const started = Date.now();
        const e = await failure({ sql: slow, timeoutMs: 300, rowLimit: 1_000_000_000 });
        expect(e.code).toBe('TIMEOUT');
        expect(e.message).toMatch(/300 ms/);
        expect(Date.now() - started).toBeLessThan(3000);
        // the engine's deadline bounds it too
        const e2 = await failure({ sql: slow, rowLimit: 1_000_000_000 }, {}, { timeoutMs: 300 });
        expect(e2.code).toBe('TIMEOUT');
        expect((await run({ sql: 'SELECT 1 AS one', result: 'scalar' })).data).toBe(1);
      });
    });

    describe('errors', () => {
      it('reports a syntax error with its line and column', async () => {
        const e = await failure({ sql: 'SELEC * FROM <Track>' });
        expect(e.code).toBe('INVALID_CONFIG');
        expect(e.message).toMatch(/syntax error/);
        expect(e.message).toContain('line 1, column 1');
        const sql = 'SELECT * FROM <Track>\nWHERE <TrackId> = {id} ORDER BYY 1';
        const e2 = await failure({ sql }, { id: '1' });
        expect(e2.message).toContain(`line 2, column ${q(sql).split('\n')[1]!.indexOf('BYY') + 1}`);
        const e3 = await failure({ sql: 'SELECT nope FROM <Track>' });
        expect(e3.code).toBe('INVALID_CONFIG');
        expect(e3.message).toMatch(/nope/);
      });

      it('names the violated constraint', async () => {
        const unique = await failure({ sql: "INSERT INTO <Genre> (<GenreId>, <Name>) VALUES (1, 'again')" });
        expect(unique.code).toBe('BAD_VARIABLE');
        expect(unique.message).toContain(pg ? 'genre_pkey' : 'Genre.GenreId');
        const foreign = await failure({ sql: "INSERT INTO <Album> (<AlbumId>, <Title>, <ArtistId>) VALUES (99999, 'x', 99999)" });
        expect(foreign.code).toBe('BAD_VARIABLE');
        expect(foreign.message).toContain(pg ? 'album_artist_id_fkey' : 'FOREIGN KEY constraint failed');
        const notNull = await failure({ sql: 'INSERT INTO <Track> (<TrackId>, <Name>, <MediaTypeId>, <Milliseconds>, <UnitPrice>) VALUES (99999, NULL, 1, 1, 0.99)' });
        expect(notNull.code).toBe('BAD_VARIABLE');
        expect(notNull.message).toMatch(pg ? /not-null constraint/ : /NOT NULL constraint failed: Track.Name/);
      });

      it('rejects a statement-free SQL text', async () => {
        const e = await failure({ sql: '-- nothing here\n;' });
        expect(e.code).toBe('INVALID_CONFIG');
      });
    });

    describe('introspection', () => {
      it('lists the Chinook tables, views, columns, primary and foreign keys', async () => {
        const schema = await introspectNow();
        expect(schema.driver).toBe(driver);
        const chinook = schema.tables.filter((t) => CHINOOK_TABLES.map(n).includes(t.name));
        expect(chinook).toHaveLength(11);
        const track = chinook.find((t) => t.name === n('Track'))!;
        expect(track.kind).toBe('table');
        expect(track.schema).toBe(pg ? 'public' : 'main');
        expect(track.primaryKey).toEqual([n('TrackId')]);
        expect(track.columns.map((c) => c.name)).toEqual(['TrackId', 'Name', 'AlbumId', 'MediaTypeId', 'GenreId', 'Composer', 'Milliseconds', 'Bytes', 'UnitPrice'].map(n));
        const name = track.columns.find((c) => c.name === n('Name'))!;
        expect(name).toMatchObject({ nullable: false, default: null });
        expect(name.type).toBe(pg ? 'character varying(200)' : 'NVARCHAR(200)');
        expect(track.columns.find((c) => c.name === n('Composer'))!.nullable).toBe(true);
        expect(track.columns.find((c) => c.name === n('UnitPrice'))!.type).toBe(pg ? 'numeric(10,2)' : 'NUMERIC(10,2)');
        const fks = track.foreignKeys.map((fk) => `${fk.columns.join()}->${fk.references.table}(${fk.references.columns.join()})`).sort();
        expect(fks).toEqual([`${n('AlbumId')}->${n('Album')}(${n('AlbumId')})`, `${n('GenreId')}->${n('Genre')}(${n('GenreId')})`, `${n('MediaTypeId')}->${n('MediaType')}(${n('MediaTypeId')})`]);
        if (pg) expect(track.foreignKeys.map((fk) => fk.name).sort()).toEqual(['track_album_id_fkey', 'track_genre_id_fkey', 'track_media_type_id_fkey']);
        const playlistTrack = chinook.find((t) => t.name === n('PlaylistTrack'))!;
        expect(playlistTrack.primaryKey).toEqual([n('PlaylistId'), n('TrackId')]);
        expect(playlistTrack.foreignKeys).toHaveLength(2);
        const employee = chinook.find((t) => t.name === n('Employee'))!;
        expect(employee.foreignKeys[0]).toMatchObject({ columns: [n('ReportsTo')], references: { table: n('Employee'), columns: [n('EmployeeId')] }, onDelete: 'NO ACTION' });
        const totalFks = chinook.reduce((sum, t) => sum + t.foreignKeys.length, 0);
        expect(totalFks).toBe(11);
        const view = schema.views.find((v) => v.name === 'track_names')!;
        expect(view.kind).toBe('view');
        expect(view.columns.map((c) => c.name)).toEqual([n('TrackId'), n('Name')]);
        const scratch = schema.tables.find((t) => t.name === 'scratch')!;
        expect(scratch.columns[0]).toMatchObject({ name: 'id', generated: true });
        if (pg) expect(scratch.columns[0]!.default).toMatch(/^nextval/);
      });
    });

    async function introspectNow(): Promise<DatabaseSchema> {
      const kind = connectorKind('sql')!;
      const handle = await pool.get(dir, { name: 'db', kind: 'sql', config, transactions: [] }, env, silentLogger);
      expect(kind.kind).toBe('sql');
      return introspect(handle);
    }

    if (pg) {
      describe('connections (PostgreSQL)', () => {
        it('can be cancelled (CANCELLED) and keeps working', async () => {
          const controller = new AbortController();
          setTimeout(() => controller.abort(), 200);
          const e = await failure({ sql: 'SELECT pg_sleep(5)' }, {}, { signal: controller.signal });
          expect(e.code).toBe('CANCELLED');
          expect((await run({ sql: 'SELECT 2 AS two', result: 'scalar' })).data).toBe(2);
        });

        it('reports a lost connection (the backend is terminated) as NETWORK, then recovers', async () => {
          const pending = failure({ sql: 'SELECT pg_sleep(7.25)' });
          await new Promise((r) => setTimeout(r, 400));
          await server!.psql(['-d', 'chinook', '-c', "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(7.25)%' AND pid <> pg_backend_pid()"]);
          const e = await pending;
          expect(e.code).toBe('NETWORK');
          expect(e.message).toMatch(/connection .* was lost/);
          expect((await run({ sql: 'SELECT 3 AS three', result: 'scalar' })).data).toBe(3);
        });

        it('reports a refused connection without the password', async () => {
          const closed = await new Promise<number>((resolve) => {
            import('node:net').then(({ createServer }) => {
              const s = createServer().listen(0, '127.0.0.1', () => {
                const port = (s.address() as { port: number }).port;
                s.close(() => resolve(port));
              });
            });
          });
          const own = new ConnectionPool();
          try {
            const e = await failure({ sql: 'SELECT 1' }, {}, { config: { ...config, port: closed }, pool: own });
            expect(e.code).toBe('CONNECTION_REFUSED');
            expect(e.message).toContain(`127.0.0.1:${closed}`);
            expect(e.message).not.toContain(secrets.PG_PASSWORD);
            const viaUrl = await failure({ sql: 'SELECT 1' }, {}, { config: { driver: 'postgres', url: `postgres://postgres:\${env:PG_PASSWORD}@127.0.0.1:${closed}/chinook` }, pool: own });
            expect(viaUrl.code).toBe('CONNECTION_REFUSED');
            expect(viaUrl.message).not.toContain(secrets.PG_PASSWORD);
            const missing = await failure({ sql: 'SELECT 1' }, {}, { config: { ...config, password: '${env:NOT_SET_ANYWHERE}' }, pool: own });
            expect(missing.code).toBe('MISSING_SECRET');
          } finally {
            await own.dispose();
          }
        });

        it.skipIf(!!process.env.TRELLIS_PG_URL)('reports the server going away (cluster stopped) as a connection error', async () => {
          expect((await run({ sql: 'SELECT 4 AS four', result: 'scalar' })).data).toBe(4);
          await server!.kill();
          const e = await failure({ sql: 'SELECT 5 AS five', result: 'scalar' });
          expect(['CONNECTION_REFUSED', 'NETWORK']).toContain(e.code);
          const again = await failure({ sql: 'SELECT 5 AS five', result: 'scalar' });
          expect(again.code).toBe('CONNECTION_REFUSED');
        });
      });
    } else {
      describe('files (SQLite)', () => {
        it('refuses a missing database file for a readonly connector', async () => {
          const e = await failure({ sql: 'SELECT 1' }, {}, { config: { driver: 'sqlite', file: 'data/absent.db', readonly: true } });
          expect(e.code).toBe('NOT_FOUND');
          expect(e.message).toContain('data/absent.db');
          expect(e.message).toContain('readonly');
        });

        it('refuses writes on a readonly connector', async () => {
          const e = await failure({ sql: "INSERT INTO scratch (label) VALUES ('x')" }, {}, { config: { ...config, readonly: true } });
          expect(e.code).toBe('INVALID_CONFIG');
          expect(e.message).toMatch(/read-?only/);
        });

        it('runs in memory', async () => {
          const r = await run({ sql: 'CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2); SELECT sum(a) FROM t', result: 'scalar' }, {}, { config: { driver: 'sqlite', file: ':memory:' } });
          expect(r.data).toBe(3);
        });
      });
    }
  });
});
