// bench/sql: a parameterized `SELECT * FROM Track WHERE TrackId = {id}` on Chinook (SQLite) executed 100,000 times
// through a Trellis SQL transaction vs bare better-sqlite3 with a prepared statement, in one run. Prints ratios
// (target: handle ≤ 1.5x bare) and the peak RSS. Run: node bin/run-ts.mjs bench/sql.bench.ts [executions]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { sqlConnector } from '../src/connectors/sql.connector.js';
import type { ExecContext } from '../src/connectors/connector-kind.js';
import { envFrom } from '../src/engine/env.js';
import { executeTransaction } from '../src/engine/execute-transaction.js';
import { silentLogger } from '../src/engine/logger.js';
import { ConnectionPool } from '../src/engine/pool.js';
import type { Project } from '../src/model/index.js';

const N = Number(process.argv[2] ?? 100_000);
const CHUNK = 5_000;
const TRACKS = 3503;
const SQL = 'SELECT * FROM Track WHERE TrackId = {id}';

const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-sql-'));
const file = join(dir, 'chinook.db');
const setup = new Database(file);
setup.exec(readFileSync(resolve(import.meta.dirname, '../../shared/corpus/sql/chinook/Chinook_Sqlite.sql'), 'utf8'));
setup.close();

// bare driver: one prepared statement, .get() per call
const bareDb = new Database(file, { readonly: true });
const stmt = bareDb.prepare('SELECT * FROM Track WHERE TrackId = ?');
function bare(n: number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const row = stmt.get((i % TRACKS) + 1) as { Milliseconds: number } | undefined;
    sink += row ? row.Milliseconds : 0;
  }
  return sink;
}

// Trellis: the kind's handle, with a transaction parsed once (as the runtime holds it)
const env = envFrom({});
const config = sqlConnector.config.parse({ driver: 'sqlite', file: 'chinook.db', readonly: true });
const handle = await sqlConnector.open(config, env, { projectDir: dir, logger: silentLogger });
const transaction = sqlConnector.transaction.parse({ name: 'getTrack', sql: SQL, result: 'row', variables: [{ name: 'id', type: 'integer', required: true }] });
const ctx: ExecContext = { signal: new AbortController().signal, deadline: Date.now() + 3_600_000, logger: silentLogger, env, projectDir: dir, now: Date.now };
async function viaHandle(n: number): Promise<number> {
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const r = await handle.execute(transaction, { id: (i % TRACKS) + 1 }, ctx);
    sink += (r.data as { Milliseconds: number } | null)?.Milliseconds ?? 0;
  }
  return sink;
}

// Trellis: the whole engine path (transaction lookup, schema check, variable coercion, pool, deadline, trace)
const project = {
  dir,
  name: 'bench',
  formatVersion: 1,
  connectors: [{ name: 'chinook', kind: 'sql', config: { driver: 'sqlite', file: 'chinook.db', readonly: true }, transactions: [transaction] }],
  sequences: [],
} as Project;
const pool = new ConnectionPool();
async function viaEngine(n: number): Promise<number> {
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const r = await executeTransaction(project, 'chinook.getTrack', { id: (i % TRACKS) + 1 }, { env, pool });
    sink += (r.data as { Milliseconds: number } | null)?.Milliseconds ?? 0;
  }
  return sink;
}

async function time(fn: (n: number) => number | Promise<number>, n: number): Promise<number> {
  const started = performance.now();
  await fn(n);
  return performance.now() - started;
}

// same answers first
const expected = bare(TRACKS);
if ((await viaHandle(TRACKS)) !== expected || (await viaEngine(TRACKS)) !== expected) throw new Error('the Trellis path returned other rows than the bare driver');

// warm up, then interleave the three in small chunks and keep each one's best chunk: absolute times drift on
// shared machines, and the best of many interleaved chunks is the steadiest estimate of each path's own cost
await time(bare, 20_000);
await time(viaHandle, 20_000);
await time(viaEngine, 5_000);
const best = { bare: Infinity, handle: Infinity, engine: Infinity };
for (let done = 0; done < N; done += CHUNK) {
  const n = Math.min(CHUNK, N - done);
  best.bare = Math.min(best.bare, (await time(bare, n)) / n);
  best.handle = Math.min(best.handle, (await time(viaHandle, n)) / n);
  best.engine = Math.min(best.engine, (await time(viaEngine, n)) / n);
}

const us = (msPerOp: number) => (msPerOp * 1000).toFixed(2).padStart(7);
const ratio = (ms: number) => `${(ms / best.bare).toFixed(2)}x`;
console.log(`sql: ${SQL} on Chinook (SQLite), ${N.toLocaleString('en')} executions per path, best of ${Math.ceil(N / CHUNK)} interleaved chunks`);
console.log(`  bare better-sqlite3 prepared .get()     ${us(best.bare)} µs/op  1.00x`);
console.log(`  trellis handle.execute (result row)     ${us(best.handle)} µs/op  ${ratio(best.handle)}  (target ≤ 1.5x: ${best.handle / best.bare <= 1.5 ? 'met' : 'MISSED'})`);
console.log(`  trellis executeTransaction (engine)     ${us(best.engine)} µs/op  ${ratio(best.engine)}  (adds schema check, coercion, pool, deadline)`);
console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

await pool.dispose();
await handle.close();
bareDb.close();
rmSync(dir, { recursive: true, force: true });
