import { refPath, type ObjectRef } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';
import type { Connector, Project, Step } from '../model/index.js';
import { allStepIds, childRef, childrenOf, locate, renamedRef, type ChildType, type Siblings } from './object-locate.js';
import { checkName, invalid, validateConnector, validateProjectSettings, validateSequence, validateStep, validateTransaction, validateVariable } from './object-validate.js';
import { carryRenames } from './rename-log.js';
import { ownerRenames, renameReferences } from './rename-references.js';
import { checkStepKinds, createStep, renameSources } from './step-edits.js';

/**
 * Model edits as pure functions: each takes the working copy, returns a new project and never
 * touches its argument, so the argument can serve as the undo snapshot.
 */

export interface EditResult {
  project: Project;
  ref: ObjectRef;
}

type Obj = Record<string, unknown>;

/** Keys under which objects hold their children; an update that omits them keeps the children. */
const CHILD_KEYS: Record<ChildType, string[]> = {
  connector: ['transactions'],
  transaction: ['variables'],
  variable: [],
  sequence: ['variables', 'steps'],
  sequenceVariable: [],
  step: ['steps'],
};

function taken(s: Siblings, exceptIndex = -1): Set<string> {
  const names = s.scope ? s.scope() : s.list.map((o) => String(o[s.key]));
  if (exceptIndex >= 0 && !s.scope) names.splice(exceptIndex, 1);
  else if (exceptIndex >= 0) names.splice(names.indexOf(String(s.list[exceptIndex]![s.key])), 1);
  return new Set(s.caseInsensitive ? names.map((n) => n.toLowerCase()) : names);
}

function ensureFree(s: Siblings, name: string, path: string, exceptIndex = -1): void {
  const key = s.caseInsensitive ? name.toLowerCase() : name;
  if (taken(s, exceptIndex).has(key))
    throw invalid(path, [{ path: s.key, message: `${s.owner} already has a ${s.what} named "${name}"${s.caseInsensitive ? ' (names of files differ by more than case)' : ''}` }]);
}

function freeName(s: Siblings, base: string): string {
  const names = taken(s);
  const has = (n: string) => names.has(s.caseInsensitive ? n.toLowerCase() : n);
  if (!has(base)) return base;
  for (let i = 2; ; i++) if (!has(`${base}_${i}`)) return `${base}_${i}`;
}

/** One file per connector and sequence: the project lists them in file-name order, as loading does. */
function fileOrdered(s: Siblings): boolean {
  return s.what === 'connector' || s.what === 'sequence';
}

/** The order loading gives objects that are files: by `<name>.yaml`. */
export function byFileName(a: { name?: unknown }, b: { name?: unknown }): number {
  const fa = `${String(a.name)}.yaml`;
  const fb = `${String(b.name)}.yaml`;
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}

function sortLikeDisk(s: Siblings): void {
  if (fileOrdered(s)) s.list.sort(byFileName);
}

function typeOf(ref: ObjectRef): ChildType {
  if (ref.type === 'project') throw new TrellisError('INVALID_CONFIG', 'this edit does not apply to a project');
  return ref.type;
}

function connectorFor(project: Project, ref: ObjectRef): Connector {
  const name = (ref as { connector: string }).connector;
  return project.connectors.find((c) => c.name === name)!;
}

/** Validates `value` as an object of `type` at `ref` (the object's own ref), returning what to store. */
function validated(project: Project, type: ChildType, ref: ObjectRef, value: Obj): Obj {
  const path = refPath(project.name, ref);
  switch (type) {
    case 'connector':
      return validateConnector(value, path) as unknown as Obj;
    case 'transaction':
      return validateTransaction(connectorFor(project, ref), value, path) as unknown as Obj;
    case 'variable':
    case 'sequenceVariable':
      return validateVariable(value, path) as unknown as Obj;
    case 'sequence':
      return validateSequence(value, path) as unknown as Obj;
    case 'step':
      return validateStep(value, path) as unknown as Obj;
  }
}

/** A variable's transaction is checked again by its kind: a kind may relate variables to other settings. */
function recheckOwner(project: Project, ref: ObjectRef): void {
  if (ref.type !== 'variable') return;
  const txRef: ObjectRef = { type: 'transaction', connector: ref.connector, transaction: ref.transaction };
  const connector = connectorFor(project, ref);
  const tx = connector.transactions.find((t) => t.name === ref.transaction)!;
  validateTransaction(connector, tx, refPath(project.name, txRef));
}

function nameOf(value: Obj, key: 'name' | 'id', path: string): string {
  const name = value[key];
  if (typeof name !== 'string') throw invalid(path, [{ path: key, message: `the new object needs a ${key}` }]);
  return name;
}

/** Adds an object under `parent`, at `index` among its siblings (default last; connectors and sequences stay in file order). */
export function createObject(current: Project, parent: ObjectRef, type: ChildType, value: Obj, index?: number): EditResult {
  if (type === 'step') return createStep(current, parent, value, index);
  const project = structuredClone(current);
  const siblings = childrenOf(project, parent, type);
  const where = `${refPath(project.name, parent)}`;
  const name = nameOf(value, siblings.key, where);
  const ref = childRef(parent, type, name);
  const stored = validated(project, type, ref, value);
  ensureFree(siblings, name, refPath(project.name, ref));
  siblings.list.splice(index === undefined ? siblings.list.length : Math.min(index, siblings.list.length), 0, stored);
  sortLikeDisk(siblings);
  recheckOwner(project, ref);
  return { project, ref };
}

export function updateObject(current: Project, ref: ObjectRef, value: Obj): Project {
  const project = structuredClone(current);
  const path = refPath(project.name, ref);
  if (ref.type === 'project') {
    const settings = validateProjectSettings(project, value, path);
    const { name: _n, formatVersion: _f, ...rest } = settings;
    delete project.description;
    delete project.environments;
    delete project.log;
    return { ...project, ...rest };
  }
  const type = typeOf(ref);
  const at = locate(project, ref);
  const existing = at.list[at.index]!;
  const name = String(existing[at.key]);
  if (value[at.key] !== undefined && value[at.key] !== name)
    throw invalid(path, [{ path: at.key, message: `object.update keeps the ${at.key} "${name}"; use object.rename to change it` }]);
  const merged: Obj = { ...value, [at.key]: name };
  for (const key of CHILD_KEYS[type]) if (merged[key] === undefined && existing[key] !== undefined) merged[key] = existing[key];
  at.list[at.index] = validated(project, type, ref, merged);
  // A step's own kind and props; its children too when the value brings new ones.
  if (ref.type === 'step') checkStepKinds(project, ref.sequence, at.list[at.index] as unknown as Step, value.steps !== undefined);
  if (type === 'connector' && (existing.kind !== merged.kind)) {
    // Another kind reads transactions differently: each must still make sense.
    const connector = at.list[at.index] as unknown as Connector;
    for (const tx of connector.transactions) validateTransaction(connector, tx, `${path}/${tx.name}`);
  }
  recheckOwner(project, ref);
  return project;
}

export function renameObject(current: Project, ref: ObjectRef, newName: string): EditResult {
  const project = structuredClone(current);
  const path = refPath(project.name, ref);
  if (ref.type === 'project') {
    project.name = checkName(newName, path);
    return { project, ref };
  }
  const at = locate(project, ref);
  if (at.key === 'id') validateStep({ id: newName, kind: 'rename' }, path);
  else checkName(newName, path);
  const object = at.list[at.index]!;
  if (object[at.key] === newName) return { project, ref };
  ensureFree(at, newName, path, at.index);
  // In place, so the object keeps its position among its siblings.
  at.list[at.index] = { ...object, [at.key]: newName };
  sortLikeDisk(at);
  if (ref.type === 'step') renameSources(project.sequences.find((s) => s.name === ref.sequence)!, ref.step, newName);
  // Call steps follow now; mappings, tests and schema files follow when the project is saved (rename-log.ts).
  const renames = ownerRenames(current, ref, newName);
  renameReferences(project, renames);
  carryRenames(current, project, renames);
  return { project, ref: renamedRef(ref, newName) };
}

export function deleteObject(current: Project, ref: ObjectRef): Project {
  const project = structuredClone(current);
  if (ref.type === 'project') throw new TrellisError('INVALID_CONFIG', `${project.name}: a project is deleted by removing its folder, not from the model`, { path: project.name });
  const at = locate(project, ref);
  at.list.splice(at.index, 1);
  return project;
}

function renumberSteps(step: Step, ids: Set<string>): Step {
  const id = freeName({ list: [], key: 'id', what: 'step', owner: '', caseInsensitive: false, scope: () => [...ids] }, step.id);
  ids.add(id);
  return { ...step, id, ...(step.steps ? { steps: step.steps.map((s) => renumberSteps(s, ids)) } : {}) };
}

export function duplicateObject(current: Project, ref: ObjectRef): EditResult {
  const project = structuredClone(current);
  if (ref.type === 'project') throw new TrellisError('INVALID_CONFIG', `${project.name}: copy a project by copying its folder`, { path: project.name });
  const at = locate(project, ref);
  const original = at.list[at.index]!;
  let copy: Obj;
  if (at.key === 'id') {
    const sequence = project.sequences.find((s) => s.name === (ref as { sequence: string }).sequence)!;
    copy = renumberSteps(structuredClone(original) as unknown as Step, new Set(allStepIds(sequence.steps))) as unknown as Obj;
  } else {
    copy = { ...structuredClone(original), name: freeName(at, String(original.name)) };
  }
  at.list.splice(at.index + 1, 0, copy);
  sortLikeDisk(at);
  return { project, ref: renamedRef(ref, String(copy[at.key])) };
}

export function moveObject(current: Project, ref: ObjectRef, index: number): Project {
  const project = structuredClone(current);
  if (ref.type === 'project') throw new TrellisError('INVALID_CONFIG', `${project.name}: a project has no siblings to move among`, { path: project.name });
  const at = locate(project, ref);
  if (fileOrdered(at)) {
    const path = refPath(project.name, ref);
    throw new TrellisError('INVALID_CONFIG', `${path}: ${at.what}s are listed by name (one file each) and cannot be reordered`, { path });
  }
  const [object] = at.list.splice(at.index, 1);
  // A drop past the end means "last", as in every tree view.
  at.list.splice(Math.min(index, at.list.length), 0, object!);
  return project;
}
