import { TrellisError } from '../engine/errors.js';
import { toName, uniqueName, type Json, type Transaction, type Variable } from '../model/index.js';
import { isObj, RefError, type Loc, type Obj, type SpecDoc } from './refs.js';
import { SchemaConverter, type ConversionCache, type SpecFormat } from './schemas.js';
import { operationSecurity, readRequirements, type Requirement, type SecurityPlan } from './security.js';
import { addressUrl, parseServerUrl, serverUrls, type Address } from './servers.js';
import type { ImportWarning, JsonSchema, OperationInfo, SkippedOperation } from './types.js';
import {
  derefOrSkip,
  mediaKind,
  parameterVariable,
  pickMedia,
  requestBody,
  SkipOperation,
  swaggerBody,
  type BodyPlan,
  type OpContext,
  type ParamIn,
} from './variables.js';

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const METHOD_SET = new Set<string>(METHODS);
const PATH_ITEM_KEYS = new Set(['$ref', 'summary', 'description', 'servers', 'parameters']);

/** One operation of the spec, found but not yet mapped. */
export interface FoundOperation {
  method: string;
  path: string;
  /** the operation object, `$ref`s followed */
  loc: Loc<Obj>;
  item: Loc<Obj>;
  name: string;
  security: Requirement[] | undefined;
}

type Warn = (w: ImportWarning) => void;

function specError(doc: SpecDoc, loc: Pick<Loc, 'f' | 'p'>, reason: string, rule?: string): TrellisError {
  const file = doc.file(loc);
  return new TrellisError('INVALID_SPEC', `${doc.where(loc)}: ${reason}`, { path: `${file}#${loc.p}`, details: { file, pointer: loc.p, reason, rule } });
}

/** Strict: a `$ref` that must be followed to know which operations exist. */
function derefStrict(doc: SpecDoc, loc: Loc, what: string): Loc {
  try {
    return doc.deref(loc);
  } catch (e) {
    if (e instanceof RefError) throw specError(doc, loc, `${what} cannot be read: $ref "${e.ref}": ${e.reason}`);
    throw e;
  }
}

function describeValue(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Readable camelCase name of an operation without operationId: `GET /products/{id}` → getProductsById. */
export function nameFromPath(method: string, path: string): string {
  const words: string[] = [];
  for (const segment of path.split('/')) {
    if (!segment) continue;
    const text = segment.replace(/\{([^{}]*)\}/g, ' By $1 ');
    for (const w of text.split(/[^A-Za-z0-9]+/)) if (w) words.push(w[0]!.toUpperCase() + w.slice(1));
  }
  return toName(`${method.toLowerCase()}${words.length ? words.join('') : 'Root'}`, method.toLowerCase());
}

/**
 * Lists the operations (path × method), following path-item and operation `$ref`s, and names them.
 * Strict where the set of operations cannot be known; lenient, with a warning, where it can.
 */
export function findOperations(doc: SpecDoc, format: SpecFormat, warn: Warn, skipped: SkippedOperation[]): FoundOperation[] {
  const root = doc.root;
  const file = doc.file(root);
  const pathsLoc = doc.child(root, 'paths');
  if (pathsLoc.v === undefined || pathsLoc.v === null) {
    if (format !== 'openapi-3.1') {
      warn({ code: 'no-paths', message: `${file}#/paths: the spec has no paths (${format === 'swagger-2.0' ? 'Swagger 2.0' : 'OpenAPI 3.0'}: paths is required)`, file, pointer: '/paths', rule: 'paths is required' });
    }
    return [];
  }
  const paths = derefStrict(doc, pathsLoc, 'paths');
  if (!isObj(paths.v)) throw specError(doc, paths, `paths must be an object mapping paths to Path Items, not ${describeValue(paths.v)}`, 'OpenAPI: Paths Object');
  const found: FoundOperation[] = [];
  const rootSecurity = readRequirements(doc, doc.child(root, 'security'), warn);
  for (const [path, rawItem] of doc.entries(paths)) {
    if (path.startsWith('x-')) continue;
    let opPath = path;
    if (!path.startsWith('/')) {
      warn({ code: 'path-slash', message: `${doc.where(rawItem)}: path "${path}" does not start with "/"; read as "/${path}" (OpenAPI: paths start with a slash)`, file: doc.file(rawItem), pointer: rawItem.p, rule: 'OpenAPI: paths start with /' });
      opPath = `/${path}`;
    }
    const item = derefStrict(doc, rawItem, `path item ${path}`);
    if (!isObj(item.v)) {
      if (item.v === null || item.v === undefined) continue;
      throw specError(doc, item, `path item ${path} must be an object, not ${describeValue(item.v)}`, 'OpenAPI: Path Item Object');
    }
    const itemLoc = item as Loc<Obj>;
    // A path item may also hold keys of its own besides a $ref (the $ref target wins for operations).
    const keys = Object.keys(item.v);
    const unknown = keys.filter((k) => !METHOD_SET.has(k.toLowerCase()) && !PATH_ITEM_KEYS.has(k) && !k.startsWith('x-'));
    let count = 0;
    for (const key of keys) {
      const method = key.toLowerCase();
      if (!METHOD_SET.has(method)) continue;
      const at = doc.child(item, key);
      if (key !== method) {
        warn({ code: 'method-case', message: `${doc.where(at)}: method "${key}" read as "${method}" (OpenAPI: methods are lower case)`, file: doc.file(at), pointer: at.p, rule: 'OpenAPI: operation keys are lower case', operation: `${method.toUpperCase()} ${opPath}` });
      }
      let op = at;
      if (doc.isRef(at)) {
        warn({
          code: 'operation-ref',
          message: `${doc.where(at)}: the operation is a $ref to ${at.v.$ref}; followed (OpenAPI: an Operation Object cannot be a Reference)`,
          file: doc.file(at),
          pointer: at.p,
          rule: 'OpenAPI: an Operation Object cannot be a Reference Object',
          operation: `${method.toUpperCase()} ${opPath}`,
        });
        op = derefStrict(doc, at, `operation ${method.toUpperCase()} ${path}`);
      }
      const operation = `${method.toUpperCase()} ${opPath}`;
      if (!isObj(op.v)) {
        const reason = `the operation is ${describeValue(op.v)}, not an Operation Object`;
        warn({ code: 'operation-invalid', message: `${doc.where(op)}: ${reason}; skipped`, file: doc.file(op), pointer: op.p, rule: 'OpenAPI: Operation Object', operation });
        skipped.push({ operation, reason: `${doc.where(op)}: ${reason}` });
        continue;
      }
      count++;
      const security = op.v.security !== undefined ? readRequirements(doc, doc.child(op, 'security'), warn) : rootSecurity;
      found.push({ method, path: opPath, loc: op as Loc<Obj>, item: itemLoc, name: '', security });
    }
    if (unknown.length) {
      const where = doc.isRef(rawItem) ? `${doc.where(rawItem)} ($ref to ${doc.where(item)})` : doc.where(item);
      const looksLikeSchema = unknown.some((k) => ['type', 'properties', 'items', 'allOf', 'oneOf', 'anyOf'].includes(k));
      const reason = `${looksLikeSchema ? 'this is not a Path Item (it looks like a schema)' : 'unknown path item keys'}: ${unknown.join(', ')}`;
      warn({
        code: count ? 'path-item-unknown-keys' : 'path-item-invalid',
        message: `${where}: ${reason}; ${count ? 'ignored' : `no operation imported for ${opPath}`} (OpenAPI: a Path Item holds methods, parameters, servers, summary, description)`,
        file: doc.file(rawItem),
        pointer: rawItem.p,
        rule: 'OpenAPI: Path Item Object fields',
      });
      if (!count) skipped.push({ operation: opPath, reason: `${where}: ${reason}` });
    }
  }
  nameOperations(doc, found, warn);
  return found;
}

function nameOperations(doc: SpecDoc, ops: FoundOperation[], warn: Warn): void {
  const taken = new Set<string>();
  const byId = new Map<string, FoundOperation>();
  for (const op of ops) {
    const id = op.loc.v.operationId;
    let name: string;
    if (typeof id === 'string' && id.trim()) {
      name = toName(id.trim(), nameFromPath(op.method, op.path));
      const first = byId.get(id);
      if (first) {
        const at = doc.child(op.loc, 'operationId');
        const unique = uniqueName(name, taken);
        warn({
          code: 'duplicate-operation-id',
          message: `${doc.where(at)}: operationId "${id}" is also used by ${first.method.toUpperCase()} ${first.path} (${doc.where(doc.child(first.loc, 'operationId'))}); this transaction is named "${unique}" (OpenAPI: operationIds are unique)`,
          file: doc.file(at),
          pointer: at.p,
          rule: 'OpenAPI: operationId is unique among all operations',
          operation: `${op.method.toUpperCase()} ${op.path}`,
        });
      } else byId.set(id, op);
    } else name = nameFromPath(op.method, op.path);
    name = uniqueName(name, taken);
    taken.add(name);
    op.name = name;
  }
}

export interface MapContext {
  doc: SpecDoc;
  format: SpecFormat;
  warn: Warn;
  security: SecurityPlan;
  connectorName: string;
  /** the connector's address, to place operation-level servers */
  address: Address;
  source: string;
  /** operation-level servers that differ from the connector's: server URL → operations */
  otherServers: Map<string, string[]>;
  /** referenced schemas already converted (shared by all operations) */
  schemaCache: ConversionCache;
}

export interface MappedOperation {
  tx: Transaction;
  info: OperationInfo;
  schema?: JsonSchema;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Builds the transaction of one operation; throws SkipOperation when a `$ref` it needs is broken. */
export function mapOperation(ctx: MapContext, found: FoundOperation): MappedOperation {
  const { doc, format } = ctx;
  const opName = `${found.method.toUpperCase()} ${found.path}`;
  const oc: OpContext = { doc, format, warn: ctx.warn, op: opName };
  const op = found.loc;
  const v = op.v;
  const swagger = format === 'swagger-2.0';

  // Parameters: path-item level, overridden by operation level with the same name and location.
  const params = new Map<string, Loc<Obj>>();
  for (const source of [doc.child(found.item, 'parameters'), doc.child(op, 'parameters')]) {
    if (source.v === undefined) continue;
    if (!Array.isArray(source.v)) {
      ctx.warn({ code: 'parameters-invalid', message: `${doc.where(source)}: parameters is not a list; ignored`, file: doc.file(source), pointer: source.p, rule: 'OpenAPI: parameters is an array', operation: opName });
      continue;
    }
    for (const raw of doc.items(source)) {
      const p = derefOrSkip(oc, raw, 'parameter');
      if (!isObj(p.v) || typeof p.v.name !== 'string' || typeof p.v.in !== 'string') {
        ctx.warn({ code: 'parameter-invalid', message: `${doc.where(p)}: a parameter needs a name and an in; ignored`, file: doc.file(p), pointer: p.p, rule: 'OpenAPI: Parameter Object name and in are required', operation: opName });
        continue;
      }
      const where = p.v.in.toLowerCase();
      const key = `${where}:${where === 'header' ? p.v.name.toLowerCase() : p.v.name}`;
      params.set(key, p as Loc<Obj>);
    }
  }

  const byIn = (where: string): Array<Loc<Obj>> => [...params.entries()].filter(([k]) => k.startsWith(`${where}:`)).map(([, p]) => p);

  // The body first, so the whole-body variable keeps the name `body` (the connector's convention).
  let bodyPlan: BodyPlan = { variables: [] };
  if (swagger) {
    const consumes = list(v.consumes ?? doc.root.v.consumes);
    const body = byIn('body')[0];
    const form = byIn('formdata');
    if (body && form.length) {
      ctx.warn({ code: 'body-and-form', message: `${doc.where(op)}: the operation has both a body parameter and formData parameters; the formData ones are ignored (Swagger 2.0: body and formData parameters exclude each other)`, file: doc.file(op), pointer: op.p, rule: 'Swagger 2.0: body and formData parameters exclude each other', operation: opName });
    }
    bodyPlan = swaggerBody(oc, body, body ? [] : form, consumes);
  } else if (v.requestBody !== undefined) {
    bodyPlan = requestBody(oc, doc.child(op, 'requestBody'));
  }

  const variables: Variable[] = [];
  const taken = new Set<string>();
  const wholeBody = bodyPlan.variables.find((b) => b.name === 'body' && b.in === 'body');
  if (wholeBody) taken.add('body');
  const add = (variable: Variable): Variable => {
    const wire = variable.name;
    const name = variable === wholeBody ? 'body' : uniqueName(toName(wire, variable.in ?? 'value'), taken);
    taken.add(name);
    const out: Variable = { ...variable, name };
    if (name !== wire) out.wireName = wire;
    variables.push(out);
    return out;
  };

  // Path parameters in the order of their placeholders; placeholders without a parameter get one.
  let path = found.path;
  const placeholders = [...found.path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
  const pathParams = byIn('path');
  for (const ph of new Set(placeholders)) {
    const p = pathParams.find((x) => x.v.name === ph);
    let variable: Variable;
    if (p) variable = add(parameterVariable(oc, p, 'path'));
    else {
      variable = add({ name: ph, type: 'string', in: 'path', required: true });
      const at = doc.child(op, 'parameters');
      ctx.warn({
        code: 'path-param-missing',
        message: `${doc.where(found.loc)}: the path has {${ph}} but no path parameter "${ph}" is declared; a required string variable "${variable.name}" is added (OpenAPI: each path template variable has a path parameter)`,
        file: doc.file(at),
        pointer: found.loc.p,
        rule: 'OpenAPI: path templating variables correspond to path parameters',
        operation: opName,
      });
    }
    if (variable.name !== ph) path = path.split(`{${ph}}`).join(`{${variable.name}}`);
  }
  for (const p of pathParams) {
    if (!placeholders.includes(p.v.name as string)) {
      ctx.warn({
        code: 'path-param-unused',
        message: `${doc.where(p)}: path parameter "${String(p.v.name)}" has no {${String(p.v.name)}} in ${found.path}; ignored (OpenAPI: path parameters appear in the path template)`,
        file: doc.file(p),
        pointer: p.p,
        rule: 'OpenAPI: path parameters appear in the path template',
        operation: opName,
      });
    }
  }
  // OpenAPI 3 ignores Accept, Content-Type and Authorization header parameters; the connector sets the first two.
  // Authorization is kept (secret) when the connector's auth does not send that header.
  const auth = ctx.security.auth;
  const authSendsHeader = auth.type === 'basic' || auth.type === 'bearer' || (auth.type === 'apiKey' && auth.in === 'header' && auth.name.toLowerCase() === 'authorization');
  for (const where of ['query', 'header', 'cookie'] as ParamIn[]) {
    for (const p of byIn(where)) {
      const lower = (p.v.name as string).toLowerCase();
      if (where === 'header' && !swagger && (lower === 'accept' || lower === 'content-type')) continue;
      if (where === 'header' && lower === 'authorization') {
        if (authSendsHeader) continue;
        const v = parameterVariable(oc, p, where);
        v.secret = true;
        add(v);
        continue;
      }
      add(parameterVariable(oc, p, where));
    }
  }
  for (const [key, p] of params) {
    const where = key.slice(0, key.indexOf(':'));
    if (!['path', 'query', 'header', 'cookie', 'body', 'formdata'].includes(where) || (where === 'body' && !swagger) || (where === 'formdata' && !swagger)) {
      ctx.warn({ code: 'parameter-location', message: `${doc.where(p)}: parameter "${String(p.v.name)}" is in "${String(p.v.in)}", which ${format} does not have; ignored`, file: doc.file(p), pointer: p.p, rule: 'OpenAPI: parameter in is path, query, header or cookie', operation: opName });
    }
  }

  // Credentials the connector does not send.
  for (const s of operationSecurity(ctx.security, found.security, opName)) add(s);

  // Body (computed before, added last).
  for (const b of bodyPlan.variables) add(b);
  const contentType = bodyPlan.contentType;

  // Response: type, schema, examples.
  const response = successResponse(ctx, oc, found);

  const tx = { name: found.name, type: response.type } as Transaction & Record<string, unknown>;
  // A path item's summary and description apply to its operations that have none.
  const summary = text(v.summary) ?? text(found.item.v.summary);
  const description = text(v.description) ?? text(found.item.v.description);
  if (summary) tx.summary = summary;
  if (description) tx.description = description;
  const tags = list(v.tags);
  if (tags.length) tx.tags = tags;
  if (v.deprecated === true) tx.deprecated = true;
  tx.method = found.method.toUpperCase();
  tx.path = placePath(ctx, oc, found, path);
  if (response.accept) tx.headers = { Accept: response.accept };
  if (contentType) tx.contentType = contentType;
  tx.variables = variables;

  const info: OperationInfo = { name: found.name, method: tx.method as string, path: found.path, tags };
  if (tx.summary) info.summary = tx.summary as string;
  if (tx.deprecated) info.deprecated = true;
  return { tx, info, schema: response.schema };
}

/** The transaction path, relative to the connector's base path when the operation has servers of its own. */
function placePath(ctx: MapContext, oc: OpContext, found: FoundOperation, path: string): string {
  const { doc } = ctx;
  if (ctx.format === 'swagger-2.0') return path;
  const own = [doc.child(found.loc, 'servers'), doc.child(found.item, 'servers')].find((l) => Array.isArray(l.v) && l.v.length);
  if (!own) return path;
  const url = serverUrls(doc, own, oc.warn, false)[0];
  if (!url) return path;
  const silent = (): void => undefined;
  const a = parseServerUrl(url, ctx.source, doc.file(own), own.p, silent);
  const c = ctx.address;
  if (a.host === c.host && a.https === c.https && (a.port ?? 0) === (c.port ?? 0)) {
    const base = c.basePath === '/' ? '' : c.basePath;
    const opBase = a.basePath === '/' ? '' : a.basePath;
    if (opBase === base) return path;
    if (opBase.startsWith(`${base}/`)) return `${opBase.slice(base.length)}${path}`;
  }
  const key = addressUrl(a);
  const ops = ctx.otherServers.get(key) ?? [];
  ops.push(oc.op);
  ctx.otherServers.set(key, ops);
  return path;
}

interface ResponsePlan {
  type: 'json' | 'xml' | 'text' | 'binary';
  accept?: string;
  schema?: JsonSchema;
}

const TYPE_OF: Record<string, ResponsePlan['type']> = { json: 'json', xml: 'xml', text: 'text', binary: 'binary', form: 'text', multipart: 'binary' };

function successResponse(ctx: MapContext, oc: OpContext, found: FoundOperation): ResponsePlan {
  const { doc } = ctx;
  const op = found.loc;
  const responses = doc.child(op, 'responses');
  if (!isObj(responses.v)) {
    if (ctx.format === 'openapi-3.1' && responses.v === undefined) return { type: 'json' };
    ctx.warn({ code: 'no-responses', message: `${doc.where(op)}: the operation has no responses; the transaction reads JSON (OpenAPI: responses is required)`, file: doc.file(op), pointer: op.p, rule: 'OpenAPI: responses is required', operation: oc.op });
    return { type: 'json' };
  }
  const codes = Object.keys(responses.v);
  const exact = codes.filter((c) => /^2\d\d$/.test(c)).sort();
  const code = exact[0] ?? codes.find((c) => /^2xx$/i.test(c)) ?? codes.find((c) => c === 'default');
  if (code === undefined) return { type: 'json' };
  const raw = doc.child(responses, code);
  let res: Loc;
  try {
    res = doc.deref(raw);
  } catch (e) {
    if (!(e instanceof RefError)) throw e;
    ctx.warn({ code: 'response-ref-unresolved', message: `${e.message}; the transaction reads JSON and has no schema`, file: doc.file(raw), pointer: raw.p, operation: oc.op });
    return { type: 'json' };
  }
  if (!isObj(res.v)) return { type: 'json' };
  const owner = `${ctx.connectorName}.${found.name}`;
  const converter = new SchemaConverter(doc, ctx.format, (w) => ctx.warn({ ...w, operation: oc.op, message: `${w.message} (schema of ${owner})` }), ctx.schemaCache);
  if (ctx.format === 'swagger-2.0') {
    const produces = list(op.v.produces ?? doc.root.v.produces);
    const schema = res.v.schema !== undefined ? doc.child(res, 'schema') : undefined;
    const examples = isObj(res.v.examples) ? res.v.examples : {};
    if (!schema && !Object.keys(examples).length) return { type: 'json' };
    const media = pickMedia(produces, false) ?? 'application/json';
    const example = examples[media] ?? Object.values(examples)[0];
    const plan: ResponsePlan = { type: TYPE_OF[mediaKind(media)]! };
    if (produces.length > 1) plan.accept = media;
    plan.schema = schema ? converter.document(schema, example !== undefined ? [example as Json] : []) : sampleOnly(example as Json);
    return plan;
  }
  const content = doc.child(res, 'content');
  const types = isObj(content.v) ? Object.keys(content.v) : [];
  const media = pickMedia(types, false);
  if (!media) return { type: 'json' };
  const plan: ResponsePlan = { type: TYPE_OF[mediaKind(media)]! };
  if (types.length > 1) plan.accept = media;
  const m = doc.child(content, media);
  if (!isObj(m.v)) return plan;
  const examples = mediaExamples(ctx, oc, m as Loc<Obj>);
  if (m.v.schema !== undefined) plan.schema = converter.document(doc.child(m, 'schema'), examples);
  else if (examples.length) plan.schema = sampleOnly(examples[0]!, examples);
  return plan;
}

function sampleOnly(example: Json | undefined, all?: Json[]): JsonSchema | undefined {
  if (example === undefined) return undefined;
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', examples: all ?? [example] };
}

function mediaExamples(ctx: MapContext, oc: OpContext, m: Loc<Obj>): Json[] {
  const out: Json[] = [];
  if (m.v.example !== undefined) out.push(m.v.example as Json);
  for (const [, raw] of ctx.doc.entries(ctx.doc.child(m, 'examples'))) {
    const ex = ctx.doc.tryDeref(raw);
    if (ex instanceof RefError) {
      ctx.warn({ code: 'example-ref-unresolved', message: `${ex.message}; example left out`, file: ctx.doc.file(raw), pointer: raw.p, operation: oc.op });
      continue;
    }
    if (isObj(ex.v) && ex.v.value !== undefined) out.push(ex.v.value as Json);
  }
  return out;
}

export { derefOrSkip, SkipOperation };
