import { z } from 'zod';
import type { Json, Transaction, Variable, VariableType } from '../model/index.js';
import type { Env } from '../engine/env.js';
import { TrellisError } from '../engine/errors.js';
import type { Logger } from '../engine/logger.js';
import type { ConnectorKind, ExecContext, TxResult, Vars } from './connector-kind.js';
import { SQL_TRANSACTION_TYPES, sqlTransactionSchema, type SqlTransaction } from './sql/config.js';
import type { Dialect, QueryOptions, QueryResult, ResultMode, SqlConnection, SqlDriver } from './sql/driver.js';
import { SqlError } from './sql/errors.js';
import type { DatabaseSchema, IntrospectableHandle } from './sql/introspect.js';
import { postgresConfigSchema, postgresDriver } from './sql/postgres.driver.js';
import { sqliteConfigSchema, sqliteDriver } from './sql/sqlite.driver.js';
import { compileStatement, lineColumn, placeholderNames, splitStatements, type CompiledStatement, type SqlStatement } from './sql/statement.js';

export type { SqlTransaction } from './sql/config.js';
export type { DatabaseSchema, DbTable, DbColumn, DbForeignKey } from './sql/introspect.js';
export { introspect, isIntrospectable, formatSchema } from './sql/introspect.js';

/**
 * The `sql` connector kind: SQLite (embedded) and PostgreSQL. A transaction is a statement (or several, separated
 * by `;`, run in one database transaction) where `{name}` is a parameter bound from the variable `name`, never
 * pasted into the SQL. Result shapes: rows (array of objects), row (first row or null), scalar (first column of the
 * first row, or null), count ({ affected }). Value types: sql/values.ts. Driver code: sql/<driver>.driver.ts.
 */

/** The drivers: a MySQL driver is one more file in sql/ and one more entry here and in sqlConfigSchema. */
const drivers: readonly SqlDriver[] = [sqliteDriver, postgresDriver];

/** The dialect of a driver by name (generated SQL quotes identifiers with it). */
export function sqlDialect(driver: string): Dialect {
  const found = drivers.find((d) => d.name === driver);
  if (!found) throw new TrellisError('INVALID_CONFIG', `unknown SQL driver "${driver}" (drivers: ${drivers.map((d) => d.name).join(', ')})`);
  return found.dialect;
}

export const sqlConfigSchema = z.discriminatedUnion('driver', [sqliteConfigSchema, postgresConfigSchema]).describe('SQL database connection');
export type SqlConfig = z.infer<typeof sqlConfigSchema>;

interface PlannedStatement {
  statement: SqlStatement;
  /** the statement with every placeholder as one parameter */
  compiled: CompiledStatement;
  /** distinct placeholder names (checked for list values) */
  names: string[];
  /** compilations with list expansions, by arity signature */
  expanded?: Map<string, CompiledStatement>;
}

interface Plan {
  sql: string;
  statements: PlannedStatement[];
}

const PLAN_CACHE_SIZE = 512;

/** Placeholder names per transaction object (impliedVariables runs on every execution). */
const impliedCache = new WeakMap<object, { sql: string; names: string[] }>();

function impliedNames(tx: { sql?: unknown }): string[] {
  const sql = typeof tx.sql === 'string' ? tx.sql : '';
  const cached = impliedCache.get(tx);
  if (cached && cached.sql === sql) return cached.names;
  const names = placeholderNames(sql);
  impliedCache.set(tx, { sql, names });
  return names;
}

class SqlHandle implements IntrospectableHandle {
  private readonly plans = new Map<string, Plan>();

  constructor(
    readonly connection: SqlConnection,
    private readonly config: SqlConfig,
  ) {}

  private plan(sql: string): Plan {
    const cached = this.plans.get(sql);
    if (cached) return cached;
    const dialect = this.connection.dialect;
    const statements = splitStatements(sql, dialect).map((statement) => ({
      statement,
      compiled: compileStatement(statement, dialect),
      names: [...new Set(statement.placeholders.map((p) => p.name))],
    }));
    if (statements.length === 0) throw new TrellisError('INVALID_CONFIG', 'the SQL holds no statement (only comments or blanks)');
    const plan = { sql, statements };
    if (this.plans.size >= PLAN_CACHE_SIZE) this.plans.delete(this.plans.keys().next().value!);
    this.plans.set(sql, plan);
    return plan;
  }

  /** The statement in the driver's form for these values: list variables expand to one parameter per item. */
  private bind(p: PlannedStatement, vars: Vars, tx: SqlTransaction): { compiled: CompiledStatement; params: unknown[]; types?: (VariableType | undefined)[] } {
    let compiled = p.compiled;
    let arity: Map<string, number> | undefined;
    for (const name of p.names) {
      const v = vars[name];
      if (Array.isArray(v) && tx.variables.some((x) => x.name === name && x.multivalued)) (arity ??= new Map()).set(name, v.length);
    }
    if (arity) {
      const key = [...arity].map(([n, k]) => `${n}:${k}`).join(',');
      p.expanded ??= new Map();
      let c = p.expanded.get(key);
      if (!c) {
        c = compileStatement(p.statement, this.connection.dialect, arity);
        if (p.expanded.size >= 64) p.expanded.clear();
        p.expanded.set(key, c);
      }
      compiled = c;
    }
    const specs = compiled.params;
    const params = new Array<unknown>(specs.length);
    for (let i = 0; i < specs.length; i++) {
      const s = specs[i]!;
      const v = vars[s.name];
      params[i] = s.item === undefined ? v : (v as unknown[])[s.item];
    }
    if (!this.connection.dialect.typedParameters) return { compiled, params };
    const types = specs.map((s) => tx.variables.find((x) => x.name === s.name)?.type ?? 'string');
    return { compiled, params, types };
  }

  async execute(transaction: Transaction, vars: Vars, ctx: ExecContext): Promise<TxResult> {
    const started = performance.now();
    const tx = transaction as SqlTransaction;
    const plan = this.plan(tx.sql);
    const mode: ResultMode = tx.result ?? 'rows';
    const rowLimit = tx.rowLimit ?? this.config.rowLimit;
    const wanted = tx.timeoutMs ?? this.config.statementTimeoutMs;
    const now = Date.now();
    const timeoutMs = Math.max(1, Math.min(wanted, ctx.deadline - now));
    const deadline = now + timeoutMs;
    // (no closures on this path: it runs once per execution and must stay cheap)
    const count = plan.statements.length;
    let index = 0;
    let compiled: CompiledStatement | undefined;
    let result: QueryResult;
    try {
      if (count === 1) {
        const b = this.bind(plan.statements[0]!, vars, tx);
        compiled = b.compiled;
        const options: QueryOptions = { mode, rowLimit, deadline, timeoutMs, signal: ctx.signal, parameterTypes: b.types };
        result = await this.connection.query(b.compiled.sql, b.params, options);
      } else {
        result = await this.connection.transaction(
          async (session) => {
            let last: QueryResult | undefined;
            for (index = 0; index < count; index++) {
              const b = this.bind(plan.statements[index]!, vars, tx);
              compiled = b.compiled;
              const options: QueryOptions = { mode: index === count - 1 ? mode : 'count', rowLimit, deadline, timeoutMs, signal: ctx.signal, parameterTypes: b.types };
              last = await session.query(b.compiled.sql, b.params, options);
            }
            return last!;
          },
          { timeoutMs, deadline, signal: ctx.signal },
        );
      }
    } catch (e) {
      throw explain(e, plan, index, compiled);
    }
    let data: Json;
    switch (mode) {
      case 'rows':
        data = result.rows;
        break;
      case 'row':
        data = result.rows[0] ?? null;
        break;
      case 'scalar': {
        const row = result.rows[0];
        const first = result.columns[0]?.name;
        data = row && first !== undefined ? (row[first] ?? null) : null;
        break;
      }
      case 'count':
        data = { affected: result.affected };
        break;
    }
    return {
      data,
      meta: {
        ms: performance.now() - started,
        rows: mode === 'count' ? result.affected : result.rows.length,
        affected: result.affected,
        columns: result.columns,
        ...(result.truncated ? { truncated: true } : {}),
      },
    };
  }

  introspect(): Promise<DatabaseSchema> {
    return this.connection.introspect();
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}

/** Adds where the error is (statement number, line and column in the transaction's SQL) to a driver error. */
function explain(e: unknown, plan: Plan, index: number, compiled: CompiledStatement | undefined): unknown {
  if (!(e instanceof TrellisError)) return e;
  const count = plan.statements.length;
  const planned = plan.statements[Math.min(index, count - 1)]!;
  const where: string[] = [];
  if (count > 1) where.push(`statement ${index + 1} of ${count}`);
  if (e instanceof SqlError) {
    let offset: number | undefined;
    if (e.info.position !== undefined && compiled) offset = compiled.sourceOffset(e.info.position);
    else if (e.info.near !== undefined) {
      const found = planned.statement.text.indexOf(e.info.near);
      if (found >= 0) offset = found;
    }
    if (offset !== undefined) {
      const { line, column } = lineColumn(plan.sql, planned.statement.offset + offset);
      where.push(`line ${line}, column ${column}`);
      e.info.position = planned.statement.offset + offset;
    }
  }
  if (count > 1 && e.code !== 'CANCELLED') where.push('the database transaction was rolled back');
  if (where.length === 0) return e;
  const info = e instanceof SqlError ? e.info : {};
  return new SqlError(e.code, `${e.message} (${where.join('; ')})`, { ...info, ...(count > 1 ? { statement: index + 1 } : {}) }, e);
}

export const sqlConnector: ConnectorKind<SqlConfig, SqlTransaction> = {
  kind: 'sql',
  title: 'SQL database',
  description: 'Runs SQL statements on SQLite (a file in the project, or in memory) or PostgreSQL, with parameters bound from variables.',
  config: sqlConfigSchema,
  transaction: sqlTransactionSchema,
  transactionTypes: SQL_TRANSACTION_TYPES,

  impliedVariables(tx: SqlTransaction): Variable[] {
    const declared = new Set((tx.variables ?? []).map((v) => v.name));
    return impliedNames(tx)
      .filter((name) => !declared.has(name))
      .map((name) => ({ name, type: 'string', required: true }));
  },

  async open(config: SqlConfig, env: Env, options: { projectDir: string; logger: Logger; name?: string }) {
    const driver = drivers.find((d) => d.name === config.driver);
    if (!driver) throw new TrellisError('INVALID_CONFIG', `unknown SQL driver "${String((config as { driver?: unknown }).driver)}" (drivers: ${drivers.map((d) => d.name).join(', ')})`);
    const connection = await driver.open(config, { env, projectDir: options.projectDir, logger: options.logger, where: options.name ? `connector ${options.name}` : `${driver.title} connector` });
    return new SqlHandle(connection, config);
  },
};
