import { TrellisError } from '../../engine/errors.js';
import type { Variable } from '../../model/variable.js';
import type { Vars } from '../connector-kind.js';
import { httpTransactionSchema, type HttpMethod, type HttpTransaction, type HttpTransactionType } from './config.js';
import { cookiePair, headerValue, pathValue, queryFields, text, type WireSpec } from './serialize.js';
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
 * - body: without a body template, the body variables are sent as one JSON object `{ name: value }`; a single
 *   body variable named `body` is the body itself (JSON-encoded when of type json, as is when a string).
 * - form: `application/x-www-form-urlencoded`, arrays repeat the field.
 * Unset values (undefined) are left out; a declared default applies when the value is unset. Objects (json
 * variables) outside a JSON body are sent as JSON text. `wireName` renames a variable on the wire; `style` and
 * `explode` switch to OpenAPI serialization (serialize.ts).
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
}

/** Variable fields this module reads; the serialization ones come from OpenAPI imports. */
type VariableLike = Pick<Variable, 'name' | 'type' | 'multivalued' | 'secret' | 'default'> & {
  wireName?: string;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
};

type BodyMode = 'none' | 'template' | 'object' | 'single' | 'form';
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
  readonly bodyVars: readonly Spec[];
  readonly bodyMode: BodyMode;
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
  data?: string;
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

  const bodyMode: BodyMode = bodyTemplate
    ? 'template'
    : form.length
      ? 'form'
      : bodyVars.length === 1 && bodyVars[0]!.name === 'body'
        ? 'single'
        : bodyVars.length
          ? 'object'
          : 'none';

  const headerTypeKey = findHeader(headers, 'content-type');
  const headerType = headerTypeKey === undefined ? undefined : headers[headerTypeKey];
  let bodyContentType: string | undefined;
  if (bodyMode === 'form') bodyContentType = 'application/x-www-form-urlencoded';
  else if (bodyMode === 'object') bodyContentType = 'application/json';
  else if (bodyMode === 'single') bodyContentType = bodyVars[0]!.type === 'json' ? 'application/json' : BODY_TYPE[tx.type];
  else if (bodyMode === 'template') bodyContentType = BODY_TYPE[tx.type];
  if (tx.contentType) bodyContentType = tx.contentType;
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
    bodyMode,
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
      const obj: Record<string, unknown> = {};
      for (const spec of c.bodyVars) {
        const v = valueOf(c, vars, spec.name);
        if (v !== undefined) obj[spec.wire] = v;
      }
      data = JSON.stringify(obj);
      break;
    }
  }
  if (data !== undefined && c.bodyContentType) setHeader(headers, 'Content-Type', c.bodyContentType);

  return { method: c.method, url, displayUrl, headers, data };
}
