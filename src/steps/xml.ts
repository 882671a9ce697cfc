import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Json } from '../model/index.js';
import { TrellisError } from '../engine/errors.js';

/**
 * XML ↔ JSON for the XML steps and the XML file steps. Documents with a DTD are refused outright: no
 * external entity, no entity expansion bomb can reach the parser (DESIGN.md security rule).
 * Attributes become `@name` keys, text next to elements or attributes becomes `#text`.
 */

const ATTR = '@';
const TEXT = '#text';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

const builder = (pretty: boolean) =>
  new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: ATTR, textNodeName: TEXT, format: pretty, indentBy: '  ', suppressEmptyNode: true, processEntities: true });

/** JSON of an XML text; `where` names the input in errors. */
export function xmlToJson(text: string, where: string): Json {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new TrellisError('BAD_RESPONSE', `${where}: XML with a DOCTYPE or ENTITY declaration is refused (external entities are not allowed)`);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new TrellisError('BAD_RESPONSE', `${where}: not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  try {
    return parser.parse(text) as Json;
  } catch (e) {
    // e.g. nesting deeper than the parser's bound: said with the input's name
    throw new TrellisError('BAD_RESPONSE', `${where}: ${(e as Error).message}`);
  }
}

/** Deeper JSON is refused before the (recursive) XML builder: no document needs it, and the stack would overflow. */
const MAX_DEPTH = 1000;

const NAME = /^[A-Za-z_][A-Za-z0-9._-]*(:[A-Za-z_][A-Za-z0-9._-]*)?$/;

export function checkXmlName(name: string, what: string): string {
  if (!NAME.test(name) || /^xml/i.test(name.split(':').pop()!)) throw new TrellisError('BAD_VARIABLE', `${what} "${name.slice(0, 60)}" is not a valid XML name (a letter or _ first, then letters, digits, . _ -)`);
  return name;
}

/** XML text of a JSON value under a root element (an object with one key is that root when `root` is absent). */
export function jsonToXml(value: Json, root: string | undefined, pretty: boolean): string {
  let doc: Json = value;
  if (root !== undefined) doc = { [checkXmlName(root, 'the root element')]: value };
  else if (!(value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1))
    throw new TrellisError('BAD_VARIABLE', 'the value needs a single top-level key to be an XML document: set `root`');
  checkNames(doc);
  return `<?xml version="1.0" encoding="UTF-8"?>${pretty ? '\n' : ''}${builder(pretty).build(doc) as string}`;
}

function checkNames(v: Json, depth = 0): void {
  if (depth > MAX_DEPTH) throw new TrellisError('BAD_VARIABLE', `the value is nested more than ${MAX_DEPTH} levels deep: too deep to write as XML`);
  if (Array.isArray(v)) v.forEach((x) => checkNames(x, depth + 1));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (k !== TEXT) checkXmlName(k.startsWith(ATTR) ? k.slice(ATTR.length) : k, 'the key');
      checkNames(x, depth + 1);
    }
}

/** An element being built by XML Element steps. */
export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: Array<XmlNode | string>;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

export function serializeNode(n: XmlNode): string {
  const attrs = Object.entries(n.attributes)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  if (!n.children.length) return `<${n.name}${attrs}/>`;
  return `<${n.name}${attrs}>${n.children.map((c) => (typeof c === 'string' ? escapeXml(c) : serializeNode(c))).join('')}</${n.name}>`;
}

export function textOf(v: Json | undefined): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}
