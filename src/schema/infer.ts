import type { Json } from '../model/index.js';
import { detectFormat } from './formats.js';
import { mergeSchemas } from './merge.js';
import type { JSONSchema } from './types.js';

/**
 * The JSON Schema of one value. Objects list every key as required (a later merge relaxes that), integers
 * are told from other numbers, strings get a format only when it is certain (formats.ts), and an array's
 * items are the merge of all its elements (so heterogeneous objects give optional fields and type
 * arrays). An empty array has no `items`: unknown, filled in by a later merge.
 */
export function inferSchema(value: Json): JSONSchema {
  if (value === null) return { type: 'null' };
  switch (typeof value) {
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return { type: Number.isInteger(value) ? 'integer' : 'number' };
    case 'string': {
      const format = detectFormat(value);
      return format ? { type: 'string', format } : { type: 'string' };
    }
  }
  if (Array.isArray(value)) {
    let items: JSONSchema | undefined;
    for (const item of value) {
      const s = inferSchema(item);
      items = items === undefined ? s : mergeSchemas(items, s);
    }
    return items === undefined ? { type: 'array' } : { type: 'array', items };
  }
  const properties: Record<string, JSONSchema> = {};
  const keys = Object.keys(value);
  for (const key of keys) properties[key] = inferSchema(value[key]!);
  return keys.length ? { type: 'object', properties, required: keys } : { type: 'object', properties };
}

/** Infers from several samples (e.g. the results of several executions) and merges them. */
export function inferFromSamples(samples: readonly Json[]): JSONSchema {
  let schema: JSONSchema = {};
  for (const s of samples) schema = mergeSchemas(schema, inferSchema(s));
  return schema;
}
