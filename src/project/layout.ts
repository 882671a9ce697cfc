import { Document, isMap, isScalar, isSeq, stringify, type Node } from 'yaml';
import { FORMAT_VERSION, projectFileSchema, type Connector, type ProjectFile, type Sequence, type Step, type Transaction, type Variable, variableSchema } from '../model/index.js';
import { STRINGIFY_OPTIONS } from './yaml-io.js';

// The canonical form of each file: keys in a fixed order, block style for the structure a reader
// scans (objects, their lists), flow style for small leaves (variables, short settings).

const MAX_LINE = 100;

/** How a node is laid out; free-form values (settings, props) get `free`. */
type Spec = { map: Record<string, Spec | undefined> } | { list: Spec } | 'variable' | 'free';

const section: Spec = { map: {} };
const variables: Spec = { list: 'variable' };
const transaction: Spec = { map: { variables } };
const stepKeys: Record<string, Spec> = { props: section };
const step: Spec = { map: stepKeys };
stepKeys.steps = { list: step };
const SPECS = {
  project: { map: { environments: section, log: section } },
  connector: { map: { config: section, transactions: { list: transaction } } },
  sequence: { map: { variables, steps: { list: step } } },
} satisfies Record<string, Spec>;

// Keys a schema gains later still get written: they follow the known ones.
const PROJECT_KEYS = ['name', 'formatVersion', 'description', 'environments', 'log'];
const CONNECTOR_KEYS = ['name', 'kind', 'description', 'config', 'transactions'];
const TRANSACTION_KEYS = ['name', 'type', 'description', 'method', 'path'];
const SEQUENCE_KEYS = ['name', 'description', 'exposed', 'variables', 'steps'];
const STEP_KEYS = ['id', 'kind', 'description', 'disabled', 'props', 'steps'];
// name, type, then the rest as src/model/variable.ts lists them.
const VARIABLE_KEYS = Object.keys(variableSchema.shape);

/** The fields of trellis.yaml, whatever else the object holds (a whole Project, say). */
export function projectFields(p: ProjectFile): ProjectFile {
  const source = p as unknown as Record<string, unknown>;
  const fields = Object.fromEntries(Object.keys(projectFileSchema.shape).map((key) => [key, source[key]]));
  // trellis.yaml always declares the format this Trellis writes.
  return { ...fields, formatVersion: FORMAT_VERSION } as ProjectFile;
}

export function projectFileDocument(p: ProjectFile): Document {
  return styled(ordered(projectFields(p), PROJECT_KEYS), SPECS.project);
}

export function connectorDocument(c: Connector): Document {
  const value = ordered({ ...c, config: nonEmpty(c.config), transactions: nonEmpty(c.transactions.map(orderTransaction)) }, CONNECTOR_KEYS);
  return styled(value, SPECS.connector);
}

export function sequenceDocument(s: Sequence): Document {
  const value = ordered({ ...s, variables: nonEmpty(s.variables.map(orderVariable)), steps: nonEmpty(s.steps.map(orderStep)) }, SEQUENCE_KEYS);
  return styled(value, SPECS.sequence);
}

export function connectorToYaml(c: Connector): string {
  return connectorDocument(c).toString(STRINGIFY_OPTIONS);
}

export function sequenceToYaml(s: Sequence): string {
  return sequenceDocument(s).toString(STRINGIFY_OPTIONS);
}

export function projectFileToYaml(p: ProjectFile): string {
  return projectFileDocument(p).toString(STRINGIFY_OPTIONS);
}

/** Kind-specific keys (headers, body, sql...) keep their order, between the common ones and the variables. */
function orderTransaction(t: Transaction): Record<string, unknown> {
  const { variables: vars, ...rest } = t;
  return { ...ordered(rest, TRANSACTION_KEYS), ...ordered({ variables: nonEmpty((vars ?? []).map(orderVariable)) }, []) };
}

function orderVariable(v: Variable): Record<string, unknown> {
  return ordered(v, VARIABLE_KEYS);
}

function orderStep(s: Step): Record<string, unknown> {
  return ordered({ ...s, steps: s.steps?.map(orderStep) }, STEP_KEYS);
}

/** `first` keys in that order, then the others in the order they have; undefined values dropped. */
function ordered(value: object, first: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const key of [...first, ...Object.keys(source)]) if (source[key] !== undefined && !(key in out)) out[key] = source[key];
  return out;
}

/** Leaves out a collection whose schema default restores it (`variables: []`, `config: {}`). */
function nonEmpty<T extends object>(value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value.length : Object.keys(value).length) ? value : undefined;
}

function styled(value: Record<string, unknown>, spec: Spec): Document {
  const doc = new Document(value);
  if (doc.contents) layout(doc.contents, spec, 0, 0);
  return doc;
}

/**
 * Sets block or flow style on `node`. `indent` is the column where its block content would start;
 * `prefix` the width of what precedes it on its first line (`key: ` or `- `).
 */
function layout(node: Node, spec: Spec, indent: number, prefix: number): void {
  if (isScalar(node)) return;
  if (isMap(node)) {
    const keys = typeof spec === 'object' && 'map' in spec ? spec.map : undefined;
    const simple = spec === 'variable' && node.items.every((p) => isScalar(p.value));
    if ((spec === 'free' || simple) && fitsFlow(node, prefix)) {
      node.flow = true;
      return;
    }
    node.flow = false;
    for (const pair of node.items) {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      if (isMap(pair.value) || isSeq(pair.value)) layout(pair.value, keys?.[key] ?? 'free', indent + 2, indent + key.length + 2);
    }
    return;
  }
  if (isSeq(node)) {
    const item = typeof spec === 'object' && 'list' in spec ? spec.list : undefined;
    if (!item && fitsFlow(node, prefix)) {
      node.flow = true;
      return;
    }
    node.flow = false;
    for (const child of node.items) if (isMap(child) || isSeq(child)) layout(child, item ?? 'free', indent + 2, indent + 2);
  }
}

function fitsFlow(node: Node, prefix: number): boolean {
  const value: unknown = node.toJSON();
  if (hasLineBreak(value)) return false;
  const text = stringify(value, { ...STRINGIFY_OPTIONS, collectionStyle: 'flow' }).trimEnd();
  return !text.includes('\n') && prefix + text.length <= MAX_LINE;
}

function hasLineBreak(value: unknown): boolean {
  if (typeof value === 'string') return /[\r\n]/.test(value);
  if (value && typeof value === 'object') return Object.values(value).some(hasLineBreak);
  return false;
}
