import { isEmptySchema, typesOf, type JSONSchema, type JSONType } from './types.js';

/**
 * Merges two schemas of the same data, typically the stored one (a) and one inferred from the latest
 * execution (b), into a schema that accepts both:
 * - type sets unite (`integer` + `number` → `number`; a single type stays a string, several give a type
 *   array such as ["string", "null"]); keywords for objects, arrays and strings only apply to instances of
 *   that type, so one schema with a type array covers mixed data without `anyOf`;
 * - objects: properties unite, each common one merged; `required` keeps the keys required on both sides,
 *   so a key missing from some items becomes optional;
 * - arrays: items merge (an array with no `items`, e.g. inferred from [], takes the other side's);
 * - strings: a format survives only when both sides that are strings agree;
 * - `{}` (anything) is neutral; schemas using anyOf/oneOf/allOf/$ref (imported from OpenAPI) merge into an
 *   `anyOf`, joining a branch of the same type when there is one;
 * - annotations (title, description, x-...) come from `a`, else `b`; other keywords (enum, minimum, ...)
 *   are kept only when both sides agree, since new data may not satisfy them.
 */
export function mergeSchemas(a: JSONSchema, b: JSONSchema): JSONSchema {
  if (isEmptySchema(a)) return b;
  if (isEmptySchema(b)) return a;
  if (composed(a) || composed(b)) return mergeAnyOf(a, b);
  const ta = typesOf(a);
  const tb = typesOf(b);
  const out: JSONSchema = {};
  copyAnnotations(a, b, out);
  if (ta.length && tb.length) {
    const types = normalizeTypes([...ta, ...tb]);
    out.type = types.length === 1 ? types[0]! : types;
  }
  const hasA = (t: JSONType) => ta.length === 0 || ta.includes(t);
  const hasB = (t: JSONType) => tb.length === 0 || tb.includes(t);
  if (a.properties || b.properties) {
    const objA = hasA('object') && a.properties !== undefined;
    const objB = hasB('object') && b.properties !== undefined;
    const properties: Record<string, JSONSchema> = { ...(objA ? a.properties : {}) };
    for (const [k, s] of Object.entries(objB ? b.properties! : {})) properties[k] = properties[k] ? mergeSchemas(properties[k]!, s) : s;
    out.properties = properties;
    const required = objA && objB ? (a.required ?? []).filter((k) => (b.required ?? []).includes(k)) : objA ? (a.required ?? []) : objB ? (b.required ?? []) : [];
    if (required.length) out.required = required;
  }
  if (a.items || b.items) out.items = a.items && b.items ? mergeSchemas(a.items, b.items) : (a.items ?? b.items)!;
  const strA = ta.includes('string');
  const strB = tb.includes('string');
  const format = strA && strB ? (a.format === b.format ? a.format : undefined) : strA ? a.format : strB ? b.format : undefined;
  if (format) out.format = format;
  for (const key of Object.keys(a)) {
    if (key in out || HANDLED.has(key) || isAnnotation(key)) continue;
    if (JSON.stringify(a[key]) === JSON.stringify(b[key])) out[key] = a[key];
  }
  return out;
}

const ORDER: JSONType[] = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
const HANDLED = new Set(['type', 'properties', 'required', 'items', 'format']);
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'deprecated', 'readOnly', 'writeOnly']);

function isAnnotation(key: string): boolean {
  return ANNOTATIONS.has(key) || key.startsWith('x-');
}

function copyAnnotations(a: JSONSchema, b: JSONSchema, out: JSONSchema): void {
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) if (isAnnotation(key)) out[key] = a[key] ?? b[key];
}

function normalizeTypes(types: JSONType[]): JSONType[] {
  const set = new Set(types);
  if (set.has('number')) set.delete('integer');
  return ORDER.filter((t) => set.has(t));
}

function composed(s: JSONSchema): boolean {
  return s.anyOf !== undefined || s.oneOf !== undefined || s.allOf !== undefined || s.$ref !== undefined;
}

function branches(s: JSONSchema): JSONSchema[] {
  return s.anyOf && Object.keys(s).length === 1 ? s.anyOf : [s];
}

function mergeAnyOf(a: JSONSchema, b: JSONSchema): JSONSchema {
  const out = [...branches(a)];
  for (const s of branches(b)) {
    const key = JSON.stringify(s);
    if (out.some((x) => JSON.stringify(x) === key)) continue;
    const types = typesOf(s).join();
    const i = composed(s) || !types ? -1 : out.findIndex((x) => !composed(x) && typesOf(x).join() === types);
    if (i >= 0) out[i] = mergeSchemas(out[i]!, s);
    else out.push(s);
  }
  return out.length === 1 ? out[0]! : { anyOf: out };
}
