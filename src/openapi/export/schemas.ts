import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Json, Variable } from '../../model/index.js';

/** A JSON Schema (2020-12) / OpenAPI 3.1 Schema Object. */
export type Schema = { [key: string]: Json };

/** The JSON Schema of one variable's value: its type (a list when multivalued), format, enum, default, description. */
export function variableSchema(v: Variable): Schema {
  const item: Schema = v.type === 'json' ? {} : v.type === 'file' ? { type: 'string' } : { type: v.type };
  if (v.format) item.format = v.format;
  if (v.enum?.length) item.enum = v.enum;
  const schema: Schema = v.multivalued ? { type: 'array', items: item } : item;
  if (v.default !== undefined) schema.default = v.multivalued && !Array.isArray(v.default) ? [v.default] : v.default;
  if (v.description) schema.description = v.description;
  if (v.secret) schema.writeOnly = true;
  return schema;
}

/** The variables as one JSON object (a request body). */
export function objectSchema(variables: readonly Variable[]): Schema {
  const properties: Schema = {};
  for (const v of variables) properties[v.name] = variableSchema(v);
  const required = variables.filter((v) => v.required && v.default === undefined).map((v) => v.name);
  const schema: Schema = { type: 'object', properties, additionalProperties: false };
  if (required.length) schema.required = required;
  return schema;
}

/** A parameter object for a variable read from the query, a header or the path. */
export function parameter(v: Variable, where: 'query' | 'header' | 'path', wire = v.name): Schema {
  const p: Schema = { name: wire, in: where, schema: variableSchema(v) };
  if (where === 'path' || (v.required && v.default === undefined)) p.required = true;
  if (v.description) p.description = v.description;
  return p;
}

/** The body of every error the runtime answers (src/runtime/errors.ts). */
export const ERROR_SCHEMA: Schema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'BAD_VARIABLE, NOT_FOUND, UNAUTHORIZED, FORBIDDEN, TIMEOUT, BACKEND_STATUS, ...' },
        message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', properties: { variable: { type: 'string' }, message: { type: 'string' } } }, description: 'BAD_VARIABLE: one entry per bad variable' },
        upstream: { type: 'object', properties: { status: { type: 'integer' }, body: {} }, description: 'BACKEND_STATUS: what the backend answered' },
        requestId: { type: 'string' },
      },
    },
  },
};

/** Keywords of the stored (inferred) schemas that are not JSON Schema; dropped from the document. */
const PRIVATE_KEYS = /^x-trellis/;

function clean(value: Json, base: string): Json {
  if (Array.isArray(value)) return value.map((v) => clean(v, base));
  if (value && typeof value === 'object') {
    const out: Schema = {};
    for (const [k, v] of Object.entries(value)) {
      if (PRIVATE_KEYS.test(k) || k === '$schema' || k === '$id') continue;
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${base}${v.slice(1)}` : clean(v, base);
    }
    return out;
  }
  return value;
}

/** The component name of a stored schema (`components.schemas.<name>`). */
export function componentName(owner: string): string {
  return owner.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * The stored output schemas (`schemas/<owner>.json`) of the given owners, ready to sit at
 * `components.schemas.<owner>`: their local `$ref`s (`#/$defs/X`) are rebased there. A missing or broken
 * file is left out.
 */
export async function readOutputSchemas(dir: string, owners: readonly string[]): Promise<Record<string, Schema>> {
  const out: Record<string, Schema> = {};
  await Promise.all(
    owners.map(async (owner) => {
      try {
        const value = JSON.parse(await readFile(join(dir, 'schemas', `${owner}.json`), 'utf8')) as Json;
        if (value && typeof value === 'object' && !Array.isArray(value)) out[owner] = clean(value, `#/components/schemas/${componentName(owner)}`) as Schema;
      } catch {}
    }),
  );
  return out;
}
