import type { ObjectRef, StepKindInfo } from '../../../src/contract/index.js';
import type { Project, Sequence, Step, Variable } from '../../../src/model/index.js';
import { STEP_ID_PATTERN, uniqueName } from '../../../src/model/index.js';
import { effectiveVariables, findSequence, findTransaction } from '../../state/model.js';
import { initialProps, memberPath } from '../editors/step-props/dynamic.js';
import type { JsonSchema } from '../editors/schema-form/schema.js';

/** Where a step sits in its sequence. Pure helpers over the step tree; tested through the e2e. */
export interface StepLocation {
  step: Step;
  /** the enclosing container's id, null at the top level */
  parent: string | null;
  index: number;
  /** ids from the top of the sequence, the step's own last: the trace's step path */
  path: string[];
  depth: number;
}

export interface StepIndex {
  byId: Map<string, StepLocation>;
  /** every step in document order (what Up/Down walk) */
  order: StepLocation[];
}

export function indexSteps(steps: readonly Step[] | undefined): StepIndex {
  const byId = new Map<string, StepLocation>();
  const order: StepLocation[] = [];
  const walk = (list: readonly Step[] | undefined, parent: string | null, trail: string[]) => {
    (list ?? []).forEach((step, index) => {
      const loc: StepLocation = { step, parent, index, path: [...trail, step.id], depth: trail.length };
      byId.set(step.id, loc);
      order.push(loc);
      walk(step.steps, step.id, loc.path);
    });
  };
  walk(steps, null, []);
  return { byId, order };
}

export function childrenOf(sequence: Sequence, parent: string | null, index: StepIndex): readonly Step[] {
  if (parent === null) return sequence.steps ?? [];
  return index.byId.get(parent)?.step.steps ?? [];
}

/** True when `id` is `ancestor` or sits inside it. */
export function isWithin(index: StepIndex, id: string, ancestor: string): boolean {
  return index.byId.get(id)?.path.includes(ancestor) ?? false;
}

export function kindInfo(kinds: readonly StepKindInfo[] | null, kind: string): StepKindInfo | undefined {
  return kinds?.find((k) => k.kind === kind);
}

export function isContainer(kinds: readonly StepKindInfo[] | null, step: Step): boolean {
  return kindInfo(kinds, step.kind)?.container ?? Array.isArray(step.steps);
}

/** A free step id from a wish (a transaction name, a kind): letters, digits and _ only. */
export function freeStepId(wish: string, taken: ReadonlySet<string>): string {
  let id = wish.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!id) id = 'step';
  if (!STEP_ID_PATTERN.test(id)) id = `_${id}`;
  return uniqueName(id, taken);
}

/** Where an insertion goes: into a container at `index`, or at the top level. */
export interface InsertTarget {
  parent: string | null;
  index: number;
}

/**
 * Where a step inserted "at the selection" goes: into a selected container (last), after a selected
 * step, or at the end of the sequence. `after` forces "after the selected step" even on a container.
 */
export function insertTargetFor(sequence: Sequence, index: StepIndex, kinds: readonly StepKindInfo[] | null, selected: string | null, after = false): InsertTarget {
  const loc = selected ? index.byId.get(selected) : undefined;
  if (!loc) return { parent: null, index: sequence.steps?.length ?? 0 };
  if (!after && isContainer(kinds, loc.step)) return { parent: loc.step.id, index: loc.step.steps?.length ?? 0 };
  return { parent: loc.parent, index: loc.index + 1 };
}

/** The parent ref object.create takes for an insertion target. */
export function parentRefOf(sequence: string, target: InsertTarget): ObjectRef {
  return target.parent === null ? { type: 'sequence', sequence } : { type: 'step', sequence, step: target.parent };
}

/**
 * Variable values of a call, mapped by name: `{source: {from: variables, path: $.name}}` when this
 * sequence declares the name, the callee's default as a constant, else nothing (the property form
 * lists every callee variable, set or not).
 */
export function mapVariablesByName(callee: readonly Variable[], own: readonly Variable[]): Record<string, unknown> {
  const declared = new Set(own.map((v) => v.name));
  const out: Record<string, unknown> = {};
  for (const v of callee) {
    if (declared.has(v.name)) out[v.name] = { source: { from: 'variables', path: memberPath('$', v.name) } };
    else if (v.default !== undefined) out[v.name] = v.default;
  }
  return out;
}

/** The value of a new Call Transaction / Call Sequence step for a dragged tree object, or null when it is not callable. */
export function callStepFor(project: Project, sequence: Sequence, ref: ObjectRef, taken: ReadonlySet<string>): { kind: string; id: string; props: Record<string, unknown> } | null {
  const own = (sequence.variables ?? []) as Variable[];
  if (ref.type === 'transaction' || ref.type === 'variable') {
    const tx = findTransaction(project, ref.connector, ref.transaction);
    if (!tx) return null;
    return {
      kind: 'callTransaction',
      id: freeStepId(ref.transaction, taken),
      props: { transaction: `${ref.connector}.${ref.transaction}`, variables: mapVariablesByName(effectiveVariables(tx), own) },
    };
  }
  if (ref.type === 'sequence') {
    const callee = findSequence(project, ref.sequence);
    if (!callee) return null;
    return {
      kind: 'callSequence',
      id: freeStepId(ref.sequence, taken),
      props: { sequence: ref.sequence, variables: mapVariablesByName((callee.variables ?? []) as Variable[], own) },
    };
  }
  return null;
}

/** The first transaction or another sequence of the project: what a Call step from the palette starts with. */
export function defaultCallTargets(project: Project, sequence: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of project.connectors) {
    const t = c.transactions?.[0];
    if (t) {
      out.transaction = `${c.name}.${t.name}`;
      break;
    }
  }
  const other = project.sequences.find((s) => s.name !== sequence);
  if (other) out.sequence = other.name;
  return out;
}

/** The value object.create gets for a kind dropped from the palette. */
export function newStepValue(info: StepKindInfo, project: Project, sequence: string, taken: ReadonlySet<string>): Record<string, unknown> {
  const schema = info.propsSchema as JsonSchema;
  const targets = defaultCallTargets(project, sequence);
  const extra: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties ?? {})) if (key in targets && (schema.required ?? []).includes(key)) extra[key] = targets[key];
  const value: Record<string, unknown> = { kind: info.kind, id: freeStepId(info.kind, taken), props: initialProps(schema, extra) };
  if (info.container) value.steps = [];
  return value;
}

/** Every step id of a sequence. */
export function stepIds(sequence: Sequence | undefined): Set<string> {
  return new Set(indexSteps(sequence?.steps).byId.keys());
}

function remapSources(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => remapSources(v, ids));
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = remapSources(v, ids);
    const source = out.source;
    if (Object.keys(out).length === 1 && source && typeof source === 'object' && typeof (source as { from?: unknown }).from === 'string') {
      const from = (source as { from: string }).from;
      if (ids.has(from)) out.source = { ...(source as object), from: ids.get(from) };
    }
    return out;
  }
  return value;
}

/**
 * A copy of a step (and its children) under free ids; sources between copied steps follow the new
 * ids, so a pasted Iterate still reads its own item.
 */
export function copyStep(step: Step, taken: ReadonlySet<string>): Step {
  const used = new Set(taken);
  const ids = new Map<string, string>();
  const assign = (s: Step) => {
    const id = freeStepId(s.id, used);
    used.add(id);
    ids.set(s.id, id);
    for (const c of s.steps ?? []) assign(c);
  };
  assign(step);
  const rebuild = (s: Step): Step => {
    const out: Step = { ...s, id: ids.get(s.id) ?? s.id };
    if (s.props) out.props = remapSources(s.props, ids) as Record<string, unknown>;
    if (s.steps) out.steps = s.steps.map(rebuild);
    return out;
  };
  return rebuild(JSON.parse(JSON.stringify(step)) as Step);
}
