import type { Json } from '../model/index.js';
import { isObj, RefError, type Loc, type Obj, type SpecDoc } from './refs.js';
import type { ImportWarning, JsonSchema } from './types.js';

/**
 * Converts an OpenAPI / Swagger schema into a self-contained JSON Schema (draft 2020-12) document:
 * - references are inlined; a reference back into a schema being inlined (a cycle) becomes
 *   `{ "$ref": "#/$defs/<Name>" }` with the target stored once under `$defs`, so recursive schemas stay finite;
 *   past a size budget the remaining references go to `$defs` too;
 * - OAS 3.0 `nullable` and Swagger 2 `x-nullable` become a `null` member of `type` (and of `enum`);
 * - boolean `exclusiveMinimum`/`exclusiveMaximum` become numbers; `example` becomes `examples: [...]`;
 * - Swagger 2 `type: file` becomes `{ type: string, format: binary }`;
 * - OpenAPI-only keywords (`discriminator`, `xml`, `externalDocs`) and `x-` extensions are dropped.
 */

export type SpecFormat = 'swagger-2.0' | 'openapi-3.0' | 'openapi-3.1';

const SCHEMA_MAP = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions']);
const SCHEMA_ONE = new Set([
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contentSchema',
  'additionalItems',
]);
const SCHEMA_LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const DROPPED = new Set(['nullable', 'x-nullable', 'discriminator', 'xml', 'externalDocs', 'example', '$schema', '$id', '$anchor', '$dynamicAnchor', 'id']);
const NODE_BUDGET = 2_000;

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * Conversions of referenced schemas that did not depend on where they were inlined (no cycle cut, no
 * budget cut inside), shared by every document of one import: a schema used by 300 operations is
 * converted once. The results are shared objects; they are only serialized, never mutated.
 */
export type ConversionCache = Map<string, { json: Json; nodes: number }>;

export class SchemaConverter {
  private defs = new Map<string, { name: string; loc: Loc; schema?: Json }>();
  private defNames = new Set<string>();
  private inlining = new Set<string>();
  private nodes = 0;
  /** how many references were cut to $defs so far: a conversion that cut none is context-free */
  private cuts = 0;

  constructor(
    private readonly doc: SpecDoc,
    private readonly format: SpecFormat,
    private readonly warn: (w: ImportWarning) => void,
    private readonly cache: ConversionCache = new Map(),
  ) {}

  /** The JSON Schema document for `loc`; `examples` (the response's own examples) go first in its `examples`. */
  document(loc: Loc, examples: Json[] = []): JsonSchema {
    this.defs = new Map();
    this.defNames = new Set();
    this.inlining = new Set();
    this.nodes = 0;
    this.cuts = 0;
    const body = this.convert(loc);
    const root: Obj = body === true ? {} : body === false ? { not: {} } : (body as Obj);
    const out: Record<string, Json> = { $schema: JSON_SCHEMA_DIALECT };
    for (const [k, v] of Object.entries(root)) out[k] = v as Json;
    if (examples.length) out.examples = [...examples, ...(Array.isArray(root.examples) ? (root.examples as Json[]) : [])];
    // Definitions reached through cycles; converting one may reach more.
    for (let pending = [...this.defs.values()].filter((d) => d.schema === undefined); pending.length; pending = [...this.defs.values()].filter((d) => d.schema === undefined)) {
      for (const d of pending) {
        const key = `${d.loc.f}#${d.loc.p}`;
        this.inlining.add(key);
        d.schema = null;
        d.schema = this.convert(d.loc);
        this.inlining.delete(key);
      }
    }
    if (this.defs.size) {
      const $defs: Record<string, Json> = {};
      for (const d of [...this.defs.values()].sort((a, b) => a.name.localeCompare(b.name))) $defs[d.name] = d.schema ?? {};
      out.$defs = $defs;
    }
    return out;
  }

  private convert(loc: Loc): Json {
    this.nodes++;
    const v = loc.v;
    if (v === true || v === false) return v;
    if (!isObj(v)) return {};
    if (typeof v.$ref === 'string') return this.reference(loc as Loc<Obj>);
    const out: Record<string, Json> = {};
    let nullable = v.nullable === true || v['x-nullable'] === true;
    for (const key of Object.keys(v)) {
      if (DROPPED.has(key) || key.startsWith('x-')) continue;
      const value = v[key];
      const at = (): Loc => this.doc.child(loc, key);
      if (key === 'properties' || SCHEMA_MAP.has(key)) {
        if (!isObj(value)) continue;
        const map: Record<string, Json> = {};
        for (const [name, child] of this.doc.entries(at())) map[name] = this.convert(child);
        out[key === 'definitions' ? '$defs' : key] = map;
      } else if (key === 'items') {
        if (Array.isArray(value)) out.prefixItems = this.doc.items(at()).map((c) => this.convert(c));
        else out.items = this.convert(at());
      } else if (SCHEMA_ONE.has(key)) {
        if (key === 'additionalItems') continue;
        out[key] = typeof value === 'boolean' ? value : this.convert(at());
      } else if (SCHEMA_LIST.has(key)) {
        if (Array.isArray(value)) out[key] = this.doc.items(at()).map((c) => this.convert(c));
      } else if (key === 'type') {
        if (value === 'file') {
          out.type = 'string';
          if (v.format === undefined) out.format = 'binary';
        } else if (typeof value === 'string' || Array.isArray(value)) out.type = value as Json;
      } else if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'boolean') {
        const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
        if (value && typeof v[bound] === 'number') out[key] = v[bound] as number;
      } else if ((key === 'minimum' || key === 'maximum') && v[key === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum'] === true) {
        continue;
      } else if (key === 'examples' && this.format !== 'openapi-3.1' && !Array.isArray(value)) {
        continue;
      } else {
        out[key] = value as Json;
      }
    }
    if (v.example !== undefined && out.examples === undefined) out.examples = [v.example as Json];
    if (Array.isArray(v.type) && v.type.includes('null')) nullable = false;
    if (nullable) {
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    }
    return out;
  }

  private reference(loc: Loc<Obj>): Json {
    const ref = loc.v.$ref as string;
    let target: Loc;
    try {
      target = this.doc.resolve(ref, loc);
    } catch (e) {
      if (!(e instanceof RefError)) throw e;
      this.warn({
        code: 'schema-ref-unresolved',
        message: `${e.message}; the schema there is left open`,
        file: this.doc.file(loc),
        pointer: loc.p,
      });
      return { $comment: `unresolved $ref ${ref}: ${e.reason}` };
    }
    const key = `${target.f}#${target.p}`;
    // OAS 3.1 (JSON Schema) allows keywords beside $ref; keep the annotations a reader sees.
    const notes: Record<string, Json> = {};
    for (const k of ['description', 'title', 'deprecated', 'readOnly', 'writeOnly', 'default'] as const) {
      if (loc.v[k] !== undefined) notes[k] = loc.v[k] as Json;
    }
    const hit = this.cache.get(key);
    if (hit && this.nodes + hit.nodes <= NODE_BUDGET) {
      this.nodes += hit.nodes;
      return withNotes(hit.json, notes);
    }
    if (this.inlining.has(key) || this.nodes > NODE_BUDGET) {
      this.cuts++;
      return { $ref: `#/$defs/${this.defName(key, target)}`, ...notes };
    }
    this.inlining.add(key);
    const cuts = this.cuts;
    const nodes = this.nodes;
    try {
      const body = this.convert(target);
      if (this.cuts === cuts) this.cache.set(key, { json: body, nodes: this.nodes - nodes });
      return withNotes(body, notes);
    } finally {
      this.inlining.delete(key);
    }
  }

  private defName(key: string, target: Loc): string {
    const known = this.defs.get(key);
    if (known) return known.name;
    const last = target.p ? target.p.slice(target.p.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~') : (target.f.split('/').pop() ?? 'schema').replace(/\.(ya?ml|json)$/i, '');
    const base = last.replace(/[^A-Za-z0-9_.-]+/g, '_') || 'schema';
    let name = base;
    for (let i = 2; this.defNames.has(name); i++) name = `${base}_${i}`;
    this.defNames.add(name);
    this.defs.set(key, { name, loc: target });
    return name;
  }
}

function withNotes(body: Json, notes: Record<string, Json>): Json {
  if (!Object.keys(notes).length) return body;
  return isObj(body) ? { ...(body as Record<string, Json>), ...notes } : { allOf: [body], ...notes };
}

/** Stable text of a schema file: 2-space JSON with a final newline. */
export function schemaText(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
