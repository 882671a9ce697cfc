import type { JsonSchema } from '../schema-form/schema.js';
import { isRecord, resolveRef } from '../schema-form/schema.js';

/**
 * Step property values (DESIGN.md): a constant, `{ source: { from, path } }` or `{ js: "expression" }`.
 * The engine's props schemas say so with an `anyOf` of a source branch, a js branch and the constant's
 * schema; these helpers find that shape and split a value into its mode. Pure.
 */

export type ValueMode = 'constant' | 'source' | 'js';

export interface SourceValue {
  from: string;
  path: string;
  meta?: boolean;
}

function branches(schema: JsonSchema): JsonSchema[] | undefined {
  return schema.anyOf ?? schema.oneOf;
}

function isSourceBranch(s: JsonSchema): boolean {
  return isRecord(s.properties) && isRecord(s.properties.source) && Object.keys(s.properties).length === 1;
}

function isJsBranch(s: JsonSchema): boolean {
  return isRecord(s.properties) && isRecord(s.properties.js) && Object.keys(s.properties).length === 1;
}

/** True for a property that takes a constant, a source or an expression. */
export function isDynamicSchema(schema: JsonSchema | undefined): boolean {
  const list = schema ? branches(schema) : undefined;
  return !!list && list.some(isSourceBranch) && list.some(isJsBranch);
}

/**
 * The schema of the constant a dynamic property takes (its other branches), keeping the outer
 * title, description and default; `root` resolves `$ref`s into the props schema's `$defs`.
 */
export function constantSchema(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const { anyOf: _a, oneOf: _o, ...outer } = schema;
  const rest = (branches(schema) ?? []).filter((b) => !isSourceBranch(b) && !isJsBranch(b));
  const inner: JsonSchema = rest.length === 1 ? resolveRef(rest[0]!, root) : { anyOf: rest };
  return { ...inner, $defs: root.$defs, ...outer, title: outer.title, description: outer.description };
}

/** A record (`variables`) whose values are dynamic: `{ additionalProperties: <dynamic> }`. */
export function isDynamicRecordSchema(schema: JsonSchema | undefined): boolean {
  return !!schema && (schema.type === 'object' || schema.type === undefined) && !schema.properties && isRecord(schema.additionalProperties) && isDynamicSchema(schema.additionalProperties as JsonSchema);
}

export function valueMode(value: unknown): ValueMode {
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'source' && isRecord(value.source)) return 'source';
    if (keys.length === 1 && keys[0] === 'js' && typeof value.js === 'string') return 'js';
  }
  return 'constant';
}

export function sourceOf(value: unknown): SourceValue | undefined {
  if (valueMode(value) !== 'source') return undefined;
  const s = (value as { source: Record<string, unknown> }).source;
  return { from: typeof s.from === 'string' ? s.from : '', path: typeof s.path === 'string' ? s.path : '$', meta: s.meta === true ? true : undefined };
}

export function jsOf(value: unknown): string | undefined {
  return valueMode(value) === 'js' ? String((value as { js: string }).js) : undefined;
}

export function sourceValue(source: SourceValue): { source: SourceValue } {
  return { source: source.meta ? { from: source.from, path: source.path, meta: true } : { from: source.from, path: source.path } };
}

/** `from · path` as the property form and the canvas show a source. */
export function describeSource(source: SourceValue): string {
  const path = source.path === '$' ? '' : source.path.replace(/^\$\.?/, '');
  return `${source.from}${source.meta ? ' (meta)' : ''}${path ? (path.startsWith('[') ? path : `.${path}`) : ''}`;
}

/** A JSONPath member: `$.name`, or `$['odd-name']` when the name is not an identifier. */
export function memberPath(parent: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key).replace(/^"|"$/g, "'")}]`;
}

function typeOf(schema: JsonSchema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  return undefined;
}

/** Whether a constant schema accepts null (JSON values do). */
function acceptsNull(schema: JsonSchema, root: JsonSchema): boolean {
  const s = resolveRef(schema, root);
  if (s.type === 'null' || (Array.isArray(s.type) && s.type.includes('null'))) return true;
  return (s.anyOf ?? s.oneOf ?? []).some((b) => acceptsNull(b, root));
}

/** The empty value of a constant schema: null when it takes JSON, else '', 0, false, [] or {}. */
export function emptyConstant(constant: JsonSchema, root: JsonSchema): unknown {
  if (acceptsNull(constant, root)) return null;
  const t = typeOf(resolveRef(constant, root));
  if (t === 'number' || t === 'integer') return typeof constant.minimum === 'number' ? constant.minimum : 0;
  if (t === 'boolean') return false;
  if (t === 'array') return [];
  if (t === 'object') return {};
  return '';
}

/** Start values of properties, by name, that make a new step useful at once. */
const SEEDS: Record<string, unknown> = {
  condition: { js: 'true' },
  code: 'return null;',
  name: 'value',
};

/**
 * The props of a new step: a value for each required property without a default (an expression
 * for conditions, null for JSON values, '' or 0 for scalars), plus `extra` (a call's target...).
 */
export function initialProps(propsSchema: JsonSchema, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = propsSchema.properties ?? {};
  for (const key of propsSchema.required ?? []) {
    const schema = props[key];
    if (!schema || schema.default !== undefined || key in extra) continue;
    if (key in SEEDS) {
      out[key] = SEEDS[key];
      continue;
    }
    const constant = isDynamicSchema(schema) ? constantSchema(schema, propsSchema) : resolveRef(schema, propsSchema);
    if (constant.default !== undefined) continue;
    out[key] = emptyConstant(constant, propsSchema);
  }
  return { ...out, ...extra };
}
