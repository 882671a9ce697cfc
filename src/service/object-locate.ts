import { refPath, type ObjectRef } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';
import type { Connector, Project, Sequence, Step, Transaction } from '../model/index.js';
import { stepKind } from '../steps/index.js';

export type ChildType = 'connector' | 'transaction' | 'variable' | 'sequence' | 'sequenceVariable' | 'step';

/** A list of sibling objects and how they are named: the unit in which names are unique. */
export interface Siblings {
  list: Array<Record<string, unknown>>;
  /** steps are named by `id`, everything else by `name` */
  key: 'name' | 'id';
  what: string;
  /** e.g. `connector catalog`, for messages */
  owner: string;
  /** connectors and sequences are files: `Foo.yaml` and `foo.yaml` collide on macOS and Windows */
  caseInsensitive: boolean;
  /** with steps: every id of the sequence, since ids are unique in the whole sequence */
  scope?: () => string[];
}

export interface Located extends Siblings {
  index: number;
}

function notFound(project: Project, ref: ObjectRef, detail: string): TrellisError {
  const path = refPath(project.name, ref);
  return new TrellisError('NOT_FOUND', `${path}: ${detail}`, { path });
}

function connectorOf(project: Project, name: string, ref: ObjectRef): Connector {
  const c = project.connectors.find((x) => x.name === name);
  if (!c) throw notFound(project, ref, `project ${project.name} has no connector "${name}"`);
  return c;
}

function transactionOf(project: Project, connector: string, name: string, ref: ObjectRef): Transaction {
  const tx = connectorOf(project, connector, ref).transactions.find((t) => t.name === name);
  if (!tx) throw notFound(project, ref, `connector ${connector} has no transaction "${name}"`);
  return tx;
}

export function sequenceOf(project: Project, name: string, ref: ObjectRef): Sequence {
  const s = project.sequences.find((x) => x.name === name);
  if (!s) throw notFound(project, ref, `project ${project.name} has no sequence "${name}"`);
  return s;
}

export function allStepIds(steps: readonly Step[], into: string[] = []): string[] {
  for (const s of steps) {
    into.push(s.id);
    if (s.steps) allStepIds(s.steps, into);
  }
  return into;
}

/** The list that holds step `id`, searched through containers. */
export function stepList(steps: Step[], id: string): Step[] | undefined {
  if (steps.some((s) => s.id === id)) return steps;
  for (const s of steps) {
    const found = s.steps && stepList(s.steps, id);
    if (found) return found;
  }
  return undefined;
}

/** Where objects of `type` live under `parent`: the list `object.create` appends to. */
export function childrenOf(project: Project, parent: ObjectRef, type: ChildType): Siblings {
  const mismatch = () => {
    const path = refPath(project.name, parent);
    return new TrellisError('INVALID_CONFIG', `${path}: a ${type} cannot be created under a ${parent.type}`, { path });
  };
  switch (type) {
    case 'connector':
      if (parent.type !== 'project') throw mismatch();
      return { list: project.connectors, key: 'name', what: 'connector', owner: `project ${project.name}`, caseInsensitive: true };
    case 'sequence':
      if (parent.type !== 'project') throw mismatch();
      return { list: project.sequences, key: 'name', what: 'sequence', owner: `project ${project.name}`, caseInsensitive: true };
    case 'transaction':
      if (parent.type !== 'connector') throw mismatch();
      return { list: connectorOf(project, parent.connector, parent).transactions, key: 'name', what: 'transaction', owner: `connector ${parent.connector}`, caseInsensitive: false };
    case 'variable': {
      if (parent.type !== 'transaction') throw mismatch();
      const tx = transactionOf(project, parent.connector, parent.transaction, parent);
      return { list: tx.variables, key: 'name', what: 'variable', owner: `transaction ${parent.connector}.${parent.transaction}`, caseInsensitive: false };
    }
    case 'sequenceVariable':
      if (parent.type !== 'sequence') throw mismatch();
      return { list: sequenceOf(project, parent.sequence, parent).variables, key: 'name', what: 'variable', owner: `sequence ${parent.sequence}`, caseInsensitive: false };
    case 'step': {
      const sequence = parent.type === 'sequence' || parent.type === 'step' ? sequenceOf(project, parent.sequence, parent) : undefined;
      if (!sequence) throw mismatch();
      let list = sequence.steps;
      if (parent.type === 'step') {
        const holder = stepList(sequence.steps, parent.step)?.find((s) => s.id === parent.step);
        if (!holder) throw notFound(project, parent, `sequence ${parent.sequence} has no step "${parent.step}"`);
        if (!stepKind(holder.kind)?.container) {
          const path = refPath(project.name, parent);
          throw new TrellisError('INVALID_CONFIG', `${path}: a ${holder.kind} step holds no steps (it is not a container)`, { path });
        }
        list = holder.steps ??= [];
      }
      return { list: list as unknown as Array<Record<string, unknown>>, key: 'id', what: 'step', owner: `sequence ${sequence.name}`, caseInsensitive: false, scope: () => allStepIds(sequence.steps) };
    }
  }
}

/** Finds an existing object and its siblings. */
export function locate(project: Project, ref: ObjectRef): Located {
  const found = (s: Siblings, name: string, detail: string): Located => {
    const index = s.list.findIndex((o) => o[s.key] === name);
    if (index < 0) throw notFound(project, ref, detail);
    return { ...s, index };
  };
  switch (ref.type) {
    case 'project':
      throw new TrellisError('INVALID_CONFIG', `${project.name}: this edit does not apply to a project`, { path: project.name });
    case 'connector':
      return found(childrenOf(project, { type: 'project' }, 'connector'), ref.connector, `project ${project.name} has no connector "${ref.connector}"`);
    case 'sequence':
      return found(childrenOf(project, { type: 'project' }, 'sequence'), ref.sequence, `project ${project.name} has no sequence "${ref.sequence}"`);
    case 'transaction':
      return found(childrenOf(project, { type: 'connector', connector: ref.connector }, 'transaction'), ref.transaction, `connector ${ref.connector} has no transaction "${ref.transaction}"`);
    case 'variable':
      return found(childrenOf(project, { type: 'transaction', connector: ref.connector, transaction: ref.transaction }, 'variable'), ref.variable, `transaction ${ref.connector}.${ref.transaction} has no variable "${ref.variable}"`);
    case 'sequenceVariable':
      return found(childrenOf(project, { type: 'sequence', sequence: ref.sequence }, 'sequenceVariable'), ref.variable, `sequence ${ref.sequence} has no variable "${ref.variable}"`);
    case 'step': {
      const sequence = sequenceOf(project, ref.sequence, ref);
      const list = stepList(sequence.steps, ref.step);
      if (!list) throw notFound(project, ref, `sequence ${ref.sequence} has no step "${ref.step}"`);
      const siblings: Siblings = { list: list as unknown as Array<Record<string, unknown>>, key: 'id', what: 'step', owner: `sequence ${sequence.name}`, caseInsensitive: false, scope: () => allStepIds(sequence.steps) };
      return found(siblings, ref.step, '');
    }
  }
}

/** The ref of a child named `name` in the place `parent`/`type` describe. */
export function childRef(parent: ObjectRef, type: ChildType, name: string): ObjectRef {
  switch (type) {
    case 'connector':
      return { type, connector: name };
    case 'sequence':
      return { type, sequence: name };
    case 'transaction':
      return { type, connector: (parent as { connector: string }).connector, transaction: name };
    case 'variable': {
      const p = parent as { connector: string; transaction: string };
      return { type, connector: p.connector, transaction: p.transaction, variable: name };
    }
    case 'sequenceVariable':
      return { type, sequence: (parent as { sequence: string }).sequence, variable: name };
    case 'step':
      return { type, sequence: (parent as { sequence: string }).sequence, step: name };
  }
}

/** The same object under another name. */
export function renamedRef(ref: ObjectRef, name: string): ObjectRef {
  switch (ref.type) {
    case 'project':
      return ref;
    case 'connector':
      return { ...ref, connector: name };
    case 'sequence':
      return { ...ref, sequence: name };
    case 'transaction':
      return { ...ref, transaction: name };
    case 'variable':
    case 'sequenceVariable':
      return { ...ref, variable: name };
    case 'step':
      return { ...ref, step: name };
  }
}
