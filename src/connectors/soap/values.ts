import type { Variable } from '../../model/variable.js';
import type { Vars } from '../connector-kind.js';

/**
 * Variable values → what goes into the request, in the shape of the XML → JSON mapping read backwards:
 * an object's keys are child elements, `@name` keys are attributes, `#text` is the element's text, an array
 * repeats its element. `soapArgs` builds the `soap` package's arguments (its own convention: `attributes`
 * and `$value`); `headerXml` writes a SOAP header block.
 */

const CLARK = /^\{([^}]*)\}(.+)$/;

/** `{urn:x}Auth` → { ns: 'urn:x', local: 'Auth' }; a plain name has no namespace. */
export function splitClark(name: string): { ns?: string; local: string } {
  const m = CLARK.exec(name);
  return m ? { ns: m[1] || undefined, local: m[2]! } : { local: name };
}

export function wireOf(v: Variable): string {
  return v.wireName ?? v.name;
}

export function isHeader(v: Variable): boolean {
  return v.in === 'header';
}

type Loose = Record<string, unknown>;

/** Our convention → the soap package's: `@a` → attributes.a, `#text` → $value; arrays and scalars as they are. */
export function toSoapValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSoapValue);
  if (value === null || typeof value !== 'object') return value;
  const out: Loose = {};
  let attributes: Loose | undefined;
  for (const [key, v] of Object.entries(value as Loose)) {
    if (key.startsWith('@')) (attributes ??= {})[key.slice(1)] = v;
    else if (key === '#text') out.$value = v;
    else out[key] = toSoapValue(v);
  }
  if (attributes) out.attributes = attributes;
  return out;
}

/**
 * The body arguments: each body variable under its wire name (`@name` wire names are attributes of the
 * input element). `simple`: the input element has a simple type, so its one variable is the value itself.
 */
export function soapArgs(variables: readonly Variable[], vars: Vars, simple: boolean): unknown {
  const body = variables.filter((v) => !isHeader(v) && vars[v.name] !== undefined);
  if (simple && body.length === 1 && !wireOf(body[0]!).startsWith('@')) return toSoapValue(vars[body[0]!.name]);
  const out: Loose = {};
  for (const v of body) out[wireOf(v)] = vars[v.name];
  return toSoapValue(out);
}

const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string): string => escapeText(s).replace(/"/g, '&quot;');
const XML_NAME = /^[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?$/;

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One element (or one per item of an array) named `name`, with `head` added to its start tag. */
function element(name: string, value: unknown, head = ''): string {
  if (Array.isArray(value)) return value.map((item) => element(name, item, head)).join('');
  if (!XML_NAME.test(name)) throw new Error(`"${name}" is not an XML element name`);
  if (value === null || value === undefined) return `<${name}${head} xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>`;
  if (typeof value !== 'object') return `<${name}${head}>${escapeText(text(value))}</${name}>`;
  let attrs = '';
  let inner = '';
  for (const [key, v] of Object.entries(value as Loose)) {
    if (key.startsWith('@')) {
      if (!XML_NAME.test(key.slice(1))) throw new Error(`"${key}" is not an XML attribute name`);
      attrs += ` ${key.slice(1)}="${escapeAttr(text(v))}"`;
    } else if (key === '#text') inner += escapeText(text(v));
    else inner += element(key, v);
  }
  return `<${name}${head}${attrs}>${inner}</${name}>`;
}

/**
 * A SOAP header block for `{ns}local` holding `value`. With a namespace, `qualified` children share it (a
 * default namespace); otherwise they are unqualified (the header element alone carries a prefix).
 */
export function headerXml(wire: string, value: unknown, qualified: boolean): string {
  const { ns, local } = splitClark(wire);
  if (!ns) return element(local, value);
  const quoted = escapeAttr(ns);
  return qualified ? element(local, value, ` xmlns="${quoted}"`) : element(`th:${local}`, value, ` xmlns:th="${quoted}"`);
}
