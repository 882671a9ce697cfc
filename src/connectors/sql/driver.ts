import type { ZodType } from 'zod';
import type { Json, VariableType } from '../../model/index.js';
import type { Env } from '../../engine/env.js';
import type { Logger } from '../../engine/logger.js';
import type { DatabaseSchema } from './introspect.js';

/**
 * The small surface a database driver implements (one file per driver: sqlite.driver.ts, postgres.driver.ts;
 * a MySQL driver is one more file plus one line in sql.connector.ts). The connector kind does everything else:
 * placeholders, statement splitting, result shapes, limits and error wording.
 */

/** How the SQL text of a dialect is lexed and how bound parameters are written. */
export interface Dialect {
  name: string;
  /** the text of the index-th (0-based) bound parameter: `?` or `$1` */
  parameter(index: number): string;
  /**
   * numbered parameters (`$1`) are reused for every occurrence of the same variable, so PostgreSQL infers one type
   * for `{x} IS NULL OR col = {x}`; positional ones (`?`) are repeated
   */
  reuseParameters: boolean;
  /** the driver wants each parameter's variable type (QueryOptions.parameterTypes) */
  typedParameters: boolean;
  /** `$tag$ ... $tag$` quoting (PostgreSQL) */
  dollarQuotes: boolean;
  /** `E'...'` strings with backslash escapes (PostgreSQL) */
  escapeStrings: boolean;
  /** `[identifier]` quoting (SQLite, SQL Server) */
  bracketIdentifiers: boolean;
  /** `` `identifier` `` quoting (SQLite, MySQL) */
  backtickIdentifiers: boolean;
  /** `/* /* nested *\/ *\/` comments (PostgreSQL) */
  nestedComments: boolean;
  /** quotes an identifier for generated SQL */
  quoteIdentifier(name: string): string;
  /** one CASE may yield values of different types (SQLite's dynamic typing); generated SQL then needs fewer parameters */
  mixedTypeCase?: boolean;
}

/** What the caller wants back from one statement. */
export type ResultMode = 'rows' | 'row' | 'scalar' | 'count';

export interface QueryOptions {
  mode: ResultMode;
  /** fetch at most this many rows (mode rows); one more is read to tell whether the result was cut */
  rowLimit: number;
  /** epoch ms: the statement is abandoned after it (TIMEOUT) */
  deadline: number;
  /** the statement timeout in ms this execution asked for (already bounded by the deadline) */
  timeoutMs: number;
  signal?: AbortSignal;
  /** per parameter, the type of the variable it comes from (when the dialect has typedParameters) */
  parameterTypes?: readonly (VariableType | undefined)[];
}

export interface ColumnInfo {
  name: string;
  /** the database's type name: `INTEGER`, `NVARCHAR(200)` (SQLite declared types), `int4`, `numeric` (PostgreSQL) */
  type: string;
}

export type Row = Record<string, Json>;

export interface QueryResult {
  /** converted rows (JSON values only); empty for statements that return no rows */
  rows: Row[];
  columns: ColumnInfo[];
  /** whether the statement produces rows (SELECT, RETURNING, ...) */
  returnsRows: boolean;
  /** rows changed by a write, or rows returned by a read */
  affected: number;
  /** more rows existed than rowLimit */
  truncated: boolean;
}

/** Runs statements on one connection (inside a transaction, or on any pooled connection outside one). */
export interface SqlSession {
  query(sql: string, params: readonly unknown[], options: QueryOptions): Promise<QueryResult>;
}

export interface SqlConnection extends SqlSession {
  readonly dialect: Dialect;
  /** runs fn on one connection inside BEGIN ... COMMIT; ROLLBACK when fn throws (the error is rethrown) */
  transaction<T>(fn: (session: SqlSession) => Promise<T>, options: { timeoutMs: number; deadline: number; signal?: AbortSignal }): Promise<T>;
  introspect(): Promise<DatabaseSchema>;
  close(): Promise<void>;
}

export interface DriverOpenOptions {
  env: Env;
  projectDir: string;
  logger: Logger;
  /** `connectors/<name>` when known, for messages */
  where: string;
}

export interface SqlDriver<Config extends { driver: string } = any> {
  name: Config['driver'];
  title: string;
  /** the driver's part of the connector config (a zod object with `driver: z.literal(name)`) */
  config: ZodType<Config>;
  dialect: Dialect;
  open(config: Config, options: DriverOpenOptions): Promise<SqlConnection>;
}
