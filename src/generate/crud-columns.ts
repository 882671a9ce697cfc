import type { DbColumn } from '../connectors/sql/introspect.js';
import type { VariableType } from '../model/index.js';
import type { JSONSchema } from '../schema/types.js';

/**
 * What a database column type means for generated services: the variable type that carries its value in, the
 * JSON Schema of its value coming out (as sql/values.ts converts results), and whether it can be filtered and
 * sorted on. Type names are SQLite declared types (`NVARCHAR(200)`, `NUMERIC(10,2)`) or PostgreSQL's
 * `format_type` names (`integer`, `character varying(160)`, `numeric(10,2)`, `timestamp without time zone`).
 */

export type ColumnClass = 'integer' | 'bigint' | 'float' | 'decimal' | 'boolean' | 'date' | 'time' | 'datetime' | 'json' | 'binary' | 'text';

export function columnClass(type: string): ColumnClass {
  const t = type.toLowerCase();
  if (/\[\]$/.test(t) || /^(json|jsonb)\b/.test(t) || t.includes('json')) return 'json';
  if (/bool/.test(t)) return 'boolean';
  if (/bigint|int8|bigserial/.test(t)) return 'bigint';
  if (/int|serial/.test(t)) return 'integer';
  if (/decimal|numeric|money/.test(t)) return 'decimal';
  if (/real|floa|doub/.test(t)) return 'float';
  if (/blob|bytea|binary/.test(t)) return 'binary';
  if (/timestamp|datetime/.test(t)) return 'datetime';
  if (/^date\b/.test(t)) return 'date';
  if (/^time\b/.test(t)) return 'time';
  return 'text';
}

/** The variable type a column's value travels in (decimals stay strings so no digit is lost). */
export function variableType(column: DbColumn): VariableType {
  switch (columnClass(column.type)) {
    case 'integer':
    case 'bigint':
      return 'integer';
    case 'float':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'json':
      return 'json';
    default:
      return 'string';
  }
}

/** Columns whose values compare with `=` and order with ORDER BY on every driver (not JSON, arrays nor blobs). */
export function comparable(column: DbColumn): boolean {
  const c = columnClass(column.type);
  return c !== 'json' && c !== 'binary';
}

/** The JSON Schema of one column's value in results (nullable columns also allow null). */
export function columnSchema(column: DbColumn): JSONSchema {
  const schema = valueSchema(column);
  if (!column.nullable) return schema;
  const type = schema.type;
  if (type === undefined) return schema;
  return { ...schema, type: [...(Array.isArray(type) ? type : [type]), 'null'] };
}

function valueSchema(column: DbColumn): JSONSchema {
  const description = `${column.type} column`;
  switch (columnClass(column.type)) {
    case 'integer':
      return { type: 'integer', description };
    case 'bigint':
      // beyond ±(2^53 - 1) an integer comes as a string (sql/values.ts)
      return { type: ['integer', 'string'], description };
    case 'float':
      return { type: 'number', description };
    case 'decimal':
      return { type: 'string', format: 'decimal', description };
    case 'boolean':
      return { type: 'boolean', description };
    case 'datetime':
      return { type: 'string', format: 'date-time', description };
    case 'date':
      return { type: 'string', format: 'date', description };
    case 'time':
      return { type: 'string', format: 'time', description };
    case 'binary':
      return { type: 'string', contentEncoding: 'base64', description };
    case 'json':
      return { description };
    case 'text':
      return { type: 'string', description };
  }
}

/** The schema of one row of a table. */
export function rowSchema(title: string, columns: readonly DbColumn[]): JSONSchema {
  return {
    type: 'object',
    title,
    properties: Object.fromEntries(columns.map((c) => [c.name, columnSchema(c)])),
    required: columns.map((c) => c.name),
  };
}
