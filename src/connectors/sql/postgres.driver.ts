import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type pg from 'pg';
import type { VariableType } from '../../model/index.js';
import { TrellisError } from '../../engine/errors.js';
import type { Logger } from '../../engine/logger.js';
import { commonSqlConfigShape } from './config.js';
import type { ColumnInfo, Dialect, DriverOpenOptions, QueryOptions, QueryResult, Row, SqlConnection, SqlDriver, SqlSession } from './driver.js';
import { cancelledError, redact, timeoutError } from './errors.js';
import { sortTables, type DatabaseSchema, type DbTable } from './introspect.js';
import { lostConnection, postgresError, type PgErrorLike } from './postgres-errors.js';
import { resolveTarget, sendCancel, type Target } from './postgres-target.js';
import { PG_TYPE_NAMES, pgTypeParsers, toParameter } from './values.js';

/**
 * PostgreSQL through `pg`, pooled. Every statement uses the extended protocol (so one call is one statement and
 * parameters are always bound), results are read at most rowLimit + 1 rows at a time (the portal is closed after
 * that), and types are converted while parsing (values.ts).
 *
 * Timeouts: the pool's connections start with `statement_timeout` = statementTimeoutMs; an execution that asks for
 * another limit sets it for its statements (SET / SET LOCAL). A client-side guard closes the connection when the
 * server does not answer within the timeout plus a grace period (a dead network), and a cancelled execution sends a
 * cancel request for its backend.
 */

export const SSL_MODES = ['disable', 'require', 'verify-full'] as const;

export const postgresConfigSchema = z
  .object({
    driver: z.literal('postgres'),
    url: z
      .string()
      .optional()
      .describe('connection URL, e.g. postgres://app:${env:PG_PASSWORD}@db.example.com:5432/shop?sslmode=require; the fields below override its parts'),
    host: z.string().optional().describe('server address (default localhost)'),
    port: z.number().int().min(1).max(65535).optional().describe('server port (default 5432)'),
    database: z.string().optional().describe('database name (default: the user name)'),
    user: z.string().optional().describe('user name'),
    password: z.string().optional().describe('password, written as ${env:NAME} so it stays out of the project files'),
    ssl: z.enum(SSL_MODES).optional().describe('disable (default), require (encrypted, certificate not checked) or verify-full (certificate and host name checked)'),
    sslCa: z.string().optional().describe('PEM file of the certificate authority for verify-full, relative to the project folder'),
    pool: z
      .object({
        max: z.number().int().positive().default(10).describe('at most this many connections'),
        idleTimeoutMs: z.number().int().nonnegative().default(30_000).describe('an idle connection is closed after this many milliseconds'),
      })
      .strict()
      .default({ max: 10, idleTimeoutMs: 30_000 })
      .describe('connection pool'),
    connectTimeoutMs: z.number().int().positive().default(10_000).describe('give up connecting after this many milliseconds'),
    ...commonSqlConfigShape,
  })
  .strict();
export type PostgresConfig = z.infer<typeof postgresConfigSchema>;

export const postgresDialect: Dialect = {
  name: 'postgres',
  parameter: (i) => `$${i + 1}`,
  reuseParameters: true,
  typedParameters: true,
  dollarQuotes: true,
  escapeStrings: true,
  bracketIdentifiers: false,
  backtickIdentifiers: false,
  nestedComments: true,
  quoteIdentifier: (name) => `"${name.replace(/"/g, '""')}"`,
};

/** Extra time the server has, past the statement timeout, before the client gives up on the connection. */
const GUARD_GRACE_MS = 2000;

const INT4_MAX = 2_147_483_647;

/**
 * Parameter types for the Parse message, from the variables' types, so `{x} IS NULL OR col = {x}` has a type:
 * integer → int4 (int8 beyond its range), number → numeric, boolean → bool. Strings and JSON stay untyped (0): the
 * server infers them from where they are used (a string variable compared with an integer column works).
 */
function parameterOids(types: readonly (VariableType | undefined)[], values: readonly unknown[]): number[] {
  return types.map((t, i) => {
    switch (t) {
      case 'integer': {
        const v = values[i];
        return typeof v === 'number' && (v > INT4_MAX || v < -INT4_MAX - 1) ? 20 : typeof v === 'string' || typeof v === 'bigint' ? 20 : 23;
      }
      case 'number':
        return 1700;
      case 'boolean':
        return 16;
      default:
        return 0;
    }
  });
}

interface RawResult {
  fields: Array<{ name: string; dataTypeID: number }>;
  rows: Record<string, unknown>[];
  rowCount: number | null;
  command: string | null;
}

type QueryCallback = (err: Error | null, result: RawResult | RawResult[]) => void;
interface QueryConfig {
  text: string;
  values: unknown[];
  rows?: number;
  queryMode?: 'extended';
  /** parameter type OIDs for the Parse message (0: let the server infer) */
  parameterTypes?: number[];
}
type Connection = { sync(): void };
type QueryClass = new (config: QueryConfig, values: undefined, callback: QueryCallback) => object;

/**
 * A pg Query that reads at most `rows` rows, then closes its portal instead of asking for more (pg's own Query
 * would keep fetching pages): the row limit is enforced by the server, not by discarding rows here.
 */
function limitedQueryClass(Base: QueryClass): QueryClass {
  class LimitedQuery extends (Base as unknown as new (config: QueryConfig, values: undefined, callback: QueryCallback) => {
    rows?: number;
    types?: unknown;
    handleError(err: unknown, connection: Connection): void;
  }) {
    private synced = false;

    constructor(config: QueryConfig, values: undefined, callback: QueryCallback) {
      super(config, values, callback);
      // pg sends `types` as the Parse message's parameter types; its result parsers were bound in the constructor
      if (config.parameterTypes?.some((t) => t !== 0)) this.types = config.parameterTypes;
    }

    handlePortalSuspended(connection: Connection): void {
      this.synced = true;
      connection.sync();
    }

    handleCommandComplete(msg: unknown, connection: Connection): void {
      this.synced = true;
      (Base.prototype as unknown as { handleCommandComplete(m: unknown, c: Connection): void }).handleCommandComplete.call(this, msg, connection);
    }

    override handleError(err: unknown, connection: Connection): void {
      // with a row count the pipeline was flushed, not synced: a server error needs the Sync that ends it
      const fromServer = typeof (err as PgErrorLike | undefined)?.severity === 'string';
      if (this.rows && !this.synced && fromServer) {
        this.synced = true;
        connection.sync();
      }
      super.handleError(err, connection);
    }
  }
  return LimitedQuery as unknown as QueryClass;
}

interface PgModule {
  Pool: typeof pg.Pool;
  Query: QueryClass;
  types: { getTypeParser(oid: number, format?: string): (text: string) => unknown; arrayParser: { create(source: string, transform: (s: string) => unknown): { parse(): unknown } } };
}

class PostgresConnection implements SqlConnection {
  readonly dialect = postgresDialect;
  private readonly typeNames = new Map<number, string>();
  private readonly LimitedQuery: QueryClass;

  constructor(
    private readonly pgm: PgModule,
    private readonly pool: pg.Pool,
    private readonly target: Target,
    private readonly config: PostgresConfig,
    private readonly logger: Logger,
  ) {
    this.LimitedQuery = limitedQueryClass(pgm.Query);
  }

  private async connect(options: { deadline: number; timeoutMs: number; signal?: AbortSignal }): Promise<pg.PoolClient> {
    if (options.signal?.aborted) throw cancelledError();
    if (Date.now() > options.deadline) throw timeoutError(options.timeoutMs);
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw postgresError(e, this.target);
    }
    // a checked-out client has no error listener of the pool's: a dying socket must not crash the process (the
    // running query fails by itself)
    client.on('error', this.onClientError);
    return client;
  }

  private readonly onClientError = (e: Error) => {
    this.logger.debug({ err: redact(e.message, this.target.password ? [this.target.password] : []) }, 'PostgreSQL connection error');
  };

  private release(client: pg.PoolClient, destroy: boolean): void {
    client.off('error', this.onClientError);
    client.release(destroy);
  }

  private submit(client: pg.PoolClient, sql: string, values: unknown[], rows: number | undefined, parameterTypes?: number[]): Promise<RawResult> {
    return new Promise((done, fail) => {
      const query = new this.LimitedQuery({ text: sql, values, rows, queryMode: 'extended', parameterTypes }, undefined, (err, result) => {
        if (err) fail(err);
        else done(Array.isArray(result) ? result[result.length - 1]! : result);
      });
      (client as unknown as { query(q: object): void }).query(query);
    });
  }

  /** Runs one statement on a client, with cancellation and the no-answer guard. */
  private async runOn(client: pg.PoolClient, sql: string, params: readonly unknown[], options: QueryOptions): Promise<QueryResult> {
    if (options.signal?.aborted) throw cancelledError();
    if (Date.now() > options.deadline) throw timeoutError(options.timeoutMs);
    let state: 'running' | 'cancelled' | 'guard' = 'running';
    const c = client as unknown as { processID: number | null; secretKey: number | null; end(): Promise<void> };
    const onAbort = () => {
      state = 'cancelled';
      if (c.processID !== null && c.secretKey !== null) sendCancel(this.target, c.processID, c.secretKey);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const guard = setTimeout(() => {
      state = 'guard';
      void c.end().catch(() => undefined);
    }, options.timeoutMs + GUARD_GRACE_MS);
    try {
      const values = params.map((v) => toParameter(v, false));
      const fetch = options.mode === 'count' ? undefined : options.mode === 'rows' ? options.rowLimit + 1 : 1;
      const raw = await this.submit(client, sql, values, fetch, options.parameterTypes && parameterOids(options.parameterTypes, values));
      const fields = raw.fields ?? [];
      let rows = raw.rows as Row[];
      let truncated = false;
      if (options.mode === 'rows' && rows.length > options.rowLimit) {
        truncated = true;
        rows = rows.slice(0, options.rowLimit);
      }
      const returnsRows = fields.length > 0;
      const affected = options.mode === 'count' || !returnsRows ? (raw.rowCount ?? rows.length) : rows.length;
      const columns = await this.columnsOf(client, fields);
      return { rows: returnsRows && options.mode !== 'count' ? rows : [], columns, returnsRows, affected, truncated };
    } catch (e) {
      throw postgresError(e, this.target, state, options.timeoutMs);
    } finally {
      clearTimeout(guard);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  private async columnsOf(client: pg.PoolClient, fields: RawResult['fields']): Promise<ColumnInfo[]> {
    const unknown = fields.map((f) => f.dataTypeID).filter((oid) => PG_TYPE_NAMES[oid] === undefined && !this.typeNames.has(oid));
    if (unknown.length) {
      try {
        const r = await this.submit(client, 'SELECT oid::int AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid = ANY($1::oid[])', [`{${[...new Set(unknown)].join(',')}}`], undefined);
        for (const row of r.rows) this.typeNames.set(Number(row.oid), String(row.name));
      } catch {
        // names are a nicety; the result stands without them
      }
    }
    return fields.map((f) => ({ name: f.name, type: PG_TYPE_NAMES[f.dataTypeID] ?? this.typeNames.get(f.dataTypeID) ?? `oid ${f.dataTypeID}` }));
  }

  private setTimeoutSql(local: boolean): string {
    return `SELECT set_config('statement_timeout', $1, ${local ? 'true' : 'false'})`;
  }

  async query(sql: string, params: readonly unknown[], options: QueryOptions): Promise<QueryResult> {
    const client = await this.connect(options);
    let destroy = false;
    const custom = options.timeoutMs !== this.config.statementTimeoutMs;
    try {
      if (custom) await this.submit(client, this.setTimeoutSql(false), [String(Math.max(1, Math.floor(options.timeoutMs)))], undefined);
      return await this.runOn(client, sql, params, options);
    } catch (e) {
      const err = postgresError(e, this.target);
      destroy = lostConnection(err);
      throw err;
    } finally {
      if (custom && !destroy) {
        try {
          await this.submit(client, 'RESET statement_timeout', [], undefined);
        } catch {
          destroy = true;
        }
      }
      this.release(client, destroy);
    }
  }

  async transaction<T>(fn: (session: SqlSession) => Promise<T>, options: { timeoutMs: number; deadline: number; signal?: AbortSignal }): Promise<T> {
    const client = await this.connect(options);
    let destroy = false;
    try {
      await this.submit(client, 'BEGIN', [], undefined);
      if (options.timeoutMs !== this.config.statementTimeoutMs)
        await this.submit(client, this.setTimeoutSql(true), [String(Math.max(1, Math.floor(options.timeoutMs)))], undefined);
      const session: SqlSession = { query: (sql, params, opts) => this.runOn(client, sql, params, opts) };
      const result = await fn(session);
      await this.submit(client, 'COMMIT', [], undefined);
      return result;
    } catch (e) {
      const err = postgresError(e, this.target);
      destroy = lostConnection(err);
      if (!destroy) {
        try {
          await this.submit(client, 'ROLLBACK', [], undefined);
        } catch {
          destroy = true;
        }
      }
      throw err;
    } finally {
      this.release(client, destroy);
    }
  }

  async introspect(): Promise<DatabaseSchema> {
    const deadline = Date.now() + this.config.statementTimeoutMs;
    const client = await this.connect({ deadline, timeoutMs: this.config.statementTimeoutMs });
    try {
      const rels = await this.submit(
        client,
        `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
            AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
            AND NOT c.relispartition`,
        [],
        undefined,
      );
      const cols = await this.submit(
        client,
        `SELECT a.attrelid::int AS rel, a.attnum::int AS num, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
                a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS dflt, a.attidentity AS identity, a.attgenerated AS generated
           FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
          ORDER BY a.attrelid, a.attnum`,
        [],
        undefined,
      );
      const cons = await this.submit(
        client,
        `SELECT con.conrelid::int AS rel, con.conname AS name, con.contype AS type, con.conkey AS keys,
                con.confrelid::int AS frel, con.confkey AS fkeys, con.confupdtype AS upd, con.confdeltype AS del
           FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE con.contype IN ('p', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          ORDER BY con.conrelid, con.conname`,
        [],
        undefined,
      );
      const action: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
      const byOid = new Map<number, DbTable>();
      const colNames = new Map<number, Map<number, string>>();
      for (const r of rels.rows) {
        const kind = String(r.kind);
        byOid.set(Number(r.oid), { schema: String(r.schema), name: String(r.name), kind: kind === 'v' || kind === 'm' ? 'view' : 'table', columns: [], primaryKey: [], foreignKeys: [] });
      }
      for (const c of cols.rows) {
        const t = byOid.get(Number(c.rel));
        if (!t) continue;
        const dflt = c.dflt === null ? null : String(c.dflt);
        t.columns.push({
          name: String(c.name),
          type: String(c.type),
          nullable: c.notnull !== true,
          default: dflt,
          generated: (c.identity !== '' && c.identity !== null) || (c.generated !== '' && c.generated !== null) || (dflt !== null && /^nextval\(/.test(dflt)),
        });
        let names = colNames.get(Number(c.rel));
        if (!names) colNames.set(Number(c.rel), (names = new Map()));
        names.set(Number(c.num), String(c.name));
      }
      const keyNames = (rel: number, keys: unknown) => (Array.isArray(keys) ? keys : []).map((k) => colNames.get(rel)?.get(Number(k)) ?? String(k));
      for (const k of cons.rows) {
        const rel = Number(k.rel);
        const t = byOid.get(rel);
        if (!t) continue;
        if (k.type === 'p') t.primaryKey = keyNames(rel, k.keys);
        else {
          const frel = Number(k.frel);
          const target = byOid.get(frel);
          t.foreignKeys.push({
            name: String(k.name),
            columns: keyNames(rel, k.keys),
            references: { schema: target?.schema ?? '', table: target?.name ?? String(frel), columns: keyNames(frel, k.fkeys) },
            onUpdate: action[String(k.upd)] ?? String(k.upd),
            onDelete: action[String(k.del)] ?? String(k.del),
          });
        }
      }
      const all = [...byOid.values()];
      return { driver: 'postgres', tables: sortTables(all.filter((t) => t.kind === 'table')), views: sortTables(all.filter((t) => t.kind === 'view')) };
    } catch (e) {
      throw postgresError(e, this.target);
    } finally {
      this.release(client, false);
    }
  }

  async close(): Promise<void> {
    try {
      await this.pool.end();
    } catch (e) {
      this.logger.debug({ err: String(e) }, 'postgres pool close');
    }
  }
}

export const postgresDriver: SqlDriver<PostgresConfig> = {
  name: 'postgres',
  title: 'PostgreSQL',
  config: postgresConfigSchema,
  dialect: postgresDialect,

  async open(config: PostgresConfig, options: DriverOpenOptions): Promise<SqlConnection> {
    const target = resolveTarget(config, options.env, options.where);
    if (config.password && !/\$\{env:/.test(config.password))
      options.logger.warn({ connector: options.where }, 'the PostgreSQL password is written in the project; use ${env:NAME} so it stays out of the files');
    let pgm: PgModule;
    try {
      const mod = (await import('pg')) as unknown as { default: PgModule };
      pgm = mod.default;
    } catch (e) {
      throw new TrellisError('INTERNAL', `the postgres driver needs the pg package, which failed to load: ${(e as Error).message}`, { cause: e });
    }
    let ssl: pg.PoolConfig['ssl'] = false;
    if (target.ssl === 'require') ssl = { rejectUnauthorized: false };
    else if (target.ssl === 'verify-full') {
      ssl = { rejectUnauthorized: true };
      if (config.sslCa) {
        const caPath = isAbsolute(config.sslCa) ? config.sslCa : resolve(options.projectDir, config.sslCa);
        try {
          ssl.ca = readFileSync(caPath, 'utf8');
        } catch (e) {
          throw new TrellisError('INVALID_CONFIG', `${options.where}: cannot read sslCa ${config.sslCa}: ${(e as Error).message}`, { path: options.where, cause: e });
        }
      }
    }
    const parsers = pgTypeParsers((source, transform) => pgm.types.arrayParser.create(source, transform).parse());
    const types = {
      getTypeParser: (oid: number, format?: string) => (format === 'binary' ? pgm.types.getTypeParser(oid, format) : (parsers[oid] ?? pgm.types.getTypeParser(oid, format))),
    };
    const pool = new pgm.Pool({
      host: target.host,
      port: target.port,
      database: target.database,
      user: target.user,
      password: target.password,
      ssl,
      max: config.pool.max,
      idleTimeoutMillis: config.pool.idleTimeoutMs,
      connectionTimeoutMillis: config.connectTimeoutMs,
      statement_timeout: config.statementTimeoutMs,
      application_name: 'trellis',
      types: types as unknown as pg.PoolConfig['types'],
    });
    // an idle connection that dies (server restart, network) must not crash the process
    pool.on('error', (e) => options.logger.warn({ connector: options.where, err: redact(e.message, target.password ? [target.password] : []) }, 'idle PostgreSQL connection lost'));
    return new PostgresConnection(pgm, pool, target, config, options.logger);
  },
};
