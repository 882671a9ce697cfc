import type { Json } from '../../model/json.js';

/**
 * The one-pass road of the XML → JSON mapping (rules: xml-to-json.ts). Most responses (SOAP envelopes, plain
 * XML APIs) use a small, plainly well-formed part of XML; for those this reader checks and maps in a single
 * scan, instead of fast-xml-parser's separate validation pass and its slower parse. It gives up (returns
 * undefined) at the first thing outside that part, and the caller then takes the full road (validator +
 * parser), which also produces the error message and position. So for every document it accepts, the result
 * is the one the full road gives (test/connectors/xml-fast-path.test.ts compares both, fuzzed), and it never
 * decides that a document is malformed.
 *
 * Handled: a BOM, any line ends, an optional `<?xml ...?>` declaration at the very start, elements and
 * attributes with ASCII names, quoted attribute values, text, CDATA, comments inside the root element, the 5 XML
 * entities and character references. Gives up on: processing instructions, DOCTYPE, comments outside the root
 * element, non-ASCII names, `<` `>` in attribute values, repeated attributes, any `&` that is not a plain
 * reference, text outside the root element, nesting deeper than 500, and anything malformed.
 */

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z_][A-Za-z0-9._-]*);/g;

function decodeReference(match: string, ref: string): string {
  if (ref[0] !== '#') return XML_ENTITIES[ref] ?? match;
  const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
}

/** Decodes the 5 XML entities and character references only; any other reference stays as written. */
export function decodeReferences(text: string): string {
  return text.indexOf('&') === -1 ? text : text.replace(REFERENCE, decodeReference);
}

/** Names mapped with a `__` prefix, as the full road does (clashes with object internals). */
const GUARDED = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** An XML declaration the full road reads as such (pseudo-attributes with plain quoted values). */
const DECLARATION = /<\?xml(?:[ \t\n]+[A-Za-z]+[ \t\n]*=[ \t\n]*(?:"[^"<>&?]*"|'[^'<>&?]*'))*[ \t\n]*\?>/y;
/** A reference in text that fast-xml-parser's validator accepts (and REFERENCE decodes or keeps). */
const TEXT_REFERENCE = /&(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z0-9_]{1,19});/y;
const MAX_DEPTH = 500;

type Obj = { [key: string]: Json };

interface Frame {
  name: string;
  key: string;
  children: Obj | undefined;
  text: string | undefined;
  attrs: Obj | undefined;
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 58;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9;
}

/** End of the ASCII name starting at i (i itself when there is none). */
function nameEnd(xml: string, i: number): number {
  if (!isNameStart(xml.charCodeAt(i))) return i;
  let j = i + 1;
  while (isNameChar(xml.charCodeAt(j))) j++;
  return j;
}

function skipSpace(xml: string, i: number): number {
  while (isSpace(xml.charCodeAt(i))) i++;
  return i;
}

/** Whether every `&` of a run of text (between two pieces of markup) starts a reference the validator accepts. */
function plainReferences(raw: string): boolean {
  let amp = raw.indexOf('&');
  while (amp !== -1) {
    TEXT_REFERENCE.lastIndex = amp;
    if (!TEXT_REFERENCE.test(raw)) return false;
    amp = raw.indexOf('&', TEXT_REFERENCE.lastIndex);
  }
  return true;
}

/** An element's value once closed, as fast-xml-parser compresses it: children, then `#text`, then attributes. */
function valueOf(frame: Frame): Json {
  const obj = frame.children ?? {};
  if (frame.text) obj['#text'] = frame.text;
  if (frame.attrs) {
    for (const key in frame.attrs) obj[key] = frame.attrs[key]!;
    return obj;
  }
  const count = Object.keys(obj).length;
  if (count === 0) return '';
  if (count === 1 && frame.text) return frame.text;
  return obj;
}

function addChild(parent: Frame, key: string, value: Json): void {
  const children = (parent.children ??= {});
  if (!Object.hasOwn(children, key)) children[key] = value;
  else {
    const before = children[key]!;
    if (Array.isArray(before)) before.push(value);
    else children[key] = [before, value];
  }
}

/** Reads the attributes of a start tag from i; [attributes, index of `>` or `/>`], or undefined to give up. */
function readAttributes(xml: string, i: number): [Obj | undefined, number] | undefined {
  let attrs: Obj | undefined;
  for (;;) {
    const j = skipSpace(xml, i);
    const c = xml.charCodeAt(j);
    if (c === 62 || (c === 47 && xml.charCodeAt(j + 1) === 62)) return [attrs, j];
    if (j === i) return undefined; // no space before an attribute
    const end = nameEnd(xml, j);
    if (end === j) return undefined;
    const key = `@${xml.slice(j, end)}`;
    let k = skipSpace(xml, end);
    if (xml.charCodeAt(k) !== 61) return undefined;
    k = skipSpace(xml, k + 1);
    const quote = xml.charCodeAt(k);
    if (quote !== 34 && quote !== 39) return undefined;
    const close = xml.indexOf(quote === 34 ? '"' : "'", k + 1);
    if (close === -1) return undefined;
    const raw = xml.slice(k + 1, close);
    if (raw.indexOf('<') !== -1 || raw.indexOf('>') !== -1) return undefined;
    attrs ??= {};
    if (Object.hasOwn(attrs, key)) return undefined;
    attrs[key] = decodeReferences(raw.trim());
    i = close + 1;
  }
}

/** The mapped document, or undefined when the full road must decide (see above). */
export function fastXmlToJson(source: string): Json | undefined {
  // line ends normalized first, as the full road's parser does (its validator takes \r as white space)
  const xml = source.indexOf('\r') === -1 ? source : source.replace(/\r\n?/g, '\n');
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (xml.startsWith('<?xml', i)) {
    DECLARATION.lastIndex = i;
    if (!DECLARATION.test(xml)) return undefined;
    i = DECLARATION.lastIndex;
  }
  i = skipSpace(xml, i);
  if (xml.charCodeAt(i) !== 60) return undefined;
  const stack: Frame[] = [];
  // raw text since the last tag: comments do not split it (the full road joins text around a comment)
  let pending = '';
  for (;;) {
    // here xml[i] is '<'
    const c1 = xml.charCodeAt(i + 1);
    const top = stack[stack.length - 1];
    if (c1 === 33 && xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end === -1 || !top) return undefined;
      i = end + 3;
    } else {
      if (pending) {
        // trimmed, then decoded: the full road's order
        const piece = decodeReferences(pending.trim());
        if (piece) top!.text = (top!.text ?? '') + piece;
        pending = '';
      }
      if (c1 === 47) {
        // end tag
        if (!top) return undefined;
        const end = nameEnd(xml, i + 2);
        if (end - (i + 2) !== top.name.length || !xml.startsWith(top.name, i + 2)) return undefined;
        const gt = skipSpace(xml, end);
        if (xml.charCodeAt(gt) !== 62) return undefined;
        stack.pop();
        const value = valueOf(top);
        const parent = stack[stack.length - 1];
        if (!parent) {
          // the root is closed: only white space may follow
          return skipSpace(xml, gt + 1) === xml.length ? { [top.key]: value } : undefined;
        }
        addChild(parent, top.key, value);
        i = gt + 1;
      } else if (c1 === 33) {
        if (!top || !xml.startsWith('<![CDATA[', i)) return undefined;
        const end = xml.indexOf(']]>', i + 9);
        if (end === -1) return undefined;
        top.text = (top.text ?? '') + xml.slice(i + 9, end);
        i = end + 3;
      } else {
        // start tag
        const end = nameEnd(xml, i + 1);
        if (end === i + 1) return undefined;
        const name = xml.slice(i + 1, end);
        const read = readAttributes(xml, end);
        if (!read) return undefined;
        const [attrs, gt] = read;
        const frame: Frame = { name, key: GUARDED.has(name) ? `__${name}` : name, children: undefined, text: undefined, attrs };
        if (xml.charCodeAt(gt) === 47) {
          // <empty/>
          if (!top) return skipSpace(xml, gt + 2) === xml.length ? { [frame.key]: valueOf(frame) } : undefined;
          addChild(top, frame.key, valueOf(frame));
          i = gt + 2;
        } else {
          if (stack.length >= MAX_DEPTH) return undefined;
          stack.push(frame);
          i = gt + 1;
        }
      }
    }
    // text up to the next tag
    const lt = xml.indexOf('<', i);
    if (lt === -1) return undefined;
    if (lt > i) {
      const raw = xml.slice(i, lt);
      if (!plainReferences(raw)) return undefined;
      pending += raw;
    }
    i = lt;
  }
}
