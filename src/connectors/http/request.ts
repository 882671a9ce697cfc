import { TrellisError } from '../../engine/errors.js';
import type { Variable } from '../../model/variable.js';
import type { Vars } from '../connector-kind.js';
import { httpTransactionSchema, type HttpMethod, type HttpTransaction, type HttpTransactionType } from './config.js';
import { compileTemplate, renderTemplate, type Template } from './template.js';

/**
 * Builds the URL, headers and body of one call from a transaction and its variable values.
 *
 * Where a variable goes (its `in`): explicit `in` wins; otherwise `path` when `{name}` appears in the path
 * template, nothing when it appears only in a header or body template (the template consumes it), else `query`.
 * - path: URL-encoded (encodeURIComponent); an array is joined with ','.
 * - query: `name=value`, URL-encoded; an array repeats the parameter (`?tag=a&tag=b`).
 * - header: the variable name is the header name; an array is joined with ', '.
 * - cookie: `Cookie: a=b; c=d`, values URL-encoded, added to a Cookie header the transaction may already set.
 * - body: without a body template, the body variables are sent as one JSON object `{ name: value }`; a single
 *   body variable named `body` is the body itself (JSON-encoded when of type json, as is when a string).
 * - form: `application/x-www-form-urlencoded`, arrays repeat the field.
 * Unset values (undefined) are left out; a declared default applies when the value is unset. Objects (json
 * variables) outside a JSON body are sent as JSON text.
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
}

interface Spec {
  name: string;
  type: string;
  multivalued: boolean;
  secret: boolean;
  default: unknown;
}

type BodyMode = 'none' | 'template' | 'object' | 'single' | 'form';
type BodyEncoding = 'json' | 'xml' | 'raw';

export interface CompiledTransaction {
  readonly name: string;
  readonly type: HttpTransactionType;
  readonly method: HttpMethod;
  readonly pathPrefix: string;
  readonly path: Template;
  readonly querySeparator: '?' | '&';
  readonly specs: ReadonlyMap<string, Spec>;
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

function specOf(v: Pick<Variable, 'name' | 'type' | 'multivalued' | 'secret' | 'default'>): Spec {
  return { name: v.name, type: v.type ?? 'string', multivalued: !!v.multivalued, secret: !!v.secret, default: v.default };
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
  const query: Spec[] = [];
  const header: Spec[] = [];
  const cookie: Spec[] = [];
  const form: Spec[] = [];
  const bodyVars: Spec[] = [];
  for (const v of tx.variables) {
    const spec = specOf(v);
    specs.set(v.name, spec);
    const where = v.in ?? (pathNames.has(v.name) ? 'path' : templated.has(v.name) ? undefined : 'query');
    switch (where) {
      case 'path':
        if (!pathNames.has(v.name)) throw invalid(tx, `variable ${v.name} is in: path but the path "${tx.path}" has no {${v.name}}`);
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
  for (const name of pathNames) if (!specs.has(name)) specs.set(name, { name, type: 'string', multivalued: false, secret: false, default: undefined });

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

  const headerType = (() => {
    const k = findHeader(headers, 'content-type');
    return k === undefined ? undefined : headers[k];
  })();
  let bodyContentType: string | undefined;
  if (bodyMode === 'form') bodyContentType = 'application/x-www-form-urlencoded';
  else if (bodyMode === 'object') bodyContentType = 'application/json';
  else if (bodyMode === 'single') bodyContentType = bodyVars[0]!.type === 'json' ? 'application/json' : BODY_TYPE[tx.type];
  else if (bodyMode === 'template') bodyContentType = BODY_TYPE[tx.type];
  if (tx.contentType) bodyContentType = tx.contentType;
  else if (headerType) bodyContentType = undefined; // the transaction's own header stands
  const effectiveType = (tx.contentType ?? headerType ?? bodyContentType ?? '').toLowerCase();
  const bodyEncoding: BodyEncoding = /json/.test(effectiveType) ? 'json' : /xml/.test(effectiveType) ? 'xml' : 'raw';

  let pathPrefix = defaults.basePath;
  if (!pathText) pathPrefix ||= '/';
  else if (pathText.startsWith('?')) pathPrefix ||= '/';

  return {
    name: tx.name,
    type: tx.type,
    method: tx.method,
    pathPrefix: defaults.origin + pathPrefix,
    path,
    querySeparator: pathText.includes('?') ? '&' : '?',
    specs,
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
  };
}

/** A value as text: strings as is, numbers and booleans printed, null empty, objects as JSON. */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function isList(spec: Spec, v: unknown): v is unknown[] {
  return Array.isArray(v) && (spec.multivalued || spec.type !== 'json');
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;'));
}

function noLineBreak(c: CompiledTransaction, what: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new TrellisError('BAD_VARIABLE', `transaction ${c.name}: ${what} holds a line break, which a header cannot carry`, { path: `transaction ${c.name}` });
  return value;
}

/** The request of one call: everything here depends on the values. */
export function buildRequest(c: CompiledTransaction, vars: Vars): HttpRequest {
  const value = (name: string): unknown => {
    const v = vars[name];
    return v === undefined ? c.specs.get(name)?.default : v;
  };
  const known = (name: string): boolean => c.specs.has(name) || vars[name] !== undefined;

  // path
  let url = c.pathPrefix;
  if (c.path.names.length === 0) url += c.path.parts[0]!;
  else
    url += renderTemplate(c.path, (name) => {
      const v = value(name);
      if (v === undefined || v === null || v === '')
        throw new TrellisError('BAD_VARIABLE', `transaction ${c.name}: path variable ${name} has no value (path ${c.path.parts.join('')})`, { path: `transaction ${c.name}` });
      return Array.isArray(v) ? v.map((x) => encodeURIComponent(text(x))).join(',') : encodeURIComponent(text(v));
    });

  // query
  let displayUrl = url;
  let sep = c.querySeparator;
  for (const spec of c.query) {
    const v = value(spec.name);
    if (v === undefined) continue;
    const key = encodeURIComponent(spec.name);
    for (const item of isList(spec, v) ? v : [v]) {
      if (item === undefined) continue;
      const pair = `${sep}${key}=`;
      url += pair + encodeURIComponent(text(item));
      if (c.maskQuery) displayUrl += pair + (spec.secret ? MASK : encodeURIComponent(text(item)));
      sep = '&';
    }
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
    setHeader(headers, name, noLineBreak(c, `header ${name}`, renderTemplate(t, (n) => (known(n) ? text(value(n)) : undefined))));
  for (const spec of c.header) {
    const v = value(spec.name);
    if (v === undefined) continue;
    setHeader(headers, spec.name, noLineBreak(c, `header variable ${spec.name}`, isList(spec, v) ? v.map(text).join(', ') : text(v)));
  }
  if (c.cookie.length) {
    const pairs: string[] = [];
    for (const spec of c.cookie) {
      const v = value(spec.name);
      if (v === undefined) continue;
      pairs.push(`${spec.name}=${isList(spec, v) ? v.map((x) => encodeURIComponent(text(x))).join(',') : encodeURIComponent(text(v))}`);
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
    case 'template': {
      const encode =
        c.bodyEncoding === 'json'
          ? (n: string) => (known(n) ? (JSON.stringify(value(n)) ?? 'null') : undefined)
          : c.bodyEncoding === 'xml'
            ? (n: string) => (known(n) ? xmlEscape(text(value(n))) : undefined)
            : (n: string) => (known(n) ? text(value(n)) : undefined);
      data = renderTemplate(c.bodyTemplate!, encode);
      break;
    }
    case 'form': {
      const fields: string[] = [];
      for (const spec of c.form) {
        const v = value(spec.name);
        if (v === undefined) continue;
        const key = encodeURIComponent(spec.name);
        for (const item of isList(spec, v) ? v : [v]) fields.push(`${key}=${encodeURIComponent(text(item))}`);
      }
      data = fields.join('&');
      break;
    }
    case 'single': {
      const spec = c.bodyVars[0]!;
      const v = value(spec.name);
      if (v !== undefined) data = spec.type === 'json' || typeof v !== 'string' ? JSON.stringify(v) : v;
      break;
    }
    case 'object': {
      const obj: Record<string, unknown> = {};
      for (const spec of c.bodyVars) {
        const v = value(spec.name);
        if (v !== undefined) obj[spec.name] = v;
      }
      data = JSON.stringify(obj);
      break;
    }
  }
  if (data !== undefined && c.bodyContentType) setHeader(headers, 'Content-Type', c.bodyContentType);

  return { method: c.method, url, displayUrl, headers, data };
}
