import { describe, expect, it } from 'vitest';
import { postgresDialect } from '../../../src/connectors/sql/postgres.driver.js';
import { sqliteDialect } from '../../../src/connectors/sql/sqlite.driver.js';
import { compileStatement, lineColumn, placeholderNames, splitStatements } from '../../../src/connectors/sql/statement.js';
import { sqlConnector } from '../../../src/connectors/sql.connector.js';
import { sqliteConverter, toJson, toParameter } from '../../../src/connectors/sql/values.js';

const texts = (sql: string, dialect = postgresDialect) => splitStatements(sql, dialect).map((s) => s.text.trim());

describe('splitStatements', () => {
  it('splits on top-level semicolons and drops empty statements', () => {
    expect(texts('SELECT 1; SELECT 2;; -- only a comment\n;  ')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('keeps semicolons inside strings, quoted identifiers and comments', () => {
    expect(texts(`SELECT 'a;b', "c;d" FROM t /* x; y */ WHERE e = 'it''s;'; SELECT 2 -- z;\n`)).toEqual([
      `SELECT 'a;b', "c;d" FROM t /* x; y */ WHERE e = 'it''s;'`,
      'SELECT 2 -- z;',
    ]);
  });

  it('keeps semicolons inside dollar quotes and E strings (PostgreSQL)', () => {
    const fn = `CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql`;
    expect(texts(`${fn}; SELECT $$a;b$$; SELECT E'\\';'`)).toEqual([fn, 'SELECT $$a;b$$', `SELECT E'\\';'`]);
  });

  it('handles nested block comments in PostgreSQL only', () => {
    expect(texts('SELECT 1 /* a /* b; */ c; */; SELECT 2')).toEqual(['SELECT 1 /* a /* b; */ c; */', 'SELECT 2']);
    expect(texts('SELECT 1 /* a /* b */; SELECT 2', sqliteDialect)).toEqual(['SELECT 1 /* a /* b */', 'SELECT 2']);
  });

  it('keeps a trigger body (BEGIN ... END) in one statement', () => {
    const trigger = `CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = CASE WHEN n > 0 THEN n + 1 ELSE 1 END; INSERT INTO c VALUES (1); END`;
    expect(texts(`${trigger}; SELECT 1`, sqliteDialect)).toEqual([trigger, 'SELECT 1']);
  });

  it('treats [brackets] and `backticks` as identifiers in SQLite', () => {
    expect(texts('SELECT [a;b], `c;d` FROM t; SELECT 2', sqliteDialect)).toEqual(['SELECT [a;b], `c;d` FROM t', 'SELECT 2']);
    // in PostgreSQL [ ] is an array subscript, so a placeholder inside it counts
    expect(placeholderNames('SELECT a[{i}] FROM t', postgresDialect)).toEqual(['i']);
  });
});

describe('placeholders', () => {
  it('finds {name} outside strings, identifiers, dollar quotes and comments', () => {
    const sql = `SELECT '{no1}', "{no2}", $$ {no3} $$, {yes1} -- {no4}
      FROM t /* {no5} */ WHERE a = {yes2} AND b IN ({yes1}) AND c = '{}' AND d = '{"json": {no6}}'`;
    expect(placeholderNames(sql)).toEqual(['yes1', 'yes2']);
  });

  it('accepts variable names with dots and dashes, not other brace forms', () => {
    expect(placeholderNames('SELECT {a.b}, {c-d}, {_e1}, {1x}, { f }, {fn now()}, {}')).toEqual(['a.b', 'c-d', '_e1']);
  });

  it('compiles to ? for SQLite (one per occurrence) and $n for PostgreSQL (one per variable)', () => {
    const [s] = splitStatements('SELECT * FROM t WHERE a = {x} OR b = {x} AND c = {y}');
    const lite = compileStatement(s!, sqliteDialect);
    expect(lite.sql).toBe('SELECT * FROM t WHERE a = ? OR b = ? AND c = ?');
    expect(lite.params).toEqual([{ name: 'x' }, { name: 'x' }, { name: 'y' }]);
    const pg = compileStatement(s!, postgresDialect);
    expect(pg.sql).toBe('SELECT * FROM t WHERE a = $1 OR b = $1 AND c = $2');
    expect(pg.params).toEqual([{ name: 'x' }, { name: 'y' }]);
  });

  it('expands list variables into one parameter per item, and an empty list into NULL', () => {
    const [s] = splitStatements('SELECT * FROM t WHERE id IN ({ids}) AND k = {k} AND id <> ALL (ARRAY[{ids}])');
    const c = compileStatement(s!, postgresDialect, new Map([['ids', 3]]));
    expect(c.sql).toBe('SELECT * FROM t WHERE id IN ($1, $2, $3) AND k = $4 AND id <> ALL (ARRAY[$1, $2, $3])');
    expect(c.params).toEqual([{ name: 'ids', item: 0 }, { name: 'ids', item: 1 }, { name: 'ids', item: 2 }, { name: 'k' }]);
    expect(compileStatement(s!, sqliteDialect, new Map([['ids', 0]])).sql).toBe('SELECT * FROM t WHERE id IN (NULL) AND k = ? AND id <> ALL (ARRAY[NULL])');
  });

  it('maps positions in the compiled SQL back to the source', () => {
    const [s] = splitStatements('SELECT {long_name}, {b} FROM t ORDER BYY 1');
    const c = compileStatement(s!, postgresDialect);
    const compiledAt = c.sql.indexOf('BYY');
    expect(c.sourceOffset(compiledAt)).toBe(s!.text.indexOf('BYY'));
    expect(c.sourceOffset(c.sql.indexOf('$2'))).toBe(s!.text.indexOf('{b}'));
    expect(lineColumn('a\nbc\nd', 4)).toEqual({ line: 2, column: 3 });
  });

  it('gives implied string variables for undeclared placeholders', () => {
    const implied = sqlConnector.impliedVariables!({ name: 't', type: 'sql', sql: 'SELECT {a}, {b}, {a}', result: 'rows', variables: [{ name: 'b', type: 'integer' }] });
    expect(implied).toEqual([{ name: 'a', type: 'string', required: true }]);
  });
});

describe('values', () => {
  it('turns driver values into JSON', () => {
    expect(toJson(12n)).toBe(12);
    expect(toJson(9007199254740993n)).toBe('9007199254740993');
    expect(toJson(Buffer.from('hi'))).toBe('aGk=');
    expect(toJson(null)).toBe(null);
  });

  it('converts SQLite columns by declared type', () => {
    expect(sqliteConverter('NUMERIC(10,2)')(0.99)).toBe('0.99');
    expect(sqliteConverter('NUMERIC(10,2)')(3.9600000000000004)).toBe('3.96');
    expect(sqliteConverter('DECIMAL(10,2)')(5n)).toBe('5.00');
    expect(sqliteConverter('DATETIME')('2021-01-01 00:00:00')).toBe('2021-01-01T00:00:00');
    expect(sqliteConverter('BOOLEAN')(1n)).toBe(true);
    expect(sqliteConverter('JSON')('{"a":[1]}')).toEqual({ a: [1] });
    expect(sqliteConverter('JSON')('not json')).toBe('not json');
    expect(sqliteConverter(null)(7n)).toBe(7);
  });

  it('turns variables into parameters', () => {
    expect(toParameter(true, true)).toBe(1);
    expect(toParameter(true, false)).toBe(true);
    expect(toParameter({ a: 1 }, false)).toBe('{"a":1}');
    expect(toParameter(undefined, true)).toBe(null);
  });
});

describe('schemas', () => {
  it('validates configs per driver with defaults', () => {
    const sqlite = sqlConnector.config.parse({ driver: 'sqlite', file: 'data/a.db' });
    expect(sqlite).toMatchObject({ driver: 'sqlite', file: 'data/a.db', readonly: false, rowLimit: 10000, statementTimeoutMs: 30000 });
    const pg = sqlConnector.config.parse({ driver: 'postgres', url: 'postgres://u:${env:P}@h/db' });
    expect(pg).toMatchObject({ driver: 'postgres', pool: { max: 10 }, rowLimit: 10000 });
    expect(sqlConnector.config.safeParse({ driver: 'mysql' }).success).toBe(false);
    expect(sqlConnector.config.safeParse({ driver: 'sqlite', file: 'a.db', databse: 'typo' }).success).toBe(false);
  });

  it('validates transactions', () => {
    expect(sqlConnector.transaction.parse({ name: 't', sql: 'SELECT 1' })).toMatchObject({ type: 'sql', result: 'rows', variables: [] });
    expect(sqlConnector.transaction.safeParse({ name: 't', sql: '  ' }).success).toBe(false);
    expect(sqlConnector.transaction.safeParse({ name: 't', sql: 'SELECT 1', result: 'table' }).success).toBe(false);
  });

  it('draws JSON Schema with descriptions for the studio', async () => {
    const { z } = await import('zod');
    const schema = JSON.stringify(z.toJSONSchema(sqlConnector.config, { io: 'input' }));
    expect(schema).toContain('is cancelled (TIMEOUT)');
    expect(schema).toContain('relative to the project folder');
  });
});
