import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envFrom } from '../../src/engine/env.js';
import { generateCrud } from '../../src/generate/crud-project.js';
import type { Runtime } from '../../src/runtime/server.js';
import { postgresUnavailable, startPostgres, type PgServer } from '../helpers/postgres.js';
import { call, serve, writeProject } from '../runtime/helpers.js';

/**
 * Generated database services through the runtime, end to end, on SQLite and PostgreSQL: the same table, the
 * same requests, the same answers. `guard` is a table no request should ever touch.
 */

const ITEMS = 60;

const EVIL = [
  `'; DROP TABLE guard; --`,
  `1; DELETE FROM item`,
  `' OR '1'='1`,
  `" OR ""="`,
  `\\'; DELETE FROM guard; --`,
  `$$; DROP TABLE item; $$`,
  `name) ; DROP TABLE guard; --`,
  `id DESC; DROP TABLE item`,
  `{id}`,
  `Ω≈ç√∫˜µ≤≥÷ 😀 𝕳 \u202e 表ポあ叶`,
  `nul\u0000byte'; DROP TABLE guard; --`,
];

const seedRows = Array.from({ length: ITEMS }, (_, i) => `('item ${String(i + 1).padStart(2, '0')}', ${(i % 7) + 0.5}, ${i}, '${i % 3 === 0 ? 'red' : 'blue'}')`).join(',\n');

const SQLITE_DDL = `
CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(10,2), qty INTEGER NOT NULL DEFAULT 0, tag TEXT);
CREATE TABLE guard (id INTEGER PRIMARY KEY, note TEXT);
CREATE TABLE pair (a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b));
INSERT INTO guard (note) VALUES ('untouched');
INSERT INTO item (name, price, qty, tag) VALUES ${seedRows};`;

const PG_DDL = `
CREATE TABLE item (id serial PRIMARY KEY, name text NOT NULL, price numeric(10,2), qty integer NOT NULL DEFAULT 0, tag text);
CREATE TABLE guard (id serial PRIMARY KEY, note text);
CREATE TABLE pair (a integer NOT NULL, b integer NOT NULL, PRIMARY KEY (a, b));
INSERT INTO guard (note) VALUES ('untouched');
INSERT INTO item (name, price, qty, tag) VALUES ${seedRows};`;

const pgUnavailable = postgresUnavailable();
const skipPostgres = pgUnavailable !== undefined && !process.env.CI;
if (skipPostgres) console.warn(`skipping the PostgreSQL half of the generated CRUD suite: ${pgUnavailable}`);

describe.each([{ driver: 'sqlite' as const }, { driver: 'postgres' as const }])('generated CRUD through the runtime on $driver', ({ driver }) => {
  describe.skipIf(driver === 'postgres' && skipPostgres)(driver, () => {
    let dir = '';
    let pg: PgServer | undefined;
    let runtime: Runtime;
    let base = '';
    const outside = mkdtempSync(join(tmpdir(), 'trellis-crud-rt-'));

    /** what no request may change: the guard row and the item count (after the writes this suite makes itself) */
    async function state(): Promise<{ guard: unknown; items: number }> {
      if (driver === 'sqlite') {
        const db = new Database(join(dir, 'data/app.db'), { readonly: true });
        try {
          return { guard: db.prepare('SELECT note FROM guard').all(), items: (db.prepare('SELECT count(*) AS n FROM item').get() as { n: number }).n };
        } finally {
          db.close();
        }
      }
      const out = await pg!.psql(['-d', 'crud', '-At', '-c', "SELECT json_build_object('guard', (SELECT json_agg(json_build_object('note', note)) FROM guard), 'items', (SELECT count(*) FROM item))"]);
      return JSON.parse(out.stdout.trim()) as { guard: unknown; items: number };
    }

    beforeAll(async () => {
      let config: Record<string, unknown>;
      if (driver === 'sqlite') {
        config = { driver: 'sqlite', file: 'data/app.db', init: 'schema.sql' };
      } else {
        pg = await startPostgres();
        if (!pg) throw new Error('PostgreSQL is unavailable');
        await pg.psql(['-v', 'ON_ERROR_STOP=1', '-d', 'postgres', '-c', 'DROP DATABASE IF EXISTS crud']);
        await pg.psql(['-v', 'ON_ERROR_STOP=1', '-d', 'postgres', '-c', 'CREATE DATABASE crud']);
        await pg.psql(['-v', 'ON_ERROR_STOP=1', '-d', 'crud', '-c', PG_DDL]);
        config = { driver: 'postgres', host: pg.host, port: pg.port, database: 'crud', user: pg.user, ...(pg.password ? { password: '${env:PG_PASSWORD}' } : {}) };
      }
      dir = await writeProject(
        { 'trellis.yaml': { name: 'shop', formatVersion: 1 }, 'connectors/db.yaml': { name: 'db', kind: 'sql', config }, 'schema.sql': SQLITE_DDL },
        join(outside, 'shop'),
      );
      const outcome = await generateCrud(dir, 'db', { tables: ['item', 'pair'], env: envFrom({ PG_PASSWORD: pg?.password ?? '' }) });
      expect(outcome.created).toContain('route GET /item/{id}');
      expect(outcome.warnings).toEqual(['table pair has a composite primary key (a, b): generated only list and create (/pair/{id} takes one key)']);
      if (pg?.password) process.env.PG_PASSWORD = pg.password;
      runtime = await serve([dir]);
      base = `${runtime.url}/shop`;
    }, 120_000);

    afterAll(async () => {
      await runtime?.close();
      await pg?.stop();
      rmSync(outside, { recursive: true, force: true });
    });

    it('lists with a default page, limit and offset, sorting and filters', async () => {
      const first = await call(`${base}/item`);
      expect(first.status).toBe(200);
      expect(first.body).toHaveLength(50);
      expect(first.body[0]).toEqual({ id: 1, name: 'item 01', price: '0.50', qty: 0, tag: 'red' });
      const page = await call(`${base}/item?limit=5&offset=10`);
      expect(page.body.map((r: { id: number }) => r.id)).toEqual([11, 12, 13, 14, 15]);
      const sorted = await call(`${base}/item?sort=name&direction=desc&limit=3`);
      expect(sorted.body.map((r: { name: string }) => r.name)).toEqual(['item 60', 'item 59', 'item 58']);
      const byPrice = await call(`${base}/item?sort=price&direction=asc&limit=3`);
      expect(byPrice.body.map((r: { id: number }) => r.id)).toEqual([1, 8, 15]);
      const red = await call(`${base}/item?tag=red&limit=100`);
      expect(red.body).toHaveLength(20);
      expect(red.body.every((r: { tag: string }) => r.tag === 'red')).toBe(true);
      const both = await call(`${base}/item?tag=blue&qty=4`);
      expect(both.body.map((r: { id: number }) => r.id)).toEqual([5]);
      const bad = await call(`${base}/item?sort=nope`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('"nope" is not one of');
    });

    it('gets a row by key: 200, and 404 when absent', async () => {
      const one = await call(`${base}/item/7`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id: 7, name: 'item 07' });
      const none = await call(`${base}/item/9999`);
      expect(none.status).toBe(404);
      expect(none.body.error.code).toBe('NOT_FOUND');
      expect((await call(`${base}/item/abc`)).status).toBe(400);
    });

    it('creates (201, defaults filled), updates and deletes (404 once gone)', async () => {
      const created = await call(`${base}/item`, { method: 'POST', json: { name: 'new one', price: '12.30' } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'new one', price: '12.30', qty: 0, tag: null });
      const id = created.body.id as number;
      expect(id).toBeGreaterThan(ITEMS);
      const missing = await call(`${base}/item`, { method: 'POST', json: { price: '1.00' } });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain('variable "name" is required');
      const updated = await call(`${base}/item/${id}`, { method: 'PUT', json: { name: 'renamed', qty: 5, tag: 'green' } });
      expect(updated.status).toBe(200);
      expect(updated.body).toEqual({ id, name: 'renamed', price: null, qty: 5, tag: 'green' });
      expect((await call(`${base}/item/${id}`)).body).toEqual(updated.body);
      expect((await call(`${base}/item/99999`, { method: 'PUT', json: { name: 'x', qty: 1 } })).status).toBe(404);
      const deleted = await call(`${base}/item/${id}`, { method: 'DELETE' });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toMatchObject({ id, name: 'renamed' });
      expect((await call(`${base}/item/${id}`, { method: 'DELETE' })).status).toBe(404);
      expect((await call(`${base}/item/${id}`)).status).toBe(404);
      const pair = await call(`${base}/pair`, { method: 'POST', json: { a: 1, b: 2 } });
      expect(pair.status).toBe(201);
      expect((await call(`${base}/pair`)).body).toEqual([{ a: 1, b: 2 }]);
    });

    it('injection attempts in every variable and in sort change nothing', async () => {
      const before = await state();
      expect(before.guard).toEqual([{ note: 'untouched' }]);
      for (const evil of EVIL) {
        const q = encodeURIComponent(evil);
        // sort and direction are picked from fixed lists; paging and keys are integers: refused with 400
        for (const url of [`${base}/item?sort=${q}`, `${base}/item?direction=${q}`, `${base}/item?limit=${q}`, `${base}/item?offset=${q}`, `${base}/item?qty=${q}`]) {
          const r = await call(url);
          expect(r.status, `${url} → ${r.text}`).toBe(400);
        }
        for (const method of ['GET', 'PUT', 'DELETE']) {
          const r = await call(`${base}/item/${q}`, method === 'PUT' ? { method, json: { name: 'x', qty: 1 } } : { method });
          expect([400, 404], `${method} /item/${evil} → ${r.text}`).toContain(r.status);
        }
        // text filters are bound values: nothing matches them (PostgreSQL refuses NUL bytes in text: a clean 4xx/5xx)
        for (const url of [`${base}/item?name=${q}`, `${base}/item?tag=${q}&name=${q}`, `${base}/item?price=${q}`]) {
          const r = await call(url);
          if (r.status === 200) expect(r.body, url).toEqual([]);
          else expect(driver === 'postgres' && (evil.includes('\u0000') || url.includes('price=')), `${url} → ${r.status} ${r.text}`).toBe(true);
        }
      }
      expect(await state()).toEqual(before);
      // written values are stored as text, exactly, and read back the same
      for (const evil of EVIL.filter((e) => driver === 'sqlite' || !e.includes('\u0000'))) {
        const created = await call(`${base}/item`, { method: 'POST', json: { name: evil, tag: evil } });
        expect(created.status, created.text).toBe(201);
        expect(created.body).toMatchObject({ name: evil, tag: evil });
        const found = await call(`${base}/item?name=${encodeURIComponent(evil)}`);
        expect(found.body.map((r: { id: number }) => r.id)).toEqual([created.body.id]);
        expect((await call(`${base}/item/${created.body.id}`, { method: 'PUT', json: { name: evil, qty: 1, tag: evil } })).body).toMatchObject({ name: evil });
        expect((await call(`${base}/item/${created.body.id}`, { method: 'DELETE' })).status).toBe(200);
      }
      expect(await state()).toEqual(before);
    });
  });
});
