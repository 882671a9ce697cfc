import type { ObjectRef, ProjectState } from '../../src/contract/index.js';
import { refObjectName } from '../../src/contract/index.js';
import type { Connector, Project, Sequence, Step, Transaction, Variable } from '../../src/model/index.js';

/** The project model of a state (the contract carries it as loose JSON; src/model gives it its shape). */
export function projectOf(state: ProjectState): Project {
  return state.project as unknown as Project;
}

export function findConnector(project: Project, name: string): Connector | undefined {
  return project.connectors.find((c) => c.name === name);
}

export function findTransaction(project: Project, connector: string, name: string): Transaction | undefined {
  return findConnector(project, connector)?.transactions?.find((t) => t.name === name);
}

export function findSequence(project: Project, name: string): Sequence | undefined {
  return project.sequences.find((s) => s.name === name);
}

export function findStep(steps: readonly Step[] | undefined, id: string): Step | undefined {
  for (const step of steps ?? []) {
    if (step.id === id) return step;
    const inner = findStep(step.steps, id);
    if (inner) return inner;
  }
  return undefined;
}

/** The object a ref points at, or undefined when it is gone. */
export function resolveRef(project: Project, ref: ObjectRef): unknown {
  switch (ref.type) {
    case 'project':
      return project;
    case 'connector':
      return findConnector(project, ref.connector);
    case 'transaction':
      return findTransaction(project, ref.connector, ref.transaction);
    case 'variable':
      return findTransaction(project, ref.connector, ref.transaction)?.variables?.find((v) => v.name === ref.variable);
    case 'sequence':
      return findSequence(project, ref.sequence);
    case 'sequenceVariable':
      return findSequence(project, ref.sequence)?.variables?.find((v) => v.name === ref.variable);
    case 'step':
      return findStep(findSequence(project, ref.sequence)?.steps, ref.step);
  }
}

export function refName(project: Project, ref: ObjectRef): string {
  return refObjectName(ref) ?? project.name;
}

export function parentRef(ref: ObjectRef): ObjectRef {
  switch (ref.type) {
    case 'project':
    case 'connector':
    case 'sequence':
      return { type: 'project' };
    case 'transaction':
      return { type: 'connector', connector: ref.connector };
    case 'variable':
      return { type: 'transaction', connector: ref.connector, transaction: ref.transaction };
    case 'sequenceVariable':
    case 'step':
      return { type: 'sequence', sequence: ref.sequence };
  }
}

/** A ref with its name replaced (after object.rename the service returns it, but tabs need it too). */
export function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `{name}` parameters of an HTTP path template, in order, without duplicates. */
export function pathParameters(path: string | undefined): string[] {
  const names: string[] = [];
  for (const m of (path ?? '').matchAll(/\{([^{}]+)\}/g)) {
    const name = (m[1] ?? '').trim();
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The transaction's declared variables plus the path parameters it does not declare (string, required). */
export function effectiveVariables(tx: Transaction | undefined): Variable[] {
  if (!tx) return [];
  const declared = (tx.variables ?? []) as Variable[];
  const names = new Set(declared.map((v) => v.name));
  const implied: Variable[] = pathParameters(tx.path as string | undefined)
    .filter((name) => !names.has(name))
    .map((name) => ({ name, type: 'string', required: true }));
  return [...declared, ...implied];
}

/** The transaction a ref belongs to (a transaction or one of its variables). */
export function transactionRefOf(ref: ObjectRef | null | undefined): Extract<ObjectRef, { type: 'transaction' }> | null {
  if (!ref) return null;
  if (ref.type === 'transaction') return ref;
  if (ref.type === 'variable') return { type: 'transaction', connector: ref.connector, transaction: ref.transaction };
  return null;
}

/** The project-relative file that holds an object (problems point at files). */
export function refFile(ref: ObjectRef): string {
  switch (ref.type) {
    case 'project':
      return 'trellis.yaml';
    case 'connector':
    case 'transaction':
    case 'variable':
      return `connectors/${ref.connector}.yaml`;
    default:
      return `sequences/${ref.sequence}.yaml`;
  }
}

/** Which object a problem's file is about, best effort. */
export function refOfFile(project: Project, file: string): ObjectRef {
  const m = /^(connectors|sequences)\/([^/]+)\.ya?ml$/.exec(file);
  if (m) {
    const name = m[2] ?? '';
    if (m[1] === 'connectors' && findConnector(project, name)) return { type: 'connector', connector: name };
    if (m[1] === 'sequences' && findSequence(project, name)) return { type: 'sequence', sequence: name };
  }
  return { type: 'project' };
}

export function txMethod(tx: Transaction): string | undefined {
  const method = (tx as Record<string, unknown>).method;
  return typeof method === 'string' ? method : undefined;
}

export function txPath(tx: Transaction): string | undefined {
  const path = (tx as Record<string, unknown>).path;
  return typeof path === 'string' ? path : undefined;
}
