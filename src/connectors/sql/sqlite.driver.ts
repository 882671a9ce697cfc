import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import type BetterSqlite3 from 'better-sqlite3';
import { TrellisError } from '../../engine/errors.js';
import { commonSqlConfigShape } from './config.js';
import type { ColumnInfo, Dialect, DriverOpenOptions, QueryOptions, QueryResult, Row, SqlConnection, SqlDriver, SqlSession } from './driver.js';
import { SqlError, cancelledError, timeoutError, type SqlErrorInfo } from './errors.js';
import { sortTables, type DatabaseSchema, type DbTable } from './introspect.js';
import { sqliteConverter, toParameter, type ValueConverter } from './values.js';

/**
 * SQLite through better-sqlite3 (synchronous, in process). Statements are prepared once and cached, and columns
 * are converted by declared type. Integers never lose precision: a read runs in number mode (the fast path) and,
 * the first time it meets an integer beyond ±(2^53 - 1), switches that statement to bigint mode (`safeIntegers`) and
 * runs again (reads have no side effects); statements that write and return rows always use bigint mode.
 *
 * Timeouts: better-sqlite3 cannot interrupt a running statement (it exposes no sqlite3_interrupt nor progress
 * handler). The deadline is checked before every statement and every 256 rows while reading results, so a long
 * script or a large result stops at its timeout; a single statement that computes for long before returning its
 * first row (a huge aggregate, an unbounded recursive CTE under count(*)) runs to its end. Lock waits are bounded
 * by the busy timeout (the smaller of statementTimeoutMs and 5 s).
 */

export const sqliteConfigSchema = z
  .object({
    driver: z.literal('sqlite'),
    file: z.string().min(1).describe('database file, relative to the project folder (e.g. data/app.db), or :memory:'),
    readonly: z.boolean().default(false).describe('open read-only: writes fail, and the file must exist'),
    foreignKeys: z.boolean().default(true).describe('enforce FOREIGN KEY constraints (PRAGMA foreign_keys)'),
    init: z
      .string()
      .min(1)
      .optional()
      .describe(
        'a SQL script, relative to the project folder, that builds the database when the file does not exist yet (run once into a temporary file, then renamed into place); with :memory: it runs at every open',
      ),
    ...commonSqlConfigShape,
  })
  .strict();
export type SqliteConfig = z.infer<typeof sqliteConfigSchema>;

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  parameter: () => '?',
  reuseParameters: false,
  typedParameters: false,
  dollarQuotes: false,
  escapeStrings: false,
  bracketIdentifiers: true,
  backtickIdentifiers: true,
  nestedComments: false,
  quoteIdentifier: (name) => `"${name.replace(/"/g, '""')}"`,
  mixedTypeCase: true,
};

const STATEMENT_CACHE_SIZE = 256;
const CHECK_EVERY_ROWS = 256;
const EMPTY: Row[] = [];
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** thrown (not an error) when a number-mode read meets an integer that may have lost precision */
const UNSAFE_INTEGER = Symbol('unsafe integer');

type Statement = BetterSqlite3.Statement<unknown[], Record<string, unknown>>;

interface Prepared {
  sql: string;
  /** number mode: exact up to 2^53 */
  stmt: Statement;
  /** bigint mode, prepared when needed */
  safe?: Statement;
  reader: boolean;
  /** the statement only reads (so it can run again in bigint mode) */
  readonly: boolean;
  /** a read met an integer beyond 2^53: bigint mode from now on */
  wide: boolean;
  columns: ColumnInfo[];
  names: string[];
  converters: ValueConverter[];
}

/** Parameters as better-sqlite3 binds them (booleans as 1/0, JSON as text); copies only when something changes. */
function sqliteArguments(params: readonly unknown[]): readonly unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    const t = typeof v;
    if (t === 'number' || t === 'string' || t === 'bigint' || v === null) continue;
    out ??= params.slice();
    out[i] = toParameter(v, true);
  }
  return out ?? params;
}

/** Maps a better-sqlite3 / SQLite error to a Trellis error. */
function sqliteError(e: unknown, file: string): TrellisError {
  if (e instanceof TrellisError) return e;
  const err = e as { code?: string; message?: string };
  const message = err.message ?? String(e);
  const code = err.code ?? '';
  const info: SqlErrorInfo = { dbCode: code || undefined };
  if (e instanceof RangeError || e instanceof TypeError) {
    return new SqlError('BAD_VARIABLE', `cannot bind the variables: ${message}`, { ...info, category: 'binding' }, e);
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    const m = /constraint failed: (.+)$/.exec(message);
    return new SqlError('BAD_VARIABLE', `constraint violated: ${message}`, { ...info, category: 'constraint', constraint: m?.[1] ?? code.replace('SQLITE_CONSTRAINT_', '').toLowerCase() }, e);
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY_') || code.startsWith('SQLITE_LOCKED_')) {
    return new SqlError('TIMEOUT', `the database is locked by another connection (${message})`, { ...info, category: 'timeout' }, e);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) return new SqlError('NOT_FOUND', `cannot open the SQLite database ${file}: ${message}`, { ...info, category: 'connection' }, e);
  if (code.startsWith('SQLITE_READONLY')) return new SqlError('INVALID_CONFIG', `the SQLite database ${file} is read-only: ${message}`, { ...info, category: 'permission' }, e);
  if (code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG' || code === 'SQLITE_RANGE') return new SqlError('BAD_VARIABLE', message, { ...info, category: 'data' }, e);
  if (code === 'SQLITE_ERROR' || code === '') {
    const near = /near "((?:[^"]|"")*)": syntax error/.exec(message)?.[1];
    if (near !== undefined || /syntax error|incomplete input|unrecognized token/.test(message))
      return new SqlError('INVALID_CONFIG', `SQL syntax error: ${message}`, { ...info, category: 'syntax', near }, e);
    if (/^no such (table|column|function)|^ambiguous column|^table .* has no column|already exists/.test(message))
      return new SqlError('INVALID_CONFIG', `SQL error: ${message}`, { ...info, category: 'schema' }, e);
    if (code === 'SQLITE_ERROR') return new SqlError('BAD_RESPONSE', `SQL error: ${message}`, { ...info, category: 'error' }, e);
  }
  if (code.startsWith('SQLITE_')) return new SqlError('BAD_RESPONSE', `SQLite error ${code}: ${message}`, info, e);
  return new TrellisError('INTERNAL', message, { cause: e });
}

class SqliteConnection implements SqlConnection {
  readonly dialect = sqliteDialect;
  private readonly statements = new Map<string, Prepared>();
  /** a transaction in progress holds the connection; other statements wait for it */
  private holder: Promise<void> | undefined;
  private readonly direct: SqlSession;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly label: string,
  ) {
    this.direct = { query: async (sql, params, options) => this.run(sql, params, options) };
  }

  private prepare(sql: string): Prepared {
    const cached = this.statements.get(sql);
    if (cached) return cached;
    const stmt = this.db.prepare<unknown[], Record<string, unknown>>(sql);
    const reader = stmt.reader;
    const columns: ColumnInfo[] = [];
    const byName = new Map<string, ValueConverter>();
    if (reader) {
      for (const c of stmt.columns()) {
        columns.push({ name: c.name, type: c.type ?? '' });
        byName.set(c.name, sqliteConverter(c.type));
      }
    }
    const prepared: Prepared = { sql, stmt, reader, readonly: stmt.readonly, wide: false, columns, names: [...byName.keys()], converters: [...byName.values()] };
    if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
    this.statements.set(sql, prepared);
    return prepared;
  }

  private safeStatement(p: Prepared): Statement {
    if (!p.safe) {
      p.safe = this.db.prepare<unknown[], Record<string, unknown>>(p.sql);
      p.safe.safeIntegers(true);
    }
    return p.safe;
  }

  private convert(p: Prepared, row: Record<string, unknown>, numberMode: boolean): Row {
    const { names, converters } = p;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const v = row[name];
      if (numberMode && typeof v === 'number' && (v > MAX_SAFE || v < -MAX_SAFE)) throw UNSAFE_INTEGER;
      row[name] = converters[i]!(v);
    }
    return row as Row;
  }

  private check(options: QueryOptions): void {
    if (options.signal?.aborted) throw cancelledError();
    if (Date.now() > options.deadline) throw timeoutError(options.timeoutMs);
  }

  /** Runs one statement synchronously (wrapped by query/transaction for the async interface). */
  private run(sql: string, params: readonly unknown[], options: QueryOptions): QueryResult {
    this.check(options);
    try {
      const p = this.prepare(sql);
      const args = sqliteArguments(params);
      if (!p.reader) {
        const info = p.stmt.run(...args);
        return { rows: EMPTY, columns: p.columns, returnsRows: false, affected: info.changes, truncated: false };
      }
      if (p.readonly && !p.wide) {
        try {
          return this.read(p, p.stmt, true, args, options);
        } catch (e) {
          if (e !== UNSAFE_INTEGER) throw e;
          p.wide = true;
        }
      }
      return this.read(p, this.safeStatement(p), false, args, options);
    } catch (e) {
      throw sqliteError(e, this.label);
    }
  }

  private read(p: Prepared, stmt: Statement, numberMode: boolean, args: readonly unknown[], options: QueryOptions): QueryResult {
    if (options.mode === 'row' || options.mode === 'scalar') {
      const row = stmt.get(...args);
      const rows = row === undefined ? [] : [this.convert(p, row, numberMode)];
      return { rows, columns: p.columns, returnsRows: true, affected: rows.length, truncated: false };
    }
    let count = 0;
    const rows: Row[] = [];
    let truncated = false;
    const limit = options.mode === 'count' ? Number.POSITIVE_INFINITY : options.rowLimit;
    for (const row of stmt.iterate(...args)) {
      if (count >= limit) {
        truncated = true;
        break; // ends the iterator, which resets the statement
      }
      count++;
      if (options.mode === 'rows') rows.push(this.convert(p, row, numberMode));
      if (count % CHECK_EVERY_ROWS === 0) this.check(options);
    }
    return { rows, columns: p.columns, returnsRows: true, affected: count, truncated };
  }

  async query(sql: string, params: readonly unknown[], options: QueryOptions): Promise<QueryResult> {
    while (this.holder) await this.holder;
    return this.run(sql, params, options);
  }

  async transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
    while (this.holder) await this.holder;
    let release!: () => void;
    this.holder = new Promise<void>((r) => (release = r));
    try {
      this.db.exec('BEGIN');
      try {
        const result = await fn(this.direct);
        this.db.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    } catch (e) {
      throw sqliteError(e, this.label);
    } finally {
      this.holder = undefined;
      release();
    }
  }

  async introspect(): Promise<DatabaseSchema> {
    while (this.holder) await this.holder;
    try {
      const objects = this.db
        .prepare<[], { name: string; type: string }>("SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
        .all();
      const columnsOf = this.db.prepare<[string], { name: string; type: string; notnull: number | bigint; dflt_value: string | null; pk: number | bigint; hidden: number | bigint }>(
        'SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid',
      );
      const foreignKeysOf = this.db.prepare<[string], { id: number | bigint; seq: number | bigint; table: string; from: string; to: string | null; on_update: string; on_delete: string }>(
        'SELECT id, seq, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq',
      );
      const tables: DbTable[] = [];
      const views: DbTable[] = [];
      for (const o of objects) {
        const cols = columnsOf.all(o.name).filter((c) => Number(c.hidden) === 0 || Number(c.hidden) >= 2);
        const pkCols = cols.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk));
        const primaryKey = o.type === 'table' ? pkCols.map((c) => c.name) : [];
        const rowidAlias = primaryKey.length === 1 && pkCols[0]!.type.toUpperCase() === 'INTEGER';
        const table: DbTable = {
          schema: 'main',
          name: o.name,
          kind: o.type === 'view' ? 'view' : 'table',
          columns: cols.map((c) => ({
            name: c.name,
            type: c.type,
            nullable: Number(c.notnull) === 0 && !(rowidAlias && primaryKey[0] === c.name),
            default: c.dflt_value,
            generated: (rowidAlias && primaryKey[0] === c.name) || Number(c.hidden) >= 2,
          })),
          primaryKey,
          foreignKeys: [],
        };
        if (o.type === 'table') {
          const byId = new Map<number, DbTable['foreignKeys'][number]>();
          for (const fk of foreignKeysOf.all(o.name)) {
            const id = Number(fk.id);
            let entry = byId.get(id);
            if (!entry) {
              entry = { name: null, columns: [], references: { schema: 'main', table: fk.table, columns: [] }, onUpdate: fk.on_update, onDelete: fk.on_delete };
              byId.set(id, entry);
            }
            entry.columns.push(fk.from);
            if (fk.to) entry.references.columns.push(fk.to);
          }
          table.foreignKeys = [...byId.values()];
        }
        (table.kind === 'view' ? views : tables).push(table);
      }
      // a foreign key that names no target columns references the target's primary key
      for (const t of tables) {
        for (const fk of t.foreignKeys) {
          if (fk.references.columns.length === 0) fk.references.columns = tables.find((x) => x.name === fk.references.table)?.primaryKey ?? [];
        }
      }
      return { driver: 'sqlite', tables: sortTables(tables), views: sortTables(views) };
    } catch (e) {
      throw sqliteError(e, this.label);
    }
  }

  async close(): Promise<void> {
    while (this.holder) await this.holder;
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}

export const sqliteDriver: SqlDriver<SqliteConfig> = {
  name: 'sqlite',
  title: 'SQLite',
  config: sqliteConfigSchema,
  dialect: sqliteDialect,

  async open(config: SqliteConfig, options: DriverOpenOptions): Promise<SqlConnection> {
    const memory = config.file === ':memory:';
    const path = memory ? ':memory:' : isAbsolute(config.file) ? config.file : resolve(options.projectDir, config.file);
    const label = memory ? ':memory:' : config.file;
    if (!memory) {
      if (config.readonly && !config.init && !existsSync(path))
        throw new SqlError('NOT_FOUND', `${options.where}: the SQLite database file ${config.file} does not exist (${path}); a readonly connector does not create it`, { category: 'connection' });
      if (!config.readonly) mkdirSync(dirname(path), { recursive: true });
    }
    let Database: typeof BetterSqlite3;
    try {
      Database = (await import('better-sqlite3')).default;
    } catch (e) {
      throw new TrellisError('INTERNAL', `the sqlite driver needs the better-sqlite3 package, which failed to load: ${(e as Error).message}`, { cause: e });
    }
    if (!memory && config.init && !existsSync(path)) buildFromScript(Database, path, config.init, options);
    let db: BetterSqlite3.Database;
    try {
      db = new Database(path, { readonly: config.readonly, fileMustExist: config.readonly, timeout: Math.min(config.statementTimeoutMs, 5000) });
    } catch (e) {
      const mapped = sqliteError(e, label);
      throw new SqlError(mapped.code, `${options.where}: ${mapped.message}`, (mapped as SqlError).info ?? {}, e);
    }
    if (config.init && memory) runInitScript(db, config.init, options);
    if (config.foreignKeys) db.pragma('foreign_keys = ON');
    return new SqliteConnection(db, label);
  },
};

/** The init script's text; it must be a file inside the project folder. */
function readInitScript(init: string, options: DriverOpenOptions): string {
  const path = resolve(options.projectDir, init);
  const rel = relative(options.projectDir, path);
  if (isAbsolute(init) || rel.startsWith('..') || isAbsolute(rel))
    throw new SqlError('INVALID_CONFIG', `${options.where}: init ${init} must be a script inside the project folder (a path relative to it)`, { category: 'connection' });
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new SqlError('NOT_FOUND', `${options.where}: cannot read the init script ${init} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { category: 'connection' }, e);
  }
}

function runInitScript(db: BetterSqlite3.Database, init: string, options: DriverOpenOptions): void {
  const script = readInitScript(init, options);
  try {
    db.exec(script);
  } catch (e) {
    const mapped = sqliteError(e, init);
    throw new SqlError(mapped.code, `${options.where}: the init script ${init} failed: ${mapped.message}`, (mapped as SqlError).info ?? {}, e);
  }
}

/**
 * Builds a missing database file from the init script: into a temporary file beside it, renamed into place only
 * once the script ran to its end, so a failed or concurrent build never leaves a half-made database behind.
 */
function buildFromScript(Database: typeof BetterSqlite3, path: string, init: string, options: DriverOpenOptions): void {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.init`;
  const started = Date.now();
  try {
    const db = new Database(temp);
    try {
      runInitScript(db, init, options);
    } finally {
      db.close();
    }
    if (!existsSync(path)) renameSync(temp, path);
    options.logger.info({ file: path }, `${options.where}: built the database ${path} from ${init} in ${Date.now() - started} ms`);
  } finally {
    rmSync(temp, { force: true });
  }
}
