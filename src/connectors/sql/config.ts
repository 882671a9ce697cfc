import { z } from 'zod';
import { transactionBaseSchema } from '../../model/connector.js';

export const DEFAULT_ROW_LIMIT = 10_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** Settings every SQL driver has (spread into each driver's config object). */
export const commonSqlConfigShape = {
  rowLimit: z
    .number()
    .int()
    .positive()
    .default(DEFAULT_ROW_LIMIT)
    .describe('at most this many rows are returned by a statement (the result says when it was cut); a transaction may lower or raise it'),
  statementTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(DEFAULT_STATEMENT_TIMEOUT_MS)
    .describe('a statement still running after this many milliseconds is cancelled (TIMEOUT); a transaction may set its own'),
};

export const SQL_TRANSACTION_TYPES = ['sql'] as const;
export const SQL_RESULT_SHAPES = ['rows', 'row', 'scalar', 'count'] as const;
export type SqlResultShape = (typeof SQL_RESULT_SHAPES)[number];

export const sqlTransactionSchema = transactionBaseSchema.extend({
  type: z.enum(SQL_TRANSACTION_TYPES).default('sql').describe('always sql'),
  sql: z
    .string()
    .regex(/\S/, 'a SQL transaction needs a statement')
    .describe(
      'the statement; {name} is a bound parameter taken from the variable "name" (never pasted into the SQL). Several statements separated by ; run in one database transaction and the result is that of the last',
    ),
  result: z
    .enum(SQL_RESULT_SHAPES)
    .default('rows')
    .describe('rows: an array of objects; row: the first row or null; scalar: the first column of the first row (or null); count: { affected } (rows changed, or rows returned by a query)'),
  rowLimit: z.number().int().positive().optional().describe('at most this many rows (default: the connector rowLimit)'),
  timeoutMs: z.number().int().positive().optional().describe('statement timeout in milliseconds (default: the connector statementTimeoutMs)'),
});
export type SqlTransaction = z.infer<typeof sqlTransactionSchema>;
