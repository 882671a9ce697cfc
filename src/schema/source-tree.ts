import type { Json, Project, Sequence } from '../model/index.js';
import { TrellisError } from '../engine/errors.js';
import { compileSequence } from '../engine/sequence/compile.js';
import { stepsInScope } from '../engine/sequence/scope.js';
import { childPath } from '../engine/sources.js';
import type { RunStep } from '../steps/step-kind.js';
import { flatten, variablesSchema } from './derive.js';
import { inferSchema } from './infer.js';
import { typesOf, type JSONSchema } from './types.js';

/** One node of the source picker: clicking it writes `{source: {from, path, meta?}}` into a property. */
export interface SourceNode {
  label: string;
  from: string;
  /** JSONPath; `[*]` nodes stand for every item, so their paths give arrays (the non-singular rule) */
  path: string;
  /** the schema's type(s) joined by '|', or 'any' */
  type: string;
  /** true under a call's meta node: the source reads {status, headers, ms} */
  meta?: true;
  /** a value from the last execution (scalars only, strings cut at 200 characters) */
  sample?: Json;
  children: SourceNode[];
}

const MAX_DEPTH = 12;

/**
 * Every source in scope for a step (a pure function of the model, the derived schemas and optional samples):
 * the sequence's variables, then each step that has run before it in scope (see scope.ts), in execution
 * order, each expanded along its output schema. Enclosing loops show their current pass (item, index,
 * count); finished loops only their count. Calls with meta get a `meta` child.
 *
 * `schemas` comes from deriveStepSchemas; `samples` holds the last execution's outputs by step id, the
 * variables under 'variables', a call's meta under '<id>.meta', and the last value a loop or catch exposed
 * to its children under '<id>.pass'.
 */
export function sourceTree(
  project: Project,
  sequence: Sequence,
  stepId: string,
  schemas: Readonly<Record<string, JSONSchema>>,
  samples: Readonly<Record<string, Json>> = {},
): SourceNode[] {
  void project; // the picker's scope depends on the sequence only; the parameter keeps the studio call uniform
  const compiled = compileSequence(sequence);
  const slot = compiled.slotById.get(stepId);
  if (slot === undefined) throw new TrellisError('NOT_FOUND', `sequence ${sequence.name} has no step "${stepId}"`);
  const step = compiled.all[slot]!;
  const ancestors = new Set<RunStep>();
  for (let a = step.parent; a; a = a.parent) ancestors.add(a);
  const nodes = [node('variables', 'variables', '$', variablesSchema(sequence.variables), samples.variables, 0, false)];
  for (const s of stepsInScope(compiled, step)) {
    let schema = schemas[s.id] ?? {};
    if (s.kind.loop && !ancestors.has(s)) schema = { type: 'object', properties: { count: { type: 'integer' } }, required: ['count'] };
    // Inside a loop its current pass ({item, index, count}); the last run kept the last pass under '<id>.pass'.
    const sample = ancestors.has(s) && samples[`${s.id}.pass`] !== undefined ? samples[`${s.id}.pass`] : samples[s.id];
    const n = node(s.id, s.id, '$', schema, sample, 0, false);
    if (s.kind.metaSchema) n.children.push(node('meta', s.id, '$', s.kind.metaSchema, samples[`${s.id}.meta`], 1, true));
    nodes.push(n);
  }
  return nodes;
}

function node(label: string, from: string, path: string, schema: JSONSchema, sample: Json | undefined, depth: number, meta: boolean): SourceNode {
  const s = known(flatten(schema), sample);
  const types = typesOf(s);
  const n: SourceNode = { label, from, path, type: types.length ? types.join('|') : 'any', children: [] };
  if (meta) n.meta = true;
  if (sample !== undefined && (sample === null || typeof sample !== 'object')) n.sample = typeof sample === 'string' && sample.length > 200 ? `${sample.slice(0, 200)}…` : sample;
  if (depth >= MAX_DEPTH) return n;
  const record = sample !== null && typeof sample === 'object' && !Array.isArray(sample) ? sample : undefined;
  for (const [key, sub] of Object.entries(s.properties ?? {})) n.children.push(node(key, from, childPath(path, key), sub, record?.[key], depth + 1, meta));
  if (s.items && (types.length === 0 || types.includes('array'))) {
    n.children.push(node('[*]', from, `${path}[*]`, s.items, Array.isArray(sample) ? sample[0] : undefined, depth + 1, meta));
  }
  return n;
}

/**
 * A schema nothing could derive (a JSON variable, an expression, an iterate over one) takes the shape of the
 * last run's value, so the picker can still offer its fields; an array is read from its first item only.
 */
function known(schema: JSONSchema, sample: Json | undefined): JSONSchema {
  if (Object.keys(schema).length || sample === null || typeof sample !== 'object') return schema;
  if (!Array.isArray(sample)) return inferSchema(sample);
  return sample.length ? { type: 'array', items: inferSchema(sample[0]!) } : { type: 'array' };
}
