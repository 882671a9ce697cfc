import type { Json, Variable, VariableType } from '../model/index.js';
import { isObj, RefError, type Loc, type Obj, type SpecDoc } from './refs.js';
import type { SpecFormat } from './schemas.js';
import type { ImportWarning } from './types.js';

/**
 * Parameters and request bodies → transaction variables. Names are given later (operations.ts), so a
 * variable here carries its wire name as `name`; `in` says where it goes.
 */

/** Thrown when an operation cannot be built (a `$ref` it needs is broken); the operation is skipped. */
export class SkipOperation extends Error {}

export interface OpContext {
  doc: SpecDoc;
  format: SpecFormat;
  warn: (w: ImportWarning) => void;
  /** `METHOD /path` */
  op: string;
}

export type MediaKind = 'json' | 'xml' | 'text' | 'binary' | 'form' | 'multipart';

const TEXT_LIKE = new Set([
  'application/yaml',
  'application/x-yaml',
  'application/javascript',
  'application/graphql',
  'application/sql',
  'application/csv',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/json-seq',
  'application/x-jsonlines',
]);

export function mediaKind(media: string): MediaKind {
  const m = media.split(';')[0]!.trim().toLowerCase();
  if (TEXT_LIKE.has(m)) return 'text';
  if (m === 'application/json' || m.endsWith('+json') || m === '*/*' || m === 'application/*' || m === 'text/json' || m === 'application/x-json') return 'json';
  if (m.endsWith('/xml') || m.endsWith('+xml')) return 'xml';
  if (m === 'application/x-www-form-urlencoded') return 'form';
  if (m.startsWith('multipart/')) return 'multipart';
  if (m.startsWith('text/')) return 'text';
  return 'binary';
}

const RESPONSE_ORDER: MediaKind[] = ['json', 'xml', 'text', 'binary', 'form', 'multipart'];
const REQUEST_ORDER: MediaKind[] = ['json', 'form', 'multipart', 'xml', 'text', 'binary'];

/** The preferred media type: by kind order, then `application/json` before other JSON types, then spec order. */
export function pickMedia(types: string[], forRequest: boolean): string | undefined {
  const order = forRequest ? REQUEST_ORDER : RESPONSE_ORDER;
  let best: string | undefined;
  let bestRank = Infinity;
  for (const t of types) {
    const kind = mediaKind(t);
    let rank = order.indexOf(kind) * 10;
    if (kind === 'json' && t.split(';')[0]!.trim().toLowerCase() !== 'application/json') rank += 1;
    if (t.includes('*')) rank += 2;
    if (rank < bestRank) {
      best = t;
      bestRank = rank;
    }
  }
  return best;
}

export function derefOrSkip(ctx: OpContext, loc: Loc, what: string): Loc {
  try {
    return ctx.doc.deref(loc);
  } catch (e) {
    if (e instanceof RefError) throw new SkipOperation(`${what}: ${e.message}`);
    throw e;
  }
}

interface TypeInfo {
  type: VariableType;
  multivalued?: boolean;
  format?: string;
  enum?: Json[];
  default?: Json;
  description?: string;
  readOnly?: boolean;
  /** the schema (or its items) is an object: serialization styles matter */
  object?: boolean;
}

const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

/** The JSON type of a schema, looking through `$ref`, `allOf` and same-typed `oneOf`/`anyOf`. */
function schemaType(ctx: OpContext, loc: Loc, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  const s = derefOrSkip(ctx, loc, 'schema');
  if (!isObj(s.v)) return undefined;
  const t = s.v.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.find((x) => x !== 'null') as string | undefined;
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    const members = ctx.doc.items(ctx.doc.child(s, key));
    if (!members.length) continue;
    const types = new Set(members.map((m) => schemaType(ctx, m, depth + 1)).filter((x) => x !== undefined && x !== 'null'));
    if (key === 'allOf' && types.size >= 1) return [...types][0];
    if (types.size === 1) return [...types][0];
    if (types.size > 1) return 'mixed';
  }
  if (isObj(s.v.properties) || s.v.additionalProperties !== undefined) return 'object';
  if (s.v.items !== undefined) return 'array';
  if (Array.isArray(s.v.enum) && s.v.enum.length) {
    const first = s.v.enum.find((x) => x !== null);
    return typeof first === 'number' ? (Number.isInteger(first) ? 'integer' : 'number') : typeof first === 'boolean' ? 'boolean' : typeof first === 'string' ? 'string' : undefined;
  }
  return undefined;
}

function isBinary(s: Obj): boolean {
  return s.type === 'file' || s.format === 'binary' || (typeof s.contentMediaType === 'string' && s.contentEncoding === undefined && s.type !== 'object');
}

function jsonList(v: unknown): Json[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const list = v.filter((x) => x !== null) as Json[];
  return list.length ? list : undefined;
}

/** Variable type, format, enum and default of a schema (or of a Swagger 2 parameter, which is its own schema). */
export function typeInfo(ctx: OpContext, loc: Loc | undefined, allowFile: boolean): TypeInfo {
  if (!loc || loc.v === undefined) return { type: 'string' };
  const s = derefOrSkip(ctx, loc, 'schema');
  if (!isObj(s.v)) return { type: 'json' };
  const v = s.v;
  const t = schemaType(ctx, s);
  const info: TypeInfo = { type: 'string' };
  if (typeof v.description === 'string') info.description = v.description;
  if (v.readOnly === true) info.readOnly = true;
  if (t === 'array') {
    const items = ctx.doc.child(s, 'items');
    const inner = items.v === undefined || Array.isArray(items.v) ? ({ type: 'json' } as TypeInfo) : typeInfo(ctx, items, allowFile);
    info.multivalued = true;
    info.type = inner.multivalued ? 'json' : inner.type;
    if (inner.format) info.format = inner.format;
    if (inner.enum) info.enum = inner.enum;
    if (inner.object) info.object = true;
  } else if (t === 'object' || t === 'mixed') {
    info.type = 'json';
    info.object = t === 'object';
  } else if (t === 'integer' || t === 'number' || t === 'boolean') {
    info.type = t;
  } else if (t === 'file' || (allowFile && isBinary(v))) {
    info.type = allowFile ? 'file' : 'string';
  } else if (t === 'string' || t === undefined) {
    info.type = 'string';
  } else {
    info.type = 'json';
  }
  if (typeof v.format === 'string' && !info.format && info.type !== 'file') info.format = v.format;
  if (!info.multivalued) {
    const e = jsonList(v.enum);
    if (e) info.enum = e;
  }
  if (v.default !== undefined) info.default = v.default as Json;
  return info;
}

/** A default that fits the variable type, or undefined (with a warning) when it does not. */
function fitDefault(ctx: OpContext, info: TypeInfo, at: Loc, name: string): Json | undefined {
  const d = info.default;
  if (d === undefined || d === null) return undefined;
  const ok = (x: Json): Json | undefined => {
    switch (info.type) {
      case 'integer':
        if (typeof x === 'number' && Number.isInteger(x)) return x;
        if (typeof x === 'string' && /^-?\d+$/.test(x.trim())) return Number(x);
        return undefined;
      case 'number':
        if (typeof x === 'number') return x;
        if (typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x))) return Number(x);
        return undefined;
      case 'boolean':
        if (typeof x === 'boolean') return x;
        if (x === 'true' || x === 'false') return x === 'true';
        return undefined;
      case 'string':
        return typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : undefined;
      case 'file':
        return undefined;
      default:
        return x;
    }
  };
  let out: Json | undefined;
  if (info.multivalued) {
    const list = Array.isArray(d) ? d : [d];
    const mapped = list.map((x) => ok(x as Json));
    out = mapped.every((x) => x !== undefined) ? (mapped as Json[]) : undefined;
  } else out = ok(d as Json);
  if (out === undefined && info.type !== 'file') {
    ctx.warn({
      code: 'default-mismatch',
      message: `${ctx.doc.where(at)}: default ${JSON.stringify(d)} of "${name}" does not fit its type ${info.type}${info.multivalued ? '[]' : ''}; left out`,
      file: ctx.doc.file(at),
      pointer: at.p,
      operation: ctx.op,
    });
  }
  return out;
}

export type ParamIn = 'path' | 'query' | 'header' | 'cookie';

/** A variable for a path/query/header/cookie parameter (its `name` is still the wire name). */
export function parameterVariable(ctx: OpContext, p: Loc<Obj>, where: ParamIn): Variable {
  const v = p.v;
  const name = v.name as string;
  const swagger = ctx.format === 'swagger-2.0';
  let info: TypeInfo;
  let contentType: string | undefined;
  if (swagger) info = typeInfo(ctx, p, false);
  else if (v.schema !== undefined) info = typeInfo(ctx, ctx.doc.child(p, 'schema'), false);
  else if (isObj(v.content)) {
    contentType = Object.keys(v.content)[0];
    const media = contentType ? ctx.doc.child(ctx.doc.child(p, 'content'), contentType) : undefined;
    const schema = media ? ctx.doc.child(media, 'schema') : undefined;
    info = contentType && mediaKind(contentType) === 'json' ? { ...typeInfo(ctx, schema, false), type: 'json', multivalued: undefined } : { type: 'string' };
  } else info = { type: 'string' };

  const out: Variable = { name, type: info.type, in: where };
  let required = v.required === true;
  if (where === 'path' && !required) {
    required = true;
    ctx.warn({
      code: 'path-param-not-required',
      message: `${ctx.doc.where(p)}: path parameter "${name}" is not marked required; it is required anyway (OpenAPI: path parameters have required: true)`,
      file: ctx.doc.file(p),
      pointer: p.p,
      rule: 'OpenAPI: path parameters have required: true',
      operation: ctx.op,
    });
  }
  if (required) out.required = true;
  if (info.multivalued) out.multivalued = true;

  // Serialization: explicit for lists and objects (and when the spec sets a non-default style).
  const defStyle = where === 'query' || where === 'cookie' ? 'form' : 'simple';
  let style: string | undefined;
  let explode: boolean | undefined;
  if (swagger) {
    if (info.multivalued) {
      const cf = typeof v.collectionFormat === 'string' ? v.collectionFormat : 'csv';
      const map: Record<string, [string, boolean]> = {
        csv: [defStyle, false],
        ssv: ['spaceDelimited', false],
        tsv: ['tabDelimited', false],
        pipes: ['pipeDelimited', false],
        multi: ['form', true],
      };
      [style, explode] = map[cf] ?? [defStyle, false];
    }
  } else {
    const given = typeof v.style === 'string' ? v.style : undefined;
    style = given ?? defStyle;
    explode = typeof v.explode === 'boolean' ? v.explode : style === 'form';
    if (!(info.multivalued || info.object || (given && given !== defStyle) || (typeof v.explode === 'boolean' && v.explode !== (style === 'form')))) {
      style = undefined;
      explode = undefined;
    }
  }
  if (style) out.style = style;
  if (explode !== undefined) out.explode = explode;
  if (v.allowReserved === true) out.allowReserved = true;
  const def = fitDefault(ctx, info, p, name);
  if (def !== undefined) out.default = def;
  if (info.enum) out.enum = info.enum;
  if (info.format) out.format = info.format;
  const description = typeof v.description === 'string' ? v.description : info.description;
  if (description) out.description = description;
  if (contentType) out.contentType = contentType;
  return out;
}

export interface BodyPlan {
  variables: Variable[];
  contentType?: string;
}

interface ObjectShape {
  props: Array<[string, Loc]>;
  required: Set<string>;
  /** false when the shape is not a plain object (oneOf/anyOf, not an object) */
  plain: boolean;
}

function objectShape(ctx: OpContext, loc: Loc | undefined, depth = 0): ObjectShape {
  const shape: ObjectShape = { props: [], required: new Set(), plain: true };
  if (!loc || loc.v === undefined || depth > 8) return { ...shape, plain: false };
  const s = derefOrSkip(ctx, loc, 'schema');
  if (!isObj(s.v)) return { ...shape, plain: false };
  const t = s.v.type;
  if (t !== undefined && t !== 'object' && !(Array.isArray(t) && t.includes('object'))) return { ...shape, plain: false };
  if (s.v.oneOf !== undefined || s.v.anyOf !== undefined || s.v.not !== undefined) shape.plain = false;
  for (const member of ctx.doc.items(ctx.doc.child(s, 'allOf'))) {
    const inner = objectShape(ctx, member, depth + 1);
    if (!inner.plain) shape.plain = false;
    for (const [k, l] of inner.props) if (!shape.props.some(([n]) => n === k)) shape.props.push([k, l]);
    for (const r of inner.required) shape.required.add(r);
  }
  for (const [k, l] of ctx.doc.entries(ctx.doc.child(s, 'properties'))) {
    const i = shape.props.findIndex(([n]) => n === k);
    if (i >= 0) shape.props[i] = [k, l];
    else shape.props.push([k, l]);
  }
  if (Array.isArray(s.v.required)) for (const r of s.v.required) if (typeof r === 'string') shape.required.add(r);
  if (t === undefined && !shape.props.length && !ctx.doc.items(ctx.doc.child(s, 'allOf')).length) shape.plain = false;
  return shape;
}

function describeDefault(description: string | undefined, d: Json | undefined): string | undefined {
  if (d === undefined || d === null) return description;
  const note = `Default: ${JSON.stringify(d)}.`;
  return description ? `${description} ${note}` : note;
}

/** One variable per property of an object schema, for a JSON body (in: body) or a form (in: form). */
function propertyVariables(ctx: OpContext, shape: ObjectShape, where: 'body' | 'form', bodyRequired: boolean, encoding: Loc | undefined, urlencoded: boolean): Variable[] {
  const vars: Variable[] = [];
  for (const [prop, loc] of shape.props) {
    const info = typeInfo(ctx, loc, where === 'form');
    if (info.readOnly) continue;
    const v: Variable = { name: prop, type: info.type, in: where };
    if (bodyRequired && shape.required.has(prop)) v.required = true;
    if (info.multivalued) v.multivalued = true;
    if (where === 'form') {
      const enc = encoding ? ctx.doc.child(encoding, prop) : undefined;
      const e = enc && isObj(enc.v) ? enc.v : {};
      if (urlencoded && (info.multivalued || info.object)) {
        const style = typeof e.style === 'string' ? e.style : 'form';
        v.style = style;
        v.explode = typeof e.explode === 'boolean' ? e.explode : style === 'form';
      }
      if (typeof e.contentType === 'string' && !urlencoded) v.contentType = e.contentType;
      const def = fitDefault(ctx, info, loc, prop);
      if (def !== undefined) v.default = def;
    }
    if (info.enum) v.enum = info.enum;
    if (info.format) v.format = info.format;
    // JSON body properties carry no default: the connector would send it over a value given in `body`.
    const description = where === 'body' ? describeDefault(info.description, info.default) : info.description;
    if (description) v.description = description;
    vars.push(v);
  }
  return vars;
}

function isFlat(ctx: OpContext, shape: ObjectShape): boolean {
  if (!shape.plain || !shape.props.length) return false;
  return shape.props.every(([, loc]) => {
    const t = typeInfo(ctx, loc, false);
    return SCALARS.has(t.type) && !t.object;
  });
}

/**
 * The variables of a body in `media` with `schema`:
 * - JSON: `body` (type json) — the whole body — plus, when the schema is a flat object (scalar or
 *   scalar-list properties), one `in: body` variable per property; `body` is then optional.
 * - form / multipart: one `in: form` variable per property (binary parts: type file).
 * - XML and text: `body` (string); anything else: `body` (file).
 */
export function bodyVariables(ctx: OpContext, media: string, schema: Loc | undefined, required: boolean, description: string | undefined, encoding: Loc | undefined, at: Loc): Variable[] {
  const kind = mediaKind(media);
  const body = (type: VariableType): Variable => {
    const v: Variable = { name: 'body', type, in: 'body' };
    if (required) v.required = true;
    if (description) v.description = description;
    return v;
  };
  if (kind === 'json') {
    // The whole body stands on its own; its properties are a convenience that a broken $ref only removes.
    let shape: ObjectShape;
    try {
      shape = objectShape(ctx, schema);
      if (!isFlat(ctx, shape)) return [body('json')];
    } catch (e) {
      if (!(e instanceof SkipOperation)) throw e;
      ctx.warn({ code: 'schema-ref-unresolved', message: `${e.message}; the body is one json variable`, file: ctx.doc.file(at), pointer: at.p, operation: ctx.op });
      return [body('json')];
    }
    const whole = body('json');
    delete whole.required;
    whole.description = `${description ? `${description} ` : ''}The whole JSON body; the other in: body variables, when set, override its keys.`;
    return [whole, ...propertyVariables(ctx, shape, 'body', required, undefined, false)];
  }
  if (kind === 'form' || kind === 'multipart') {
    const shape = objectShape(ctx, schema);
    if (!shape.props.length) {
      ctx.warn({
        code: 'form-without-fields',
        message: `${ctx.doc.where(at)}: the ${media} body declares no fields; the transaction gets one "body" variable holding the encoded body`,
        file: ctx.doc.file(at),
        pointer: at.p,
        operation: ctx.op,
      });
      return [body('string')];
    }
    return propertyVariables(ctx, shape, 'form', required, encoding, kind === 'form');
  }
  if (kind === 'xml' || kind === 'text') return [body('string')];
  return [body('file')];
}

/** OAS 3 requestBody → variables and the content type to send. */
export function requestBody(ctx: OpContext, rbLoc: Loc): BodyPlan {
  const rb = derefOrSkip(ctx, rbLoc, 'request body');
  if (!isObj(rb.v)) return { variables: [] };
  const content = ctx.doc.child(rb, 'content');
  const types = isObj(content.v) ? Object.keys(content.v) : [];
  const media = pickMedia(types, true);
  if (!media) return { variables: [] };
  const m = ctx.doc.child(content, media);
  const schema = isObj(m.v) && m.v.schema !== undefined ? ctx.doc.child(m, 'schema') : undefined;
  const description = typeof rb.v.description === 'string' ? rb.v.description : undefined;
  return { variables: bodyVariables(ctx, media, schema, rb.v.required === true, description, ctx.doc.child(m, 'encoding'), m), contentType: media };
}

/** Swagger 2 `in: body` and `in: formData` parameters → variables and the content type to send. */
export function swaggerBody(ctx: OpContext, bodyParam: Loc<Obj> | undefined, formParams: Array<Loc<Obj>>, consumes: string[]): BodyPlan {
  if (bodyParam) {
    const media = pickMedia(consumes.filter((c) => !['form', 'multipart'].includes(mediaKind(c))), true) ?? 'application/json';
    const description = typeof bodyParam.v.description === 'string' ? bodyParam.v.description : undefined;
    const schema = bodyParam.v.schema !== undefined ? ctx.doc.child(bodyParam, 'schema') : undefined;
    return { variables: bodyVariables(ctx, media, schema, bodyParam.v.required === true, description, undefined, bodyParam), contentType: media };
  }
  if (!formParams.length) return { variables: [] };
  const hasFile = formParams.some((p) => p.v.type === 'file');
  const multipart = hasFile || (consumes.some((c) => mediaKind(c) === 'multipart') && !consumes.some((c) => mediaKind(c) === 'form'));
  const variables = formParams.map((p) => {
    const info = typeInfo(ctx, p, true);
    const name = p.v.name as string;
    const v: Variable = { name, type: info.type, in: 'form' };
    if (p.v.required === true) v.required = true;
    if (info.multivalued) {
      v.multivalued = true;
      const cf = typeof p.v.collectionFormat === 'string' ? p.v.collectionFormat : 'csv';
      v.style = cf === 'multi' || cf === 'csv' ? 'form' : cf === 'ssv' ? 'spaceDelimited' : cf === 'pipes' ? 'pipeDelimited' : cf === 'tsv' ? 'tabDelimited' : 'form';
      v.explode = cf === 'multi';
    }
    const def = fitDefault(ctx, info, p, name);
    if (def !== undefined) v.default = def;
    if (info.enum) v.enum = info.enum;
    if (info.format) v.format = info.format;
    const description = typeof p.v.description === 'string' ? p.v.description : undefined;
    if (description) v.description = description;
    return v;
  });
  return { variables, contentType: multipart ? 'multipart/form-data' : 'application/x-www-form-urlencoded' };
}
