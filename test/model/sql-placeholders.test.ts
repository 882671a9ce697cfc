import { describe, expect, it } from 'vitest';
import { placeholderNames } from '../../src/connectors/sql/statement.js';
import { sqlPlaceholderNames, sqlPlaceholders } from '../../src/model/index.js';

// The studio finds placeholders with src/model's lexer (the renderer cannot import the connector); the
// engine binds them with the connector's. Both must agree on every tricky case, or the studio would create
// variables the engine ignores (or miss one it needs).
const CASES = [
  'SELECT * FROM Track WHERE TrackId = {id}',
  'SELECT {a}, {b}, {a} FROM t',
  "SELECT '{notme}' || {me} FROM t",
  "SELECT 'it''s {no}' , {yes}",
  "SELECT E'\\'{no}' , {yes}",
  'SELECT "{col}" FROM t WHERE x = {x}',
  'SELECT `{col}` FROM t WHERE x = {x}',
  'SELECT 1 -- {comment}\n, {after}',
  'SELECT /* {c} /* nested {d} */ still {e} */ {f}',
  'SELECT $$ {dollar} $$, $tag$ {in} $tag$, {out}',
  'SELECT a$b$ , {v} $x$',
  'SELECT {1bad}, {good_1.x-y}, { spaced }, {}',
  'INSERT INTO t VALUES ({a}); UPDATE t SET b = {b} WHERE c = {c}',
  "SELECT {unterminated FROM t WHERE s = '{x}",
  'SELECT json_object(\'k\', {v}) FROM t',
  '',
];

describe('sqlPlaceholderNames', () => {
  it.each(CASES)('agrees with the SQL connector on %j', (sql) => {
    expect(sqlPlaceholderNames(sql)).toEqual(placeholderNames(sql));
  });

  it('finds names in order of first use, with their offsets', () => {
    const sql = "SELECT {b} FROM t WHERE a = {a} AND s = '{no}' AND b2 = {b}";
    expect(sqlPlaceholderNames(sql)).toEqual(['b', 'a']);
    const all = sqlPlaceholders(sql);
    expect(all.map((p) => sql.slice(p.start, p.end))).toEqual(['{b}', '{a}', '{b}']);
  });
});
