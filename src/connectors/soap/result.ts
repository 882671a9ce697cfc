import type { Json } from '../../model/json.js';

/**
 * SOAP data from the shared XML → JSON mapping (connectors/http/xml-to-json.ts), made independent of the
 * prefixes each server picks (docs/wsdl-import.md, "Results"):
 * - element keys are local names (`ns2:price` → `price`); attribute keys keep their prefix (`@xml:lang`);
 * - namespace declarations (`@xmlns`, `@xmlns:p`) and the XML Schema instance and SOAP encoding attributes
 *   (`xsi:type`, `enc:arrayType`, `env:encodingStyle`, ...) are dropped; `xsi:nil="true"` becomes null;
 * - an element left with only its text becomes that text; with nothing at all, `""`;
 * - elements named in `arrays` (those the WSDL lets repeat) are always arrays, even with one item.
 */

const XSI = new Set(['http://www.w3.org/2001/XMLSchema-instance', 'http://www.w3.org/1999/XMLSchema-instance', 'http://www.w3.org/2000/10/XMLSchema-instance']);
const NOISE = new Set([
  ...XSI,
  'http://schemas.xmlsoap.org/soap/encoding/',
  'http://www.w3.org/2003/05/soap-encoding',
  'http://schemas.xmlsoap.org/soap/envelope/',
  'http://www.w3.org/2003/05/soap-envelope',
]);
const CRITICAL = new Set(['__proto__', 'constructor', 'prototype']);

export const SOAP11_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_ENV = 'http://www.w3.org/2003/05/soap-envelope';

type Scope = ReadonlyMap<string, string>;
type Obj = { [key: string]: Json };

export function localName(key: string): string {
  const local = key.slice(key.indexOf(':') + 1);
  return CRITICAL.has(local) ? `__${local}` : local;
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The namespace declarations of an element added to the scope of its parent. */
export function scopeOf(value: Json, parent: Scope): Scope {
  if (!isObj(value)) return parent;
  let scope: Map<string, string> | undefined;
  for (const key of Object.keys(value)) {
    if (key !== '@xmlns' && !key.startsWith('@xmlns:')) continue;
    scope ??= new Map(parent);
    scope.set(key === '@xmlns' ? '' : key.slice(7), String(value[key]));
  }
  return scope ?? parent;
}

/** The namespace of a mapped key (`s:Body`, `@xsi:type`) in a scope; attributes without prefix have none. */
export function namespaceOf(key: string, scope: Scope): string | undefined {
  const name = key.startsWith('@') ? key.slice(1) : key;
  const colon = name.indexOf(':');
  if (colon < 0) return key.startsWith('@') ? undefined : scope.get('');
  return scope.get(name.slice(0, colon));
}

/** One mapped element's value, normalized (see above). */
export function normalize(value: Json, parent: Scope, arrays: ReadonlySet<string>): Json {
  if (!isObj(value)) return value;
  const scope = scopeOf(value, parent);
  const out: Obj = {};
  let nil = false;
  for (const [key, v] of Object.entries(value)) {
    if (key === '#text') {
      out[key] = v;
    } else if (key.startsWith('@')) {
      if (key === '@xmlns' || key.startsWith('@xmlns:')) continue;
      const ns = namespaceOf(key, scope);
      if (ns !== undefined && NOISE.has(ns)) {
        if (XSI.has(ns) && key.endsWith(':nil') && (v === 'true' || v === '1')) nil = true;
        continue;
      }
      out[key] = v;
    } else {
      const name = localName(key);
      const items = Array.isArray(v) ? v.map((x) => normalize(x, scope, arrays)) : [normalize(v, scope, arrays)];
      const before = out[name];
      const all = before === undefined ? items : [...(Array.isArray(before) ? before : [before]), ...items];
      out[name] = all.length === 1 && !arrays.has(name) ? all[0]! : all;
    }
  }
  if (nil) return null;
  const keys = Object.keys(out);
  if (keys.length === 0) return '';
  if (keys.length === 1 && keys[0] === '#text') return out['#text']!;
  return out;
}

/** The children of an element (attributes and text left out), each normalized, keyed by local name. */
export function children(value: Json, parent: Scope, arrays: ReadonlySet<string>): Obj {
  if (!isObj(value)) return {};
  const only: Obj = {};
  for (const [key, v] of Object.entries(value)) {
    const xmlns = key === '@xmlns' || key.startsWith('@xmlns:');
    if (xmlns || (!key.startsWith('@') && key !== '#text')) only[key] = v;
  }
  const n = normalize(only, parent, arrays);
  return isObj(n) ? n : {};
}

export interface Envelope {
  /** namespace of the envelope: SOAP 1.1 or 1.2 */
  version?: '1.1' | '1.2';
  header?: Json;
  /** the Body element's mapped value */
  body: Json;
  /** namespaces in scope where Body starts (its own declarations not included) */
  scope: Scope;
}

/** Finds Envelope/Body in a mapped document (any prefix); undefined when it is no SOAP envelope. */
export function findEnvelope(doc: Json): Envelope | undefined {
  if (!isObj(doc)) return undefined;
  const rootKey = Object.keys(doc).find((k) => localName(k) === 'Envelope');
  if (rootKey === undefined) return undefined;
  const env = doc[rootKey]!;
  const scope = scopeOf(env, new Map());
  const envNs = namespaceOf(rootKey, scope);
  if (!isObj(env)) return undefined;
  const bodyKey = Object.keys(env).find((k) => !k.startsWith('@') && localName(k) === 'Body');
  if (bodyKey === undefined) return undefined;
  const headerKey = Object.keys(env).find((k) => !k.startsWith('@') && localName(k) === 'Header');
  const body = env[bodyKey]!;
  return {
    version: envNs === SOAP12_ENV ? '1.2' : envNs === SOAP11_ENV ? '1.1' : undefined,
    header: headerKey === undefined ? undefined : env[headerKey],
    body: Array.isArray(body) ? body[0]! : body,
    scope,
  };
}
