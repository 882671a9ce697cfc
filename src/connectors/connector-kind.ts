import type { ZodType } from 'zod';
import type { Json, Transaction, Variable } from '../model/index.js';
import type { Env } from '../engine/env.js';
import type { Logger } from '../engine/logger.js';

/** Variable values after validation and coercion, keyed by variable name. */
export type Vars = Record<string, unknown>;

/** What a connector sees of the world during one execution (never module globals). */
export interface ExecContext {
  signal: AbortSignal;
  /** epoch ms after which the execution is abandoned */
  deadline: number;
  logger: Logger;
  env: Env;
  /** absolute project folder; connectors resolve relative files (CA, SQLite) against it */
  projectDir: string;
  now(): number;
  /** a stateful runtime session's backend cookies: HTTP connectors send the matching ones and keep what backends set */
  cookies?: CookieJar;
}

/** Cookies kept across calls (src/engine/cookie-jar.ts); absent, connectors neither send nor keep cookies. */
export interface CookieJar {
  /** the Cookie header value for a request to `url`, when any cookie matches */
  cookieHeader(url: string): string | undefined;
  /** keeps the Set-Cookie header values a response from `url` carried */
  store(url: string, setCookie: readonly string[]): void;
}

export interface TxMeta {
  status?: number;
  statusText?: string;
  headers?: Record<string, string>;
  ms: number;
  bytes?: number;
  contentType?: string;
  url?: string;
  method?: string;
  /** SQL: the result's columns with the database's type names */
  columns?: Array<{ name: string; type: string }>;
  /** SQL: rows in the result (for result count: rows the statement returned or changed) */
  rows?: number;
  /** SQL: rows changed by a write, or returned by a read */
  affected?: number;
  /** SQL: true when the result was cut at the row limit */
  truncated?: boolean;
}

export interface TxResult {
  data: Json;
  /** the raw XML when the data came from an XML document */
  xml?: string;
  meta: TxMeta;
}

export interface ConnectorHandle {
  execute(tx: Transaction, vars: Vars, ctx: ExecContext): Promise<TxResult>;
  close(): Promise<void>;
}

/** What a kind can tell about itself to the studio (drawn as forms from JSON Schema). */
export interface ConnectorKind<Config = unknown, Tx extends Transaction = Transaction> {
  kind: string;
  title: string;
  description: string;
  config: ZodType<Config>;
  transaction: ZodType<Tx>;
  transactionTypes: readonly string[];
  /** variables a transaction gets by itself (path parameters of an HTTP path template) */
  impliedVariables?(tx: Tx): Variable[];
  /** `name` is the connector's, so messages say "connector catalog: …" */
  open(config: Config, env: Env, options: { projectDir: string; logger: Logger; name?: string }): Promise<ConnectorHandle>;
}
