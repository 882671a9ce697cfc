import type { Json } from '../../model/json.js';
import { children, localName, normalize, scopeOf, type Envelope } from './result.js';

/**
 * A SOAP fault as data: `{ faultcode, faultstring, detail }` (plus `faultactor` when the server names one),
 * the same keys for SOAP 1.1 (faultcode, faultstring, faultactor, detail) and SOAP 1.2 (Code/Value, the first
 * Reason/Text, Role, Detail; Code/Subcode values, outermost first, joined by spaces in `subcode`). `detail` is the detail element's
 * content read like any result (local names, see result.ts), or null when the fault has none.
 */
export interface FaultData {
  faultcode: string;
  faultstring: string;
  faultactor?: string;
  subcode?: string;
  detail: Json;
  [key: string]: Json | undefined;
}

type Obj = { [key: string]: Json };

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function first(v: Json | undefined): Json | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The text of a mapped element: a string, or an object's `#text`. */
function textOf(v: Json | undefined): string | undefined {
  const x = first(v);
  if (x === undefined || x === null) return undefined;
  if (typeof x === 'string') return x;
  if (isObj(x)) return typeof x['#text'] === 'string' ? x['#text'] : undefined;
  return String(x);
}

/** The Fault element in a body, if the body holds one. */
export function findFault(envelope: Envelope): Json | undefined {
  const body = envelope.body;
  if (!isObj(body)) return undefined;
  const key = Object.keys(body).find((k) => !k.startsWith('@') && localName(k) === 'Fault');
  return key === undefined ? undefined : (first(body[key]) ?? '');
}

export function faultData(fault: Json, envelope: Envelope, arrays: ReadonlySet<string>): FaultData {
  const bodyScope = scopeOf(envelope.body, envelope.scope);
  const scope = scopeOf(fault, bodyScope);
  // Fault children are few: read them by local name (prefixes vary, SOAP 1.1 leaves them unqualified).
  const parts = new Map<string, Json>();
  if (isObj(fault)) for (const [k, v] of Object.entries(fault)) if (!k.startsWith('@') && k !== '#text') parts.set(localName(k).toLowerCase(), v);
  const detailOf = (v: Json | undefined): Json => {
    const d = first(v);
    if (d === undefined) return null;
    if (!isObj(d)) return normalize(d, scope, arrays);
    const inner = children(d, scope, arrays);
    if (Object.keys(inner).length) return inner;
    return typeof d['#text'] === 'string' ? d['#text'] : '';
  };
  if (parts.has('code') || parts.has('reason')) {
    const code = first(parts.get('code'));
    const codes: string[] = [];
    for (let c: Json | undefined = code, n = 0; isObj(c) && n < 10; n++) {
      const value = Object.entries(c).find(([k]) => localName(k) === 'Value');
      const text = textOf(value?.[1]);
      if (text) codes.push(text);
      c = first(Object.entries(c).find(([k]) => localName(k) === 'Subcode')?.[1]);
    }
    const reason = first(parts.get('reason'));
    const texts = isObj(reason) ? Object.entries(reason).find(([k]) => localName(k) === 'Text')?.[1] : reason;
    const out: FaultData = { faultcode: codes[0] ?? '', faultstring: textOf(texts) ?? '', detail: detailOf(parts.get('detail')) };
    if (codes.length > 1) out.subcode = codes.slice(1).join(' ');
    const role = textOf(parts.get('role'));
    if (role) out.faultactor = role;
    return out;
  }
  const out: FaultData = { faultcode: textOf(parts.get('faultcode')) ?? '', faultstring: textOf(parts.get('faultstring')) ?? '', detail: detailOf(parts.get('detail')) };
  const actor = textOf(parts.get('faultactor'));
  if (actor) out.faultactor = actor;
  return out;
}
