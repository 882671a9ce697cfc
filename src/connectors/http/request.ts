import { TrellisError } from '../../engine/errors.js';
import type { Variable } from '../../model/variable.js';
import type { Vars } from '../connector-kind.js';
import { httpTransactionSchema, type HttpMethod, type HttpTransaction, type HttpTransactionType } from './config.js';
import { readProjectFile } from './files.js';
import { cookiePair, delimiterOf, headerValue, pathValue, queryFields, text, type WireSpec } from './serialize.js';
import { compileTemplate, renderTemplate, type Template } from './template.js';

/**
 * Builds the URL, headers and body of one call from a transaction and its variable values.
 *
 * Where a variable goes (its `in`): explicit `in` wins; otherwise `path` when `{name}` (or `{wireName}`) appears
 * in the path template, nothing when it appears only in a header or body template (the template consumes it),
 * else `query`.
 * - path: URL-encoded (encodeURIComponent); an array is joined with ','.
 * - query: `name=value`, URL-encoded; an array repeats the parameter (`?tag=a&tag=b`).
 * - header: the variable name is the header name; an array is joined with ', '.
 * - cookie: `Cookie: a=b; c=d`, values URL-encoded, added to a Cookie header the transaction may already set.
 * - body (without a body template):
 *   - a lone variable named `body` is the body itself: JSON-encoded when of type json, as is when a string, the
 *     bytes of the file when of type file (a path under the project's files/ folder, see files.ts), sent with
 *     `contentType` (a file: the transaction's contentType, else the variable's, else application/octet-stream);
 *   - `body` together with other body variables: a JSON object that starts from the value of `body` when it is
 *     set (it must then be an object) and sets the key `wireName ?? name` of every other body variable that has
 *     a value;
 *   - other body variables alone: the JSON object of them, keyed by `wireName ?? name`.
 * - form: `application/x-www-form-urlencoded`, arrays repeat the field (OpenAPI style/explode apply). When the
 *   transaction's `contentType` (or its Content-Type header) is `multipart/...`, a `multipart/form-data` body
 *   instead (the boundary is set by the HTTP client): a file variable is a file part (filename: the file's base
 *   name; content type: the variable's `contentType`, else application/octet-stream), a json variable a JSON
 *   part (application/json), others text parts (typed when the variable has a `contentType`); arrays repeat the
 *   part, unless `explode: false` joins text values with the style's delimiter.
 * Unset values (undefined) are left out; a declared default applies when the value is unset. Objects (json
 * variables) outside a JSON body are sent as JSON text. `wireName` renames a variable on the wire; `style` and
 * `explode` switch to OpenAPI serialization (serialize.ts).
 *
 * A transaction marked `removed: true` (by an OpenAPI re-import) does not compile, so it does not execute.
 * Everything that does not depend on values is computed once per transaction (compileTransaction); bodies that
 * read files are assembled by buildFileBody (async), the rest by buildRequest (sync, the hot path).
 */

/** What the connector settings contribute to every request, computed once at open. */
export interface RequestDefaults {
  /** `http://host:port`, no trailing slash */
  origin: string;
  /** '' or a path such as '/v2', no trailing slash */
  basePath: string;
  /** connector headers and the auth header */
  headers: Record<string, string>;
  /** an API key sent in the query string */
  queryKey?: { name: string; value: string };
  /** headers that carry secrets besides Authorization and Cookie (an API key header) */
  sensitiveHeaders?: readonly string[];
}

interface Spec extends WireSpec {
  /** the variable's name (its key in the values) */
  name: string;
  secret: boolean;
  default: unknown;
  /** media type of a multipart part */
  contentType?: string;
}

/** Variable fields this module reads; the serialization ones come from OpenAPI imports. */
type VariableLike = Pick<Variable, 'name' | 'type' | 'multivalued' | 'secret' | 'default'> & {
  wireName?: string;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
  contentType?: string;
};

/** multipart and file read files (buildFileBody); the others are built by buildRequest. */
type BodyMode = 'none' | 'template' | 'object' | 'single' | 'form' | 'multipart' | 'file';
type BodyEncoding = 'json' | 'xml' | 'raw';

export interface CompiledTransaction {
  readonly name: string;
  readonly type: HttpTransactionType;
  readonly method: HttpMethod;
  readonly pathPrefix: string;
  readonly path: Template;
  /** the path template as written, for messages */
  readonly pathText: string;
  readonly querySeparator: '?' | '&';
  readonly specs: ReadonlyMap<string, Spec>;
  /** path placeholder → the variable it stands for */
  readonly pathSpecs: ReadonlyMap<string, Spec>;
  readonly headers: Readonly<Record<string, string>>;
  readonly headerTemplates: ReadonlyArray<readonly [string, Template]>;
  readonly query: readonly Spec[];
  readonly header: readonly Spec[];
  readonly cookie: readonly Spec[];
  readonly form: readonly Spec[];
  /** in: body variables; in object mode without `body` when `bodyBase` holds it */
  readonly bodyVars: readonly Spec[];
  /** object mode: the `body` variable whose value (an object) the other body variables' keys are set on */
  readonly bodyBase?: Spec;
  readonly bodyMode: BodyMode;
  /** the body reads files (multipart, file): the caller completes the request with buildFileBody */
  readonly bodyFromFiles: boolean;
  readonly bodyTemplate?: Template;
  readonly bodyEncoding: BodyEncoding;
  /** Content-Type set for the body unless a header already sets one */
  readonly bodyContentType?: string;
  readonly maskQuery: boolean;
  readonly queryKey?: { name: string; value: string };
  /** headers dropped when a redirect leaves the origin (Authorization and Cookie always are) */
  readonly sensitiveHeaders?: string[];
}

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  /** the URL with secret query values masked, for logs, errors and results */
  displayUrl: string;
  headers: Record<string, string>;
  /** a string, the bytes of a file, or a multipart form (the HTTP client sets its boundary) */
  data?: string | Buffer | FormData;
}

const ACCEPT: Record<HttpTransactionType, string> = {
  json: 'application/json, */*;q=0.8',
  xml: 'application/xml, text/xml, */*;q=0.8',
  text: '*/*',
  binary: '*/*',
};

const BODY_TYPE: Record<HttpTransactionType, string> = {
  json: 'application/json',
  xml: 'application/xml',
  text: 'text/plain; charset=utf-8',
  binary: 'application/octet-stream',
};

const MASK = '***';

function invalid(tx: { name?: unknown }, message: string): TrellisError {
  const where = `transaction ${typeof tx.name === 'string' ? tx.name : '?'}`;
  return new TrellisError('INVALID_CONFIG', `${where}: ${message}`, { path: where });
}

function specOf(v: VariableLike): Spec {
  return {
    name: v.name,
    wire: v.wireName ?? v.name,
    type: v.type ?? 'string',
    multivalued: !!v.multivalued,
    secret: !!v.secret,
    default: v.default,
    style: v.style,
    explode: v.explode,
    allowReserved: !!v.allowReserved,
    contentType: v.contentType,
  };
}

function findHeader(headers: Record<string, string>, lower: string): string | undefined {
  for (const k in headers) if (k.toLowerCase() === lower) return k;
  return undefined;
}

/** Sets a header, replacing one of the same name in another letter case. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  const existing = findHeader(headers, name.toLowerCase());
  if (existing !== undefined && existing !== name) delete headers[existing];
  headers[name] = value;
}

/** Validates a transaction with the kind's schema (defaults included) and prepares everything that does not depend on values. */
export function compileTransaction(raw: unknown, defaults: RequestDefaults): CompiledTransaction {
  const parsed = httpTransactionSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'transaction'}: ${i.message}`).join('; ');
    throw invalid((raw ?? {}) as { name?: unknown }, issues);
  }
  const tx: HttpTransaction = parsed.data;
  if (tx.removed)
    throw new TrellisError('INVALID_CONFIG', `transaction ${tx.name} was removed from its OpenAPI description on re-import; delete it or clear "removed"`, {
      path: `transaction ${tx.name}`,
    });

  let pathText = tx.path.trim();
  if (pathText && !pathText.startsWith('/') && !pathText.startsWith('?')) pathText = `/${pathText}`;
  const path = compileTemplate(pathText);
  const pathNames = new Set(path.names);

  const headerTemplates: Array<readonly [string, Template]> = [];
  const headers: Record<string, string> = { Accept: ACCEPT[tx.type] };
  for (const [k, v] of Object.entries(defaults.headers)) setHeader(headers, k, v);
  for (const [k, v] of Object.entries(tx.headers)) {
    const t = compileTemplate(v);
    if (t.names.length) headerTemplates.push([k, t]);
    else setHeader(headers, k, v);
  }
  const bodyTemplate = tx.body !== undefined ? compileTemplate(tx.body) : undefined;
  const templated = new Set<string>([...headerTemplates.flatMap(([, t]) => t.names), ...(bodyTemplate?.names ?? [])]);

  const specs = new Map<string, Spec>();
  const pathSpecs = new Map<string, Spec>();
  const query: Spec[] = [];
  const header: Spec[] = [];
  const cookie: Spec[] = [];
  const form: Spec[] = [];
  const bodyVars: Spec[] = [];
  for (const v of tx.variables as VariableLike[] & typeof tx.variables) {
    const spec = specOf(v);
    specs.set(v.name, spec);
    const placeholder = pathNames.has(v.name) ? v.name : pathNames.has(spec.wire) ? spec.wire : undefined;
    if (placeholder !== undefined && (v.in === undefined || v.in === 'path')) pathSpecs.set(placeholder, spec);
    const where = v.in ?? (placeholder !== undefined ? 'path' : templated.has(v.name) ? undefined : 'query');
    switch (where) {
      case 'path':
        if (placeholder === undefined) throw invalid(tx, `variable ${v.name} is in: path but the path "${tx.path}" has no {${v.name}}`);
        break;
      case 'query':
        query.push(spec);
        break;
      case 'header':
        header.push(spec);
        break;
      case 'cookie':
        cookie.push(spec);
        break;
      case 'form':
        form.push(spec);
        break;
      case 'body':
        if (!bodyTemplate) bodyVars.push(spec);
        break;
    }
  }
  for (const name of pathNames) {
    if (pathSpecs.has(name)) continue;
    const spec = specs.get(name) ?? specOf({ name, type: 'string' });
    specs.set(name, spec);
    pathSpecs.set(name, spec);
  }

  if (form.length && bodyVars.length)
    throw invalid(tx, `variables ${[...form, ...bodyVars].map((s) => s.name).join(', ')} mix in: form and in: body; use one, or write a body template`);

  const headerTypeKey = findHeader(headers, 'content-type');
  const headerType = headerTypeKey === undefined ? undefined : headers[headerTypeKey];
  const multipart = /^\s*multipart\//i.test(tx.contentType ?? headerType ?? '');
  const lone = bodyVars.length === 1 && bodyVars[0]!.name === 'body' ? bodyVars[0] : undefined;
  const bodyMode: BodyMode = bodyTemplate
    ? 'template'
    : form.length
      ? multipart
        ? 'multipart'
        : 'form'
      : lone
        ? lone.type === 'file'
          ? 'file'
          : 'single'
        : bodyVars.length
          ? 'object'
          : 'none';
  const bodyBase = bodyMode === 'object' ? bodyVars.find((s) => s.name === 'body') : undefined;
  if (bodyBase) bodyVars.splice(bodyVars.indexOf(bodyBase), 1);

  let bodyContentType: string | undefined;
  if (bodyMode === 'form') bodyContentType = 'application/x-www-form-urlencoded';
  else if (bodyMode === 'object') bodyContentType = 'application/json';
  else if (bodyMode === 'single') bodyContentType = lone!.type === 'json' ? 'application/json' : BODY_TYPE[tx.type];
  else if (bodyMode === 'file') bodyContentType = lone!.contentType ?? 'application/octet-stream';
  else if (bodyMode === 'template') bodyContentType = BODY_TYPE[tx.type];
  if (bodyMode === 'multipart') {
    // the HTTP client writes `multipart/form-data; boundary=...` itself
    bodyContentType = undefined;
    if (headerTypeKey !== undefined) delete headers[headerTypeKey];
  } else if (tx.contentType) bodyContentType = tx.contentType;
  else if (headerType) bodyContentType = undefined; // the transaction's own header stands
  const effectiveType = (tx.contentType ?? headerType ?? bodyContentType ?? '').toLowerCase();
  const bodyEncoding: BodyEncoding = /json/.test(effectiveType) ? 'json' : /xml/.test(effectiveType) ? 'xml' : 'raw';

  const sensitive = [...(defaults.sensitiveHeaders ?? []), ...header.filter((s) => s.secret).map((s) => s.wire)];

  // an empty path (or a bare query) is the basePath itself, or '/'
  const pathPrefix = !pathText || pathText.startsWith('?') ? defaults.basePath || '/' : defaults.basePath;

  return {
    name: tx.name,
    type: tx.type,
    method: tx.method,
    pathPrefix: defaults.origin + pathPrefix,
    path,
    pathText: tx.path,
    querySeparator: pathText.includes('?') ? '&' : '?',
    specs,
    pathSpecs,
    headers,
    headerTemplates,
    query,
    header,
    cookie,
    form,
    bodyVars,
    bodyBase,
    bodyMode,
    bodyFromFiles: bodyMode === 'multipart' || bodyMode === 'file',
    bodyTemplate,
    bodyEncoding,
    bodyContentType,
    maskQuery: !!defaults.queryKey || query.some((s) => s.secret),
    queryKey: defaults.queryKey,
    sensitiveHeaders: sensitive.length ? sensitive : undefined,
  };
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;'));
}

function noLineBreak(c: CompiledTransaction, what: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new TrellisError('BAD_VARIABLE', `transaction ${c.name}: ${what} holds a line break, which a header cannot carry`, { path: `transaction ${c.name}` });
  return value;
}

/** The value of a variable, its declared default when unset. */
function valueOf(c: CompiledTransaction, vars: Vars, name: string): unknown {
  const v = vars[name];
  return v === undefined ? c.specs.get(name)?.default : v;
}

/** Whether a placeholder names a variable (declared, or given a value); other placeholders are literal text. */
function isVariable(c: CompiledTransaction, vars: Vars, name: string): boolean {
  return c.specs.has(name) || vars[name] !== undefined;
}

/** The request of one call: everything here depends on the values. (No local closures: this is the hot path.) */
export function buildRequest(c: CompiledTransaction, vars: Vars): HttpRequest {
  // path
  let url = c.pathPrefix;
  if (c.path.names.length === 0) url += c.path.parts[0]!;
  else
    url += renderTemplate(c.path, (placeholder) => {
      const spec = c.pathSpecs.get(placeholder)!;
      const v = valueOf(c, vars, spec.name);
      if (v === undefined || v === null || v === '')
        throw new TrellisError('BAD_VARIABLE', `transaction ${c.name}: path variable ${spec.name} has no value (path ${c.pathText})`, { path: `transaction ${c.name}` });
      return pathValue(spec, v);
    });

  // query
  let displayUrl = url;
  let sep = c.querySeparator;
  for (const spec of c.query) {
    const v = valueOf(c, vars, spec.name);
    if (v === undefined) continue;
    const fields = queryFields(spec, v);
    if (!fields.length) continue;
    url += sep + fields.join('&');
    if (c.maskQuery) displayUrl += sep + (spec.secret ? `${encodeURIComponent(spec.wire)}=${MASK}` : fields.join('&'));
    sep = '&';
  }
  if (c.queryKey) {
    const pair = `${sep}${encodeURIComponent(c.queryKey.name)}=`;
    url += pair + encodeURIComponent(c.queryKey.value);
    displayUrl += pair + MASK;
  }
  if (!c.maskQuery) displayUrl = url;

  // headers
  const headers: Record<string, string> = { ...c.headers };
  for (const [name, t] of c.headerTemplates)
    setHeader(headers, name, noLineBreak(c, `header ${name}`, renderTemplate(t, (n) => (isVariable(c, vars, n) ? text(valueOf(c, vars, n)) : undefined))));
  for (const spec of c.header) {
    const v = valueOf(c, vars, spec.name);
    if (v === undefined) continue;
    setHeader(headers, spec.wire, noLineBreak(c, `header variable ${spec.name}`, headerValue(spec, v)));
  }
  if (c.cookie.length) {
    const pairs: string[] = [];
    for (const spec of c.cookie) {
      const v = valueOf(c, vars, spec.name);
      if (v === undefined) continue;
      pairs.push(cookiePair(spec, v));
    }
    if (pairs.length) {
      const k = findHeader(headers, 'cookie');
      const prior = k === undefined ? '' : headers[k];
      setHeader(headers, k ?? 'Cookie', prior ? `${prior}; ${pairs.join('; ')}` : pairs.join('; '));
    }
  }

  // body
  let data: string | undefined;
  switch (c.bodyMode) {
    case 'none':
      break;
    case 'template':
      data = renderTemplate(c.bodyTemplate!, (n) => {
        if (!isVariable(c, vars, n)) return undefined;
        const v = valueOf(c, vars, n);
        return c.bodyEncoding === 'json' ? (JSON.stringify(v) ?? 'null') : c.bodyEncoding === 'xml' ? xmlEscape(text(v)) : text(v);
      });
      break;
    case 'form': {
      const fields: string[] = [];
      for (const spec of c.form) {
        const v = valueOf(c, vars, spec.name);
        if (v === undefined) continue;
        fields.push(...queryFields(spec, v));
      }
      data = fields.join('&');
      break;
    }
    case 'single': {
      const spec = c.bodyVars[0]!;
      const v = valueOf(c, vars, spec.name);
      if (v !== undefined) data = spec.type === 'json' || typeof v !== 'string' ? JSON.stringify(v) : v;
      break;
    }
    case 'object': {
      const obj = c.bodyBase ? baseObject(c, valueOf(c, vars, c.bodyBase.name)) : {};
      for (const spec of c.bodyVars) {
        const v = valueOf(c, vars, spec.name);
        if (v !== undefined) obj[spec.wire] = v;
      }
      data = JSON.stringify(obj);
      break;
    }
    // multipart, file: buildFileBody
  }
  if (data !== undefined && c.bodyContentType) setHeader(headers, 'Content-Type', c.bodyContentType);

  return { method: c.method, url, displayUrl, headers, data };
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  return `the ${typeof v} ${String(v)}`;
}

/** A copy of the value of `body` to set the other body variables' keys on; it must be a JSON object. */
function baseObject(c: CompiledTransaction, v: unknown): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v === 'object' && !Array.isArray(v)) return { ...(v as Record<string, unknown>) };
  const others = c.bodyVars.map((s) => s.name).join(', ');
  throw new TrellisError(
    'BAD_VARIABLE',
    `transaction ${c.name}: variable ${c.bodyBase!.name} must be a JSON object, since the other in: body variables (${others}) are keys of it; got ${describeValue(v)}`,
    { path: `transaction ${c.name}`, details: [{ variable: c.bodyBase!.name, message: 'expected a JSON object' }] },
  );
}

/**
 * Completes a request whose body reads files (c.bodyFromFiles): the bytes of a lone file `body`, or the
 * multipart form of the in: form variables. Files are read from the project's files/ folder only (files.ts).
 */
export async function buildFileBody(c: CompiledTransaction, vars: Vars, request: HttpRequest, projectDir: string, signal?: AbortSignal): Promise<void> {
  if (c.bodyMode === 'file') {
    const spec = c.bodyVars[0]!;
    const v = valueOf(c, vars, spec.name);
    if (v === undefined) return;
    request.data = (await readProjectFile(projectDir, c.name, spec.name, v, signal)).bytes;
    if (c.bodyContentType) setHeader(request.headers, 'Content-Type', c.bodyContentType);
    return;
  }
  if (c.bodyMode !== 'multipart') return;
  const form = new FormData();
  for (const spec of c.form) {
    const v = valueOf(c, vars, spec.name);
    if (v === undefined) continue;
    const items: unknown[] = Array.isArray(v) && (spec.multivalued || spec.type !== 'json') ? v : [v];
    if (spec.type === 'file') {
      for (const item of items) {
        const file = await readProjectFile(projectDir, c.name, spec.name, item, signal);
        form.append(spec.wire, new Blob([file.bytes], { type: spec.contentType ?? 'application/octet-stream' }), file.name);
      }
    } else if (spec.type === 'json') {
      // an empty file name keeps the part a field (no filename in its Content-Disposition)
      for (const item of items) form.append(spec.wire, new Blob([JSON.stringify(item) ?? 'null'], { type: spec.contentType ?? 'application/json' }), '');
    } else {
      const texts = spec.explode === false && items.length > 1 ? [items.map(text).join(delimiterOf(spec.style, false))] : items.map(text);
      for (const t of texts) {
        if (spec.contentType) form.append(spec.wire, new Blob([t], { type: spec.contentType }), '');
        else form.append(spec.wire, t);
      }
    }
  }
  request.data = form;
}
