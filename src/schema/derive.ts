import type { Json, Project, Sequence, Variable } from '../model/index.js';
import { compileSequence } from '../engine/sequence/compile.js';
import { Ref, SLOT_VARIABLES, SourceRef } from '../engine/sources.js';
import type { PathSegment } from '../engine/sources/path.js';
import type { DeriveContext, RunStep } from '../steps/step-kind.js';
import { inferSchema } from './infer.js';
import { mergeSchemas } from './merge.js';
import { typesOf, type JSONSchema } from './types.js';

/** Stored output schemas of transactions, by '<connector>.<transaction>'. */
export type TransactionSchemas = Readonly<Record<string, JSONSchema>>;

/**
 * Output schemas of a sequence's steps, by step id, for the source picker: Call Transaction → the stored
 * schema of its transaction, Call Sequence → the called sequence's output, Iterate → {item, index, count}
 * with the item schema of what it goes over, JSON Object / Array → what their descendants build, JSON
 * Value, Set Variable, Output → their value's schema (a constant's inferred schema, a source's schema at its
 * path, {} for expressions). Unknown is `{}`.
 */
export function deriveStepSchemas(project: Project, sequence: Sequence, txSchemas: TransactionSchemas): Record<string, JSONSchema> {
  return new Deriver(project, txSchemas, new Set([sequence.name])).steps(sequence).schemas;
}

/** The schema of what a sequence returns (for Call Sequence sources and the OpenAPI export). */
export function deriveSequenceOutputSchema(project: Project, sequence: Sequence, txSchemas: TransactionSchemas): JSONSchema {
  return new Deriver(project, txSchemas, new Set([sequence.name])).output(sequence);
}

/** The schema of a sequence's declared variables, as sources read them ({from: variables}). */
export function variablesSchema(variables: readonly Variable[]): JSONSchema {
  const properties: Record<string, JSONSchema> = {};
  for (const v of variables) {
    let s: JSONSchema = v.type === 'json' ? {} : { type: v.type === 'file' ? 'string' : v.type };
    if (v.enum) s.enum = v.enum;
    if (v.multivalued) s = { type: 'array', items: s };
    if (v.description) s.description = v.description;
    properties[v.name] = s;
  }
  const required = variables.filter((v) => v.required || v.default !== undefined).map((v) => v.name);
  return required.length ? { type: 'object', properties, required } : { type: 'object', properties };
}

class Deriver {
  constructor(
    private readonly project: Project,
    private readonly tx: TransactionSchemas,
    private readonly stack: Set<string>,
  ) {}

  steps(sequence: Sequence): { schemas: Record<string, JSONSchema>; of: (s: RunStep) => JSONSchema; derive: DeriveContext; compiled: ReturnType<typeof compileSequence> } {
    const compiled = compileSequence(sequence);
    const memo = new Map<RunStep, JSONSchema>();
    const busy = new Set<RunStep>();
    const vars = variablesSchema(sequence.variables);
    const of = (step: RunStep): JSONSchema => {
      let s = memo.get(step);
      if (s) return s;
      if (busy.has(step)) return {}; // a source on an enclosing builder: invalid anyway, reported by the check
      busy.add(step);
      s = step.kind.outputSchema?.(step, derive) ?? {};
      busy.delete(step);
      memo.set(step, s);
      return s;
    };
    const derive: DeriveContext = {
      project: this.project,
      value: (v) => {
        if (v instanceof SourceRef) {
          if (!v.path || v.path.xpath) return {};
          let root: JSONSchema = {};
          if (v.slot === SLOT_VARIABLES) root = vars;
          else if (v.slot >= 0) {
            const target = compiled.all[v.slot]!;
            root = v.meta ? (target.kind.metaSchema ?? {}) : of(target);
          }
          return walk(root, v.path.segments);
        }
        if (v instanceof Ref || v === undefined) return {};
        return inferSchema(v as Json);
      },
      transaction: (target) => this.tx[target] ?? {},
      sequence: (name) => {
        const target = this.project.sequences.find((s) => s.name === name);
        if (!target || this.stack.has(name)) return {};
        return new Deriver(this.project, this.tx, new Set([...this.stack, name])).output(target);
      },
      built: (step) => built(step, of),
    };
    const schemas: Record<string, JSONSchema> = {};
    for (const step of compiled.all) if (!(step.id in schemas)) schemas[step.id] = of(step);
    return { schemas, of, derive, compiled };
  }

  /** Output rule (runner): Output / Return values when there are some, else the last top-level builder, else null. */
  output(sequence: Sequence): JSONSchema {
    const { of, derive, compiled } = this.steps(sequence);
    let out: JSONSchema | undefined;
    let lastBuilder: RunStep | undefined;
    const visit = (steps: readonly RunStep[], inBuilder: boolean) => {
      for (const step of steps) {
        const s = step.kind.sequenceOutput?.(step, derive);
        if (s) out = out ? mergeSchemas(out, s) : s;
        const builds = step.kind.builder === 'object' || step.kind.builder === 'array';
        if (builds && !inBuilder) lastBuilder = step;
        visit(step.children, inBuilder || builds);
      }
    };
    visit(compiled.root, false);
    return out ?? (lastBuilder ? of(lastBuilder) : { type: 'null' });
  }
}

/** What a builder builds: its builder descendants, reached through flow containers. */
function built(step: RunStep, of: (s: RunStep) => JSONSchema): JSONSchema {
  const parts: Array<{ key: string | undefined; schema: JSONSchema; optional: boolean }> = [];
  const collect = (children: readonly RunStep[], optional: boolean) => {
    for (const c of children) {
      if (c.kind.builder) {
        const key = (c.props as { key?: unknown }).key;
        parts.push({ key: key === undefined ? c.id : typeof key === 'string' ? key : undefined, schema: of(c), optional });
      } else if (c.children.length) collect(c.children, true); // a flow container may run it zero or many times
    }
  };
  collect(step.children, false);
  if (step.kind.builder === 'array') {
    let items: JSONSchema | undefined;
    for (const p of parts) items = items ? mergeSchemas(items, p.schema) : p.schema;
    return items ? { type: 'array', items } : { type: 'array' };
  }
  const properties: Record<string, JSONSchema> = {};
  const required: string[] = [];
  let dynamic: JSONSchema | undefined;
  for (const p of parts) {
    if (p.key === undefined) dynamic = dynamic ? mergeSchemas(dynamic, p.schema) : p.schema;
    else {
      properties[p.key] = properties[p.key] ? mergeSchemas(properties[p.key]!, p.schema) : p.schema;
      if (!p.optional && !required.includes(p.key)) required.push(p.key);
    }
  }
  const out: JSONSchema = { type: 'object', properties };
  if (required.length) out.required = required;
  if (dynamic) out.additionalProperties = dynamic;
  return out;
}

/** Flattens an anyOf into one schema, so walking and listing see every branch's members. */
export function flatten(schema: JSONSchema): JSONSchema {
  if (!schema.anyOf) return schema;
  return schema.anyOf.reduce<JSONSchema>((acc, s) => mergeSchemas(acc, flatten(s)), {});
}

/** The schema at a JSONPath, following the runner's rule: a non-singular path gives an array. */
export function walk(schema: JSONSchema, segments: readonly PathSegment[]): JSONSchema {
  let s = schema;
  let many = false;
  for (const seg of segments) {
    if (seg.deep) return { type: 'array' };
    s = flatten(s);
    if (seg.kind === 'name') s = s.properties?.[seg.name] ?? (typeof s.additionalProperties === 'object' ? (s.additionalProperties as JSONSchema) : {});
    else if (seg.kind === 'index') s = s.items ?? {};
    else {
      many = true;
      if (typesOf(s).includes('array') && s.items) s = s.items;
      else if (s.properties) s = Object.values(s.properties).reduce<JSONSchema>((acc, x) => mergeSchemas(acc, x), {});
      else s = {};
    }
  }
  return many ? { type: 'array', items: s } : s;
}
