import { refPath, type ObjectRef } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';
import type { Project, Sequence, Step } from '../model/index.js';
import { stepKind, stepKinds } from '../steps/index.js';
import { allStepIds, childrenOf, sequenceOf, stepList } from './object-locate.js';
import { invalid, validateStep, type ValueIssue } from './object-validate.js';

type Obj = Record<string, unknown>;

/**
 * Step edits beside object-edits.ts: a step is checked by its kind (props against the kind's zod schema,
 * children only under containers), its id is unique in the whole sequence (sources name it), and moving
 * one carries its subtree.
 */

function kindList(): string {
  return stepKinds()
    .map((k) => k.kind)
    .join(', ');
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/**
 * Issues of one step against its kind, without its children: unknown kind, invalid props, children under
 * a non-container. A required prop that is not there yet is not an issue here (a step dropped from the
 * palette starts empty): sequence.check reports it until it is filled in.
 */
export function stepKindIssues(step: Step): ValueIssue[] {
  const kind = stepKind(step.kind);
  if (!kind) return [{ path: 'kind', message: `unknown step kind "${step.kind}" (kinds: ${kindList()})` }];
  const issues: ValueIssue[] = [];
  const props = kind.props.safeParse(step.props ?? {});
  if (!props.success)
    for (const i of props.error.issues) if (i.path.length === 0 || valueAt(step.props, i.path) !== undefined) issues.push({ path: ['props', ...i.path.map(String)].join('.'), message: i.message });
  if (step.steps?.length && !kind.container) issues.push({ path: 'steps', message: `a ${step.kind} step holds no steps (it is not a container)` });
  return issues;
}

/** Checks a step and (with `deep`) its descendants by their kinds; the error names the step and the field. */
export function checkStepKinds(project: Project, sequence: string, step: Step, deep: boolean): void {
  const issues = stepKindIssues(step);
  if (issues.length) throw invalid(refPath(project.name, { type: 'step', sequence, step: step.id }), issues);
  if (deep) for (const child of step.steps ?? []) checkStepKinds(project, sequence, child, true);
}

/** `callTransaction1`, `callTransaction2`, ...: the first id from the kind that is free. */
function defaultId(kind: string, taken: Set<string>): string {
  const base = /^[A-Za-z_][A-Za-z0-9_]*$/.test(kind) ? kind : 'step';
  for (let n = 1; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

/** Gives every step of a new subtree without an id one derived from its kind. */
function withIds(value: Obj, taken: Set<string>): Obj {
  const out: Obj = { ...value };
  if (out.id === undefined && typeof out.kind === 'string' && stepKind(out.kind)) out.id = defaultId(out.kind, taken);
  if (typeof out.id === 'string') taken.add(out.id);
  if (Array.isArray(out.steps)) out.steps = out.steps.map((c) => (c && typeof c === 'object' && !Array.isArray(c) ? withIds(c as Obj, taken) : c));
  return out;
}

/** object.create for a step: under a sequence or a container step, at `index` (default last). */
export function createStep(current: Project, parent: ObjectRef, value: Obj, index?: number): { project: Project; ref: ObjectRef } {
  const project = structuredClone(current);
  const siblings = childrenOf(project, parent, 'step');
  const sequence = (parent as { sequence: string }).sequence;
  const where = refPath(project.name, parent);
  if (typeof value.kind !== 'string') throw invalid(where, [{ path: 'kind', message: `the new step needs a kind (kinds: ${kindList()})` }]);
  if (!stepKind(value.kind)) throw invalid(where, [{ path: 'kind', message: `unknown step kind "${value.kind}" (kinds: ${kindList()})` }]);
  const existing = new Set(siblings.scope!());
  const named = withIds(value, new Set(existing));
  const ref: ObjectRef = { type: 'step', sequence, step: String(named.id) };
  const step = validateStep(named, refPath(project.name, ref));
  const seen = new Set<string>();
  for (const id of allStepIds([step])) {
    if (existing.has(id) || seen.has(id))
      throw invalid(refPath(project.name, { type: 'step', sequence, step: id }), [{ path: 'id', message: `sequence ${sequence} already has a step named "${id}" (ids are unique in a sequence, because sources name them)` }]);
    seen.add(id);
  }
  checkStepKinds(project, sequence, step, true);
  siblings.list.splice(index === undefined ? siblings.list.length : Math.min(index, siblings.list.length), 0, step as unknown as Obj);
  return { project, ref };
}

function findStep(sequence: Sequence, id: string, project: Project, ref: ObjectRef): { list: Step[]; index: number; step: Step } {
  const list = stepList(sequence.steps, id);
  const index = list ? list.findIndex((s) => s.id === id) : -1;
  if (!list || index < 0) {
    const path = refPath(project.name, ref);
    throw new TrellisError('NOT_FOUND', `${path}: sequence ${sequence.name} has no step "${id}"`, { path });
  }
  return { list, index, step: list[index]! };
}

/** step.move: a step and its subtree into another container (or the top level when `parent` is null) at `index`. */
export function moveStep(current: Project, sequenceName: string, stepId: string, parent: string | null, index: number): Project {
  const project = structuredClone(current);
  const ref: ObjectRef = { type: 'step', sequence: sequenceName, step: stepId };
  const sequence = sequenceOf(project, sequenceName, ref);
  const from = findStep(sequence, stepId, project, ref);
  let target = sequence.steps;
  if (parent !== null) {
    const parentRef: ObjectRef = { type: 'step', sequence: sequenceName, step: parent };
    const holder = findStep(sequence, parent, project, parentRef).step;
    const path = refPath(project.name, ref);
    if (allStepIds([from.step]).includes(parent))
      throw new TrellisError('INVALID_CONFIG', `${path}: a step cannot move into itself or one of its own steps (${parent})`, { path });
    if (!stepKind(holder.kind)?.container)
      throw new TrellisError('INVALID_CONFIG', `${path}: cannot move into ${parent}: a ${holder.kind} step holds no steps (it is not a container)`, { path });
    target = holder.steps ??= [];
  }
  from.list.splice(from.index, 1);
  // A drop past the end means "last", as in every tree view.
  target.splice(Math.min(index, target.length), 0, from.step);
  return project;
}

/** Points every `{source: {from: oldId}}` of the sequence at the renamed step (JavaScript code is left as written). */
export function renameSources(sequence: Sequence, oldId: string, newId: string): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const o = value as Obj;
    const source = o.source as Obj | undefined;
    if (Object.keys(o).length === 1 && source && typeof source === 'object' && source.from === oldId) {
      source.from = newId;
      return;
    }
    Object.values(o).forEach(visit);
  };
  const walk = (steps: readonly Step[]) => {
    for (const s of steps) {
      if (s.props) visit(s.props);
      if (s.steps) walk(s.steps);
    }
  };
  walk(sequence.steps);
}
