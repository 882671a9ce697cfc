import { humanize } from './humanize.js';
import type { Path } from './paths.js';
import { isRecord, pathKey } from './paths.js';

/**
 * The JSON Schema subset the engine sends (z.toJSONSchema of each kind's zod schema, draft 2020-12),
 * turned into a small field model the form components draw. Pure: no React, no DOM.
 */
export interface JsonSchema {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  examples?: unknown[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema | JsonSchema[];
  minItems?: number;
  maxItems?: number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  readOnly?: boolean;
  deprecated?: boolean;
  [key: string]: unknown;
}

export type { Path } from './paths.js';
export { getAt, isRecord, jsonEqual, pathKey, setAt, setKey } from './paths.js';

interface FieldBase {
  /** the property key ('' for a root) */
  key: string;
  /** schema title, else the humanized key: the field's accessible name */
  label: string;
  description?: string;
  /** the schema default, shown as a placeholder (never written) */
  default?: unknown;
  hasDefault: boolean;
  /** listed in `required` and without a default: leaving it empty is an error */
  required: boolean;
  readOnly: boolean;
  /** the schema also allows null */
  nullable: boolean;
}

export interface StringModel extends FieldBase {
  kind: 'string';
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  multiline: boolean;
}
export interface NumberModel extends FieldBase {
  kind: 'number';
  integer: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}
export interface BooleanModel extends FieldBase {
  kind: 'boolean';
}
export interface EnumOption {
  value: unknown;
  label: string;
  description?: string;
}
export interface EnumModel extends FieldBase {
  kind: 'enum';
  options: EnumOption[];
}
export interface ConstModel extends FieldBase {
  kind: 'const';
  value: unknown;
}
export interface ObjectModel extends FieldBase {
  kind: 'object';
  fields: FieldModel[];
  /** keys not in `fields` are allowed (drawn as JSON fields when present) */
  additional: boolean;
}
export interface UnionOption {
  /** the discriminator's value for this branch */
  value: string;
  label: string;
  description?: string;
  /** the branch's fields, without the discriminator */
  model: ObjectModel;
}
export interface UnionModel extends FieldBase {
  kind: 'union';
  discriminator: string;
  options: UnionOption[];
}
export type ScalarModel = StringModel | NumberModel | BooleanModel | EnumModel;
export interface ArrayModel extends FieldBase {
  kind: 'array';
  item: ScalarModel;
  minItems?: number;
  maxItems?: number;
}
export interface RecordModel extends FieldBase {
  kind: 'record';
  value: ScalarModel;
  keyPattern?: string;
}
/** Anything the form cannot draw natively: edited as JSON text. */
export interface JsonModel extends FieldBase {
  kind: 'json';
}

export type FieldModel = StringModel | NumberModel | BooleanModel | EnumModel | ConstModel | ObjectModel | UnionModel | ArrayModel | RecordModel | JsonModel;
export type FieldKind = FieldModel['kind'];

export interface BuildOptions {
  key?: string;
  /** whether the parent lists the key in `required` */
  required?: boolean;
  /** the document that `$ref`s point into (defaults to the schema itself) */
  root?: JsonSchema;
  /** keys to leave out of a root object */
  omit?: readonly string[];
  /** draw an object without declared properties as an object (its keys as JSON fields), not as one JSON field */
  asObject?: boolean;
}

const MAX_DEPTH = 12;
const MULTILINE_KEYS = new Set(['body', 'description', 'script', 'sql', 'statement', 'template', 'expression', 'code', 'query']);

/** Follows a local `$ref` (#, #/$defs/x, #/definitions/x, any JSON pointer); sibling keys override the target. */
export function resolveRef(schema: JsonSchema, root: JsonSchema, seen = 0): JsonSchema {
  if (!schema.$ref || seen > MAX_DEPTH) return schema;
  const { $ref, ...rest } = schema;
  let target: unknown;
  if ($ref === '#') target = root;
  else if ($ref.startsWith('#/')) {
    target = root;
    for (const raw of $ref.slice(2).split('/')) {
      const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isRecord(target) ? target[part] : undefined;
    }
  }
  if (!isRecord(target)) return rest;
  return resolveRef({ ...(target as JsonSchema), ...rest }, root, seen + 1);
}

/** Merges `allOf` branches into one schema: properties and required are united, the rest first-wins. */
function mergeAllOf(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.allOf?.length) return schema;
  const { allOf, ...rest } = schema;
  let merged: JsonSchema = { ...rest };
  for (const branch of allOf) {
    const b = mergeAllOf(resolveRef(branch, root), root);
    const properties = { ...(merged.properties ?? {}) };
    for (const [k, v] of Object.entries(b.properties ?? {})) if (!(k in properties)) properties[k] = v;
    merged = { ...b, ...merged, properties, required: [...new Set([...(merged.required ?? []), ...(b.required ?? [])])] };
  }
  if (merged.properties && Object.keys(merged.properties).length === 0) delete merged.properties;
  if (merged.required && merged.required.length === 0) delete merged.required;
  return merged;
}

function isNullSchema(s: JsonSchema): boolean {
  return s.type === 'null' || (s.const === null && s.type === undefined) || (Array.isArray(s.enum) && s.enum.length === 1 && s.enum[0] === null);
}

/** The single constant value a schema allows, if any (`const` or a one-item `enum`). */
function constOf(s: JsonSchema): { value: unknown } | undefined {
  if (s.const !== undefined) return { value: s.const };
  if (Array.isArray(s.enum) && s.enum.length === 1) return { value: s.enum[0] };
  return undefined;
}

function isScalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

/** The key whose constant value tells the branches of a oneOf/anyOf of objects apart (`type`, `kind`, ...). */
export function findDiscriminator(variants: JsonSchema[]): string | undefined {
  if (variants.length < 2) return undefined;
  if (!variants.every((v) => v.properties && (v.type === 'object' || v.type === undefined))) return undefined;
  const first = variants[0]!.properties!;
  const candidates = Object.keys(first).sort((a, b) => rank(a) - rank(b));
  for (const key of candidates) {
    const values = variants.map((v) => {
      const p = v.properties?.[key];
      return p ? constOf(p) : undefined;
    });
    if (values.every((c) => c !== undefined && typeof c.value === 'string')) {
      const strings = values.map((c) => c!.value as string);
      if (new Set(strings).size === strings.length) return key;
    }
  }
  return undefined;
  function rank(key: string): number {
    const i = ['type', 'kind', 'mode', 'method'].indexOf(key);
    return i === -1 ? 99 : i;
  }
}

function base(schema: JsonSchema, options: BuildOptions, nullable = false): FieldBase {
  const key = options.key ?? '';
  const hasDefault = schema.default !== undefined;
  return {
    key,
    label: schema.title ?? (key ? humanize(key) : 'Value'),
    description: schema.description,
    default: schema.default,
    hasDefault,
    required: Boolean(options.required) && !hasDefault,
    readOnly: schema.readOnly === true,
    nullable,
  };
}

function numberOrUndefined(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function scalarLabel(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Builds the field model of a schema. Shapes the form cannot draw become `json` fields. */
export function buildFieldModel(schema: JsonSchema, options: BuildOptions = {}): FieldModel {
  return build(schema, options, options.root ?? schema, 0, false);
}

function build(raw: JsonSchema, options: BuildOptions, root: JsonSchema, depth: number, nullableIn: boolean): FieldModel {
  if (depth > MAX_DEPTH) return { ...base(raw, options, nullableIn), kind: 'json' };
  const schema = mergeAllOf(resolveRef(raw, root), root);
  let nullable = nullableIn;

  // oneOf / anyOf
  const variantsRaw = schema.oneOf ?? schema.anyOf;
  if (variantsRaw?.length) {
    const { oneOf: _o, anyOf: _a, ...outer } = schema;
    const variants = variantsRaw.map((v) => mergeAllOf(resolveRef(v, root), root));
    const nonNull = variants.filter((v) => !isNullSchema(v));
    if (nonNull.length < variants.length) nullable = true;
    if (nonNull.length === 1) {
      const inner = nonNull[0]!;
      return build(
        {
          ...inner,
          ...outer,
          title: outer.title ?? inner.title,
          description: outer.description ?? inner.description,
          default: outer.default !== undefined ? outer.default : inner.default,
        },
        options,
        root,
        depth + 1,
        nullable,
      );
    }
    if (nonNull.length > 1 && nonNull.every((v) => constOf(v) !== undefined && isScalar(constOf(v)!.value))) {
      return {
        ...base(outer, options, nullable),
        kind: 'enum',
        options: nonNull.map((v) => {
          const value = constOf(v)!.value;
          return { value, label: v.title ?? scalarLabel(value), description: v.description };
        }),
      };
    }
    const discriminator = findDiscriminator(nonNull);
    if (discriminator) {
      return {
        ...base(outer, options, nullable),
        kind: 'union',
        discriminator,
        options: nonNull.map((v) => {
          const value = constOf(v.properties![discriminator]!)!.value as string;
          const model = build({ ...v, type: 'object' }, { key: options.key, omit: [discriminator] }, root, depth + 1, false) as ObjectModel;
          return { value, label: v.title ?? v.description ?? humanize(value), description: v.properties![discriminator]!.description, model };
        }),
      };
    }
    return { ...base(outer, options, nullable), kind: 'json' };
  }

  // type: [x, 'null']
  let type = schema.type;
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== 'null');
    if (nonNull.length < type.length) nullable = true;
    if (nonNull.length !== 1) return { ...base(schema, options, nullable), kind: 'json' };
    type = nonNull[0];
  }

  if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter((v) => v !== null);
    if (values.length < schema.enum.length) nullable = true;
    if (values.every(isScalar) && values.length > 0) {
      return { ...base(schema, options, nullable), kind: 'enum', options: values.map((value) => ({ value, label: scalarLabel(value) })) };
    }
    return { ...base(schema, options, nullable), kind: 'json' };
  }
  if (schema.const !== undefined) return { ...base(schema, options, nullable), kind: 'const', value: schema.const };

  if (type === undefined) {
    if (schema.properties) type = 'object';
    else if (schema.items) type = 'array';
    else if (typeof schema.minLength === 'number' || typeof schema.pattern === 'string') type = 'string';
  }

  switch (type) {
    case 'string':
      return {
        ...base(schema, options, nullable),
        kind: 'string',
        minLength: numberOrUndefined(schema.minLength),
        maxLength: numberOrUndefined(schema.maxLength),
        pattern: typeof schema.pattern === 'string' ? schema.pattern : undefined,
        format: typeof schema.format === 'string' ? schema.format : undefined,
        multiline:
          MULTILINE_KEYS.has(options.key ?? '') || schema.format === 'textarea' || schema.format === 'multiline' || (numberOrUndefined(schema.maxLength) ?? 0) > 500,
      };
    case 'number':
    case 'integer': {
      const exMin = schema.exclusiveMinimum;
      const exMax = schema.exclusiveMaximum;
      return {
        ...base(schema, options, nullable),
        kind: 'number',
        integer: type === 'integer',
        minimum: exMin === true ? undefined : numberOrUndefined(schema.minimum),
        maximum: exMax === true ? undefined : clampSafe(numberOrUndefined(schema.maximum)),
        exclusiveMinimum: typeof exMin === 'number' ? exMin : exMin === true ? numberOrUndefined(schema.minimum) : undefined,
        exclusiveMaximum: typeof exMax === 'number' ? exMax : exMax === true ? numberOrUndefined(schema.maximum) : undefined,
      };
    }
    case 'boolean':
      return { ...base(schema, options, nullable), kind: 'boolean' };
    case 'object': {
      const props = schema.properties ?? {};
      const keys = Object.keys(props).filter((k) => !options.omit?.includes(k));
      const required = new Set(schema.required ?? []);
      const additional = schema.additionalProperties !== false;
      if (keys.length === 0 && Object.keys(props).length === 0) {
        const extra = schema.additionalProperties;
        if (isRecord(extra)) {
          const valueModel = build(extra as JsonSchema, { key: 'value' }, root, depth + 1, false);
          if (isScalarModel(valueModel)) {
            return {
              ...base(schema, options, nullable),
              kind: 'record',
              value: valueModel,
              keyPattern: typeof schema.propertyNames?.pattern === 'string' ? schema.propertyNames.pattern : undefined,
            };
          }
        }
        if (!options.asObject) return { ...base(schema, options, nullable), kind: 'json' };
      }
      return {
        ...base(schema, options, nullable),
        kind: 'object',
        additional,
        fields: keys.map((k) => build(props[k]!, { key: k, required: required.has(k) }, root, depth + 1, false)),
      };
    }
    case 'array': {
      const items = Array.isArray(schema.items) ? undefined : schema.items;
      if (items) {
        const item = build(items, { key: options.key }, root, depth + 1, false);
        if (isScalarModel(item)) {
          return {
            ...base(schema, options, nullable),
            kind: 'array',
            item,
            minItems: numberOrUndefined(schema.minItems),
            maxItems: numberOrUndefined(schema.maxItems),
          };
        }
      }
      return { ...base(schema, options, nullable), kind: 'json' };
    }
    default:
      return { ...base(schema, options, nullable), kind: 'json' };
  }
}

/** zod writes Number.MAX_SAFE_INTEGER as the maximum of every int: it is no real limit. */
function clampSafe(n: number | undefined): number | undefined {
  return n !== undefined && n >= Number.MAX_SAFE_INTEGER ? undefined : n;
}

export function isScalarModel(m: FieldModel): m is ScalarModel {
  return m.kind === 'string' || m.kind === 'number' || m.kind === 'boolean' || m.kind === 'enum';
}

/** The branch of a union that a value belongs to: its discriminator, else the default's, else the first. */
export function unionBranch(model: UnionModel, value: unknown): UnionOption | undefined {
  const pick = (v: unknown) => (isRecord(v) ? model.options.find((o) => o.value === v[model.discriminator]) : undefined);
  return pick(value) ?? pick(model.default) ?? model.options[0];
}

/**
 * The value after switching a union to another branch: the discriminator set, and the fields the new
 * branch shares with the old value carried over.
 */
export function switchUnionBranch(model: UnionModel, value: unknown, to: string): Record<string, unknown> {
  const option = model.options.find((o) => o.value === to);
  const next: Record<string, unknown> = { [model.discriminator]: to };
  if (option && isRecord(value)) {
    for (const field of option.model.fields) {
      if (value[field.key] !== undefined) next[field.key] = value[field.key];
    }
  }
  return next;
}

/**
 * Every path the form draws for a model and value: fields, union branches' fields, array items and
 * record entries. Engine errors are matched against these.
 */
export function collectFieldPaths(model: FieldModel, value: unknown, at: Path, out: Set<string> = new Set()): Set<string> {
  if (at.length > 0) out.add(pathKey(at));
  switch (model.kind) {
    case 'object': {
      for (const f of model.fields) collectFieldPaths(f, isRecord(value) ? value[f.key] : undefined, [...at, f.key], out);
      if (model.additional && isRecord(value)) {
        const known = new Set(model.fields.map((f) => f.key));
        for (const k of Object.keys(value)) if (!known.has(k)) out.add(pathKey([...at, k]));
      }
      break;
    }
    case 'union': {
      if (at.length > 0) out.add(pathKey([...at, model.discriminator]));
      const branch = unionBranch(model, value);
      if (branch) for (const f of branch.model.fields) collectFieldPaths(f, isRecord(value) ? value[f.key] : undefined, [...at, f.key], out);
      break;
    }
    case 'array':
      if (Array.isArray(value)) value.forEach((_, i) => out.add(pathKey([...at, i])));
      break;
    case 'record':
      if (isRecord(value)) for (const k of Object.keys(value)) out.add(pathKey([...at, k]));
      break;
    default:
      break;
  }
  return out;
}
