import type { Json } from '../model/index.js';
import { JSON_SCHEMA_DIALECT } from '../openapi/schemas.js';
import { localOf } from './names.js';
import type { JsonSchema } from './types.js';
import type { ElementDecl, SimpleInfo, TypeRef, Xsd } from './xsd.js';

/**
 * XML Schema → JSON Schema (draft 2020-12) of the data the SOAP connector returns, which is the shared
 * XML → JSON mapping read with local names (src/connectors/soap/result.ts):
 * - simple content is a string (values are never converted), with `enum` for enumerations and `format` for
 *   dates, times and URIs;
 * - an element with child elements is an object keyed by their local names; attributes are `@name` keys; the
 *   text of an element that also has attributes is `#text` (without attributes it is just the string);
 * - an element the schema lets repeat (maxOccurs > 1, also through a repeated sequence or choice) is an array,
 *   and so is every element of that name in the same result, as the connector makes them arrays (`arrays`);
 * - an empty complex element is `""`; a nillable one may be null;
 * - a type that contains itself becomes `{ "$ref": "#/$defs/<Type>" }` stored once under `$defs`, so recursive
 *   types stay finite; past a size budget (a few hundred nodes per document) every named type goes to `$defs`.
 */

/** types converted inline per document before named types go to `$defs` (keeps schemas of big WSDLs small) */
const NODE_BUDGET = 200;
const INPUT_BUDGET = 100;

function withDoc(s: Record<string, Json>, doc: string | undefined): Record<string, Json> {
  return doc && s.description === undefined ? { ...s, description: doc } : s;
}

const FORMATS: Record<string, string> = { date: 'date', dateTime: 'date-time', time: 'time', duration: 'duration', anyURI: 'uri' };

const INTEGER = new Set(['integer', 'int', 'long', 'short', 'byte', 'nonNegativeInteger', 'nonPositiveInteger', 'negativeInteger', 'positiveInteger', 'unsignedLong', 'unsignedInt', 'unsignedShort', 'unsignedByte']);
const NUMBER = new Set(['decimal', 'float', 'double']);

/** The JSON type of a value of an XML Schema built-in type. */
export function jsonScalar(base: string): 'integer' | 'number' | 'boolean' | 'string' {
  return INTEGER.has(base) ? 'integer' : NUMBER.has(base) ? 'number' : base === 'boolean' ? 'boolean' : 'string';
}

/** `input`: the schema of a value the developer writes (numbers and booleans typed), not of a result read from XML. */
export function simpleSchema(info: SimpleInfo, input = false): Record<string, Json> {
  if (info.base === 'anyType' || info.base === 'anySimpleType') return withDoc({}, info.doc);
  const type = jsonScalar(info.base);
  if (input && !info.list && type !== 'string') {
    const s: Record<string, Json> = { type };
    if (info.enum) s.enum = info.enum.map((e) => (type === 'boolean' ? e === 'true' || e === '1' : Number(e)));
    return withDoc(s, info.doc);
  }
  const s: Record<string, Json> = { type: 'string' };
  const format = FORMATS[info.base];
  if (format) s.format = format;
  if (info.base === 'base64Binary') s.contentEncoding = 'base64';
  if (info.enum) s.enum = info.enum;
  return withDoc(s, info.doc);
}

export class SchemaConverter {
  /** local names of elements seen with maxOccurs > 1 */
  readonly many = new Set<string>();
  private readonly defs = new Map<string, { name: string; type: TypeRef; schema?: Json }>();
  private readonly defNames = new Set<string>();
  private readonly stack = new Set<string>();
  private nodes = 0;

  constructor(
    private readonly xsd: Xsd,
    private readonly arrays: ReadonlySet<string> = new Set(),
    /** describe values written by the developer (typed scalars) rather than results */
    private readonly input = false,
  ) {}

  /** A standalone JSON Schema document for `body` (computed with this converter), with the `$defs` it needs. */
  document(body: Json): JsonSchema {
    for (let pending = [...this.defs.entries()].filter(([, d]) => d.schema === undefined); pending.length; pending = [...this.defs.entries()].filter(([, d]) => d.schema === undefined)) {
      for (const [key, d] of pending) {
        d.schema = null;
        this.stack.add(key);
        d.schema = this.complex(d.type);
        this.stack.delete(key);
      }
    }
    const out: JsonSchema = { $schema: JSON_SCHEMA_DIALECT };
    if (body && typeof body === 'object' && !Array.isArray(body)) Object.assign(out, body);
    if (this.defs.size) out.$defs = Object.fromEntries([...this.defs.values()].map((d) => [d.name, d.schema ?? {}]));
    return out;
  }

  /** The schema of an element's mapped value. */
  element(decl: ElementDecl): Json {
    let s = this.type(decl.type, decl.key) as Record<string, Json>;
    if (decl.nillable) s = Array.isArray(s.anyOf) ? { ...s, anyOf: [...s.anyOf, { type: 'null' }] } : { anyOf: [s, { type: 'null' }] };
    return withDoc(s, decl.doc);
  }

  /** `{ <name>: <element schema> }`: a document or body holding these elements, each required unless told. */
  object(entries: Array<{ name: string; schema: Json; required: boolean }>): Record<string, Json> {
    const properties: Record<string, Json> = {};
    const required: string[] = [];
    for (const e of entries) {
      properties[e.name] = e.schema;
      if (e.required) required.push(e.name);
    }
    return { type: 'object', properties, ...(required.length ? { required } : {}) };
  }

  type(type: TypeRef, elementKey?: string): Json {
    this.nodes++;
    if (type.kind === 'any') return {};
    if (type.kind === 'builtin' || type.el.localName === 'simpleType') return simpleSchema(this.xsd.simple(type), this.input);
    if (!this.xsd.isComplex(type)) return simpleSchema(this.xsd.simple(type), this.input);
    const key = type.kind === 'named' ? type.key : elementKey;
    if (key !== undefined && (this.stack.has(key) || (type.kind === 'named' && this.nodes > (this.input ? INPUT_BUDGET : NODE_BUDGET)))) return { $ref: `#/$defs/${this.defName(key, type)}` };
    if (key !== undefined) this.stack.add(key);
    try {
      return this.complex(type);
    } finally {
      if (key !== undefined) this.stack.delete(key);
    }
  }

  private defName(key: string, type: TypeRef): string {
    const known = this.defs.get(key);
    if (known) return known.name;
    const base = localOf(key).replace(/[^A-Za-z0-9_.-]/g, '_') || 'Type';
    let name = base;
    for (let i = 2; this.defNames.has(name); i++) name = `${base}_${i}`;
    this.defNames.add(name);
    this.defs.set(key, { name, type });
    return name;
  }

  private complex(type: TypeRef): Json {
    const c = this.xsd.content(type);
    const properties: Record<string, Json> = {};
    const required = new Set<string>();
    for (const p of c.particles) {
      const name = p.decl.name;
      const repeated = p.max > 1 || properties[name] !== undefined;
      if (repeated) this.many.add(name);
      const item = this.element(p.decl);
      const prior = properties[name] as Record<string, Json> | undefined;
      if (prior !== undefined) {
        const items = (prior.items ?? prior) as Json;
        properties[name] = { type: 'array', items: JSON.stringify(items) === JSON.stringify(item) ? item : { anyOf: [items, item] } };
      } else properties[name] = repeated || this.arrays.has(name) ? { type: 'array', items: item } : item;
      if (p.min >= 1 && !p.choice) required.add(name);
    }
    for (const a of c.attributes) {
      properties[`@${a.name}`] = withDoc(simpleSchema(this.xsd.simple(a.type), this.input), a.doc);
      if (a.required) required.add(`@${a.name}`);
    }
    if (c.soapArray) return { type: 'object', description: 'SOAP-encoded array', additionalProperties: { type: 'array', items: this.type(c.soapArray) } };
    const text = c.text ? simpleSchema(this.xsd.simple(c.text), this.input) : c.mixed ? { type: 'string' } : undefined;
    if (!Object.keys(properties).length) return text ?? (c.any ? {} : { type: 'string', const: '' });
    if (text) properties['#text'] = text;
    const object: Record<string, Json> = { type: 'object', properties };
    if (required.size) object.required = [...required];
    // attributes that may all be absent: the element may map to its bare text
    if (c.text && !c.particles.length && !c.attributes.some((a) => a.required)) return { anyOf: [text!, object] };
    return object;
  }
}

/**
 * The output schema of a result built by `build`, and the element names that are arrays in it: a first pass
 * finds which names repeat, the second describes every element of those names as an array.
 */
export function resultSchema(xsd: Xsd, build: (c: SchemaConverter) => Json): { schema: JsonSchema; arrays: string[] } {
  const first = new SchemaConverter(xsd);
  first.document(build(first));
  const second = new SchemaConverter(xsd, first.many);
  return { schema: second.document(build(second)), arrays: [...first.many].sort() };
}
