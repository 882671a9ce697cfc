import { toName, type Variable } from '../model/index.js';
import { isObj, type Loc, type SpecDoc } from './refs.js';
import type { SpecFormat } from './schemas.js';
import type { ImportWarning } from './types.js';

/**
 * Security schemes → the connector's auth. One scheme (or one AND-combination) becomes the connector's
 * auth; secrets are `${env:<CONNECTOR>_...}` references, never values. API keys that the connector's auth
 * does not cover (cookie keys, keys of other schemes) become secret variables of the operations needing them.
 */

export type Auth =
  | { type: 'none' }
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string }
  | { type: 'apiKey'; name: string; value: string; in: 'header' | 'query' };

interface Scheme {
  name: string;
  kind: 'apiKey' | 'basic' | 'bearer' | 'oauth2' | 'openIdConnect' | 'other';
  in?: 'header' | 'query' | 'cookie';
  param?: string;
  /** human description for notes (flows, URLs, http scheme) */
  detail: string;
  loc: Loc;
}

export type Requirement = string[];

export interface SecurityPlan {
  auth: Auth;
  /** extra headers carrying API keys the chosen requirement also needs */
  headers: Record<string, string>;
  /** scheme names the connector settings satisfy */
  satisfied: Set<string>;
  schemes: Map<string, Scheme>;
  root: Requirement[] | undefined;
  /** unmet scheme name → operations that need it */
  unmet: Map<string, string[]>;
  /** API key scheme name → operations that got a secret variable for it */
  asVariables: Map<string, string[]>;
  envPrefix: string;
}

type Warn = (w: ImportWarning) => void;

export function envPrefix(connectorName: string): string {
  return (
    connectorName
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toUpperCase() || 'API'
  );
}

function envName(prefix: string, suffix: string): string {
  return `\${env:${prefix}_${suffix}}`;
}

export function readSchemes(doc: SpecDoc, format: SpecFormat, warn: Warn): Map<string, Scheme> {
  const root = doc.root;
  const defs = format === 'swagger-2.0' ? doc.child(root, 'securityDefinitions') : doc.child(doc.child(root, 'components'), 'securitySchemes');
  const schemes = new Map<string, Scheme>();
  for (const [name, raw] of doc.entries(defs)) {
    const loc = doc.tryDeref(raw);
    if (loc instanceof Error) {
      warn({ code: 'security-ref-unresolved', message: `${loc.message}; security scheme "${name}" is ignored`, file: doc.file(raw), pointer: raw.p });
      continue;
    }
    if (!isObj(loc.v)) continue;
    const s = loc.v;
    const type = typeof s.type === 'string' ? s.type : '';
    const lower = type.toLowerCase();
    if (lower === 'apikey') {
      const where = typeof s.in === 'string' ? s.in.toLowerCase() : '';
      if (!['header', 'query', 'cookie'].includes(where) || typeof s.name !== 'string' || !s.name) {
        warn({ code: 'security-invalid', message: `${doc.where(loc)}: API key scheme "${name}" needs a name and in: header, query or cookie; ignored`, file: doc.file(loc), pointer: loc.p, rule: 'OpenAPI: apiKey scheme has name and in' });
        continue;
      }
      schemes.set(name, { name, kind: 'apiKey', in: where as Scheme['in'], param: s.name, detail: `API key in ${where} "${s.name}"`, loc });
    } else if (lower === 'basic') {
      schemes.set(name, { name, kind: 'basic', detail: 'HTTP basic', loc });
    } else if (lower === 'http') {
      const scheme = typeof s.scheme === 'string' ? s.scheme.toLowerCase() : '';
      if (scheme === 'basic') schemes.set(name, { name, kind: 'basic', detail: 'HTTP basic', loc });
      else if (scheme === 'bearer') schemes.set(name, { name, kind: 'bearer', detail: `HTTP bearer${typeof s.bearerFormat === 'string' ? ` (${s.bearerFormat})` : ''}`, loc });
      else schemes.set(name, { name, kind: 'other', detail: `HTTP ${String(s.scheme ?? '(no scheme)')}`, loc });
    } else if (lower === 'oauth2') {
      schemes.set(name, { name, kind: 'oauth2', detail: oauthDetail(s), loc });
    } else if (lower === 'openidconnect') {
      schemes.set(name, { name, kind: 'openIdConnect', detail: `OpenID Connect${typeof s.openIdConnectUrl === 'string' ? ` (${s.openIdConnectUrl})` : ''}`, loc });
    } else {
      schemes.set(name, { name, kind: 'other', detail: type || 'unknown type', loc });
    }
  }
  return schemes;
}

function oauthDetail(s: Record<string, unknown>): string {
  const parts: string[] = [];
  if (isObj(s.flows)) {
    for (const [flow, def] of Object.entries(s.flows)) {
      const d = isObj(def) ? def : {};
      const url = typeof d.tokenUrl === 'string' ? d.tokenUrl : typeof d.authorizationUrl === 'string' ? d.authorizationUrl : '';
      parts.push(url ? `${flow}: ${url}` : flow);
    }
  } else if (typeof s.flow === 'string') {
    const url = typeof s.tokenUrl === 'string' ? s.tokenUrl : typeof s.authorizationUrl === 'string' ? s.authorizationUrl : '';
    parts.push(url ? `${s.flow}: ${url}` : s.flow);
  }
  return `OAuth2${parts.length ? ` (${parts.join('; ')})` : ''}`;
}

/** A Security Requirement list: alternatives, each a list of scheme names that all apply. */
export function readRequirements(doc: SpecDoc, loc: Loc, warn: Warn): Requirement[] | undefined {
  if (loc.v === undefined) return undefined;
  if (!Array.isArray(loc.v)) {
    warn({ code: 'security-invalid', message: `${doc.where(loc)}: security is not a list of requirements; ignored`, file: doc.file(loc), pointer: loc.p, rule: 'OpenAPI: security is an array of Security Requirement Objects' });
    return undefined;
  }
  return loc.v.filter(isObj).map((r) => Object.keys(r));
}

function authOf(s: Scheme, prefix: string): Auth | undefined {
  switch (s.kind) {
    case 'apiKey':
      return s.in === 'cookie' ? undefined : { type: 'apiKey', name: s.param!, value: envName(prefix, 'API_KEY'), in: s.in as 'header' | 'query' };
    case 'basic':
      return { type: 'basic', username: envName(prefix, 'USERNAME'), password: envName(prefix, 'PASSWORD') };
    case 'bearer':
    case 'oauth2':
    case 'openIdConnect':
      return { type: 'bearer', token: envName(prefix, 'TOKEN') };
    default:
      return undefined;
  }
}

export function planSecurity(
  doc: SpecDoc,
  schemes: Map<string, Scheme>,
  root: Requirement[] | undefined,
  perOperation: Array<Requirement[] | undefined>,
  connectorName: string,
  warn: Warn,
): SecurityPlan {
  const prefix = envPrefix(connectorName);
  const plan: SecurityPlan = { auth: { type: 'none' }, headers: {}, satisfied: new Set(), schemes, root, unmet: new Map(), asVariables: new Map(), envPrefix: prefix };
  const usable = (alt: Requirement): boolean => alt.length > 0 && alt.every((n) => schemes.has(n)) && alt.some((n) => authOf(schemes.get(n)!, prefix));
  let chosen: Requirement | undefined = root?.find(usable);
  if (!chosen) {
    // No usable global requirement: the one most operations use.
    const counts = new Map<string, { alt: Requirement; n: number }>();
    for (const reqs of perOperation.map((r) => r ?? root)) {
      for (const alt of reqs ?? []) {
        if (!usable(alt)) continue;
        const key = [...alt].sort().join('+');
        const c = counts.get(key) ?? { alt, n: 0 };
        c.n++;
        counts.set(key, c);
      }
    }
    let best: { alt: Requirement; n: number } | undefined;
    for (const c of counts.values()) if (!best || c.n > best.n) best = c;
    chosen = best?.alt;
  }
  if (!chosen) return plan;
  let primary: Scheme | undefined;
  for (const name of chosen) {
    const s = schemes.get(name)!;
    const auth = authOf(s, prefix);
    if (!primary && auth) {
      primary = s;
      plan.auth = auth;
      plan.satisfied.add(name);
    } else if (s.kind === 'apiKey' && s.in === 'header') {
      plan.headers[s.param!] = envName(prefix, toEnvSuffix(name));
      plan.satisfied.add(name);
    }
  }
  if (primary && (primary.kind === 'oauth2' || primary.kind === 'openIdConnect')) {
    warn({
      code: primary.kind === 'oauth2' ? 'oauth2-as-bearer' : 'openid-as-bearer',
      message: `${doc.where(primary.loc)}: security scheme "${primary.name}" is ${primary.detail}; the connector sends a bearer token from ${envName(prefix, 'TOKEN')}: obtain a token with that flow and set it`,
      file: doc.file(primary.loc),
      pointer: primary.loc.p,
    });
  }
  return plan;
}

function toEnvSuffix(name: string): string {
  return envPrefix(name);
}

/**
 * What an operation needs beyond the connector's auth: secret variables for API keys, and the schemes it
 * cannot get (recorded in plan.unmet for one warning per scheme).
 */
export function operationSecurity(plan: SecurityPlan, requirements: Requirement[] | undefined, operation: string): Variable[] {
  const reqs = requirements ?? plan.root;
  if (!reqs || reqs.length === 0 || reqs.some((alt) => alt.length === 0)) return [];
  if (reqs.some((alt) => alt.every((n) => plan.satisfied.has(n)))) return [];
  const alt = reqs.find((a) => a.every((n) => plan.schemes.has(n))) ?? reqs[0]!;
  const vars: Variable[] = [];
  for (const name of alt) {
    if (plan.satisfied.has(name)) continue;
    const s = plan.schemes.get(name);
    if (s?.kind === 'apiKey') {
      const v: Variable = {
        name: toName(s.param!, 'apiKey'),
        type: 'string',
        in: s.in,
        required: true,
        secret: true,
        description: `API key of security scheme "${name}" (${s.detail})`,
      };
      if (v.name !== s.param) v.wireName = s.param;
      vars.push(v);
      const ops = plan.asVariables.get(name) ?? [];
      ops.push(operation);
      plan.asVariables.set(name, ops);
    } else {
      const list = plan.unmet.get(name) ?? [];
      list.push(operation);
      plan.unmet.set(name, list);
    }
  }
  return vars;
}

/** One warning per security scheme some operations need but the connector cannot send. */
export function reportUnmet(doc: SpecDoc, plan: SecurityPlan, warn: Warn): void {
  for (const [name, ops] of plan.asVariables) {
    const s = plan.schemes.get(name)!;
    const list = ops.slice(0, 5).join(', ') + (ops.length > 5 ? `, and ${ops.length - 5} more` : '');
    warn({
      code: s.in === 'cookie' ? 'cookie-api-key' : 'api-key-variable',
      message: `${doc.where(s.loc)}: security scheme "${name}" (${s.detail}) ${s.in === 'cookie' ? 'goes in a cookie, which connector auth cannot send' : 'is not the connector\'s auth'}; ${ops.length} operation${ops.length === 1 ? '' : 's'} (${list}) get a secret ${s.in} variable "${s.param}" to fill`,
      file: doc.file(s.loc),
      pointer: s.loc.p,
    });
  }
  for (const [name, ops] of plan.unmet) {
    const s = plan.schemes.get(name);
    const list = ops.slice(0, 5).join(', ') + (ops.length > 5 ? `, and ${ops.length - 5} more` : '');
    const what = s ? `${s.detail}` : 'not defined in the spec';
    warn({
      code: s ? 'security-not-applied' : 'security-undefined',
      message: `${s ? doc.where(s.loc) : doc.file(doc.root)}: security scheme "${name}" (${what}) is needed by ${ops.length} operation${ops.length === 1 ? '' : 's'} (${list}) but the connector authenticates with ${describeAuth(plan.auth)}; add the credentials to those transactions or use another connector`,
      file: s ? doc.file(s.loc) : doc.file(doc.root),
      pointer: s?.loc.p,
      rule: s ? undefined : 'OpenAPI: security requirements name declared schemes',
    });
  }
}

function describeAuth(a: Auth): string {
  return a.type === 'none' ? 'nothing' : a.type === 'apiKey' ? `API key ${a.name} (${a.in})` : a.type;
}
