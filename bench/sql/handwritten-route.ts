// bench/sql's hand-written peer: one fastify route over better-sqlite3 that runs the given SQL for GET /tracks, the
// way a developer would write it by hand (a prepared statement, query-string values bound by name, JSON out).
// Usage: node bin/run-ts.mjs bench/sql/handwritten-route.ts <db file> <sql file> — prints its URL on stdout.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const [file, sqlFile] = process.argv.slice(2);
if (!file || !sqlFile) throw new Error('usage: handwritten-route.ts <db file> <sql file>');
const db = new Database(file, { readonly: true });
// {name} placeholders become better-sqlite3 named parameters (@name): the same statement, bound the same way
const text = readFileSync(sqlFile, 'utf8');
const names = [...new Set([...text.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!))];
const stmt = db.prepare(text.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '@$1'));
const app = Fastify({ logger: false });
app.get('/tracks', async (request, reply) => {
  const q = request.query as Record<string, string | undefined>;
  const params: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, q[n] ?? null]));
  params.limit = Math.min(Number(q.limit ?? 50), 1000);
  params.offset = Number(q.offset ?? 0);
  if ('direction' in params) params.direction = q.direction ?? 'asc';
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(stmt.all(params)));
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`hand-written route: ${url}`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
