/**
 * XML → JSON mapping (HTTP transactions of type xml, and json transactions answered with XML)
 *
 * - The document becomes an object with one key, the root element's name: `<order/>` → `{ "order": "" }`.
 * - An element becomes a property named by its tag, namespace prefix kept as written: `<s:Body>` → `"s:Body"`.
 * - Attributes become `@name` keys, prefix kept: `id="7"` → `"@id": "7"`, `xmlns:s="urn:x"` → `"@xmlns:s": "urn:x"`.
 * - An element holding only text becomes that text, as a string: `<code>007</code>` → `"code": "007"`. Values are
 *   never converted: numbers, booleans and dates stay strings exactly as written.
 * - An element with attributes or child elements keeps its text under `#text`:
 *   `<price currency="EUR">9.90</price>` → `"price": { "@currency": "EUR", "#text": "9.90" }`.
 * - Repeated sibling elements of the same name become an array, in document order:
 *   `<item>a</item><item>b</item>` → `"item": ["a", "b"]`. A single element stays a single value, not an array.
 * - An empty element (`<note/>` or `<note></note>`) becomes `""`; an empty element with attributes becomes the
 *   object of its attributes: `<link href="x"/>` → `"link": { "@href": "x" }`.
 * - Text is trimmed, and whitespace-only text between elements is dropped. The text pieces of mixed content
 *   are each trimmed and joined into `#text`: `<p>Hello <b>you</b>!</p>` → `"p": { "b": "you", "#text": "Hello!" }`.
 * - CDATA sections are text. Comments, processing instructions and the XML declaration are dropped.
 * - Entities: the five XML entities (`&lt; &gt; &amp; &quot; &apos;`) and character references (`&#233; &#xE9;`)
 *   are decoded. A DOCTYPE is ignored: entities it declares are never expanded and nothing external is ever
 *   fetched (no XXE, no entity bombs); a reference to any other entity stays as written (`&foo;`).
 * - Element names that would clash with JavaScript object internals (`__proto__`, `constructor`, `prototype`,
 *   `hasOwnProperty`, `toString`, `valueOf`, `__defineGetter__`, `__defineSetter__`, `__lookupGetter__`,
 *   `__lookupSetter__`) get a `__` prefix: `<constructor>` → `"__constructor"`. Attribute keys start with `@` and
 *   never clash.
 * - The raw XML text is kept beside the data (`TxResult.xml`), so sources can still use XPath on it.
 */
import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';
import type { Json } from '../../model/json.js';
import { decodeReferences, fastXmlToJson } from './xml-fast-path.js';

/** A malformed XML document, with the 1-based position of the first error. */
export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

/** Decodes the 5 XML entities and character references only; entities a DOCTYPE declares are ignored. */
const xmlOnlyEntities = {
  setExternalEntities() {},
  addInputEntities() {},
  reset() {},
  setXmlVersion() {},
  decode(text: string): string {
    return decodeReferences(text);
  },
};

const CRITICAL_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

const options: X2jOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  cdataPropName: false,
  commentPropName: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
  entityDecoder: xmlOnlyEntities,
  allowBooleanAttributes: false,
  alwaysCreateTextNode: false,
  strictReservedNames: false,
  maxNestedTags: 1000,
  transformTagName: (name) => (CRITICAL_NAMES.has(name) ? `__${name}` : name),
  onDangerousProperty: (name) => `__${name}`,
};

const parser = new XMLParser(options);

/** Where the prolog's DOCTYPE starts (after the XML declaration, comments and processing instructions), or -1. */
function doctypeStart(xml: string): number {
  let i = 0;
  for (;;) {
    while (i < xml.length && /[\s\uFEFF]/.test(xml[i]!)) i++;
    if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i + 2);
      if (end === -1) return -1;
      i = end + 2;
    } else if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end === -1) return -1;
      i = end + 3;
    } else return xml.startsWith('<!DOCTYPE', i) ? i : -1;
  }
}

/**
 * Blanks out the DOCTYPE declaration of the prolog (internal subset included), keeping line breaks so error
 * positions stay right. The parser then never sees entity declarations: nothing can be expanded or fetched.
 */
export function stripDoctype(xml: string): string {
  const start = doctypeStart(xml);
  if (start === -1) return xml;
  let i = start + 9;
  let quote = '';
  let depth = 0;
  for (; i < xml.length; i++) {
    const c = xml[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      i = end === -1 ? xml.length : end + 2;
    } else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) break;
  }
  const end = Math.min(i + 1, xml.length);
  return xml.slice(0, start) + xml.slice(start, end).replace(/[^\n]/g, ' ') + xml.slice(end);
}

/** Parses an XML document into JSON with the mapping above; throws XmlSyntaxError on malformed XML. */
export function xmlToJson(xml: string): Json {
  // one scan for plain documents; anything else (and every malformed document) takes the full road below
  return fastXmlToJson(xml) ?? fullXmlToJson(xml);
}

/** The full road: fast-xml-parser's validator (errors with positions), then its parser. */
export function fullXmlToJson(xml: string): Json {
  const text = stripDoctype(xml);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const msg = valid.err.msg.replace(/\.$/, '');
    const line = valid.err.line || 1;
    const col = valid.err.col || 1;
    throw new XmlSyntaxError(`${msg} at line ${line} column ${col}`, line, col);
  }
  try {
    return parser.parse(text) as Json;
  } catch (e) {
    // the validator passed but the parser refused (e.g. a DOCTYPE outside the prolog): still a malformed document
    throw new XmlSyntaxError((e as Error).message, 0, 0);
  }
}
