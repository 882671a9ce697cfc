import type { ObjectRef } from '../contract/index.js';
import type { Project, Step } from '../model/index.js';
import { stepKind } from '../steps/index.js';

/**
 * What a rename means for the rest of the project: the owners (`<connector>.<transaction>` or a sequence
 * name) whose name changes. Call steps, mappings.yaml targets, test files and `schemas/<owner>.json` all
 * name objects by owner, so one list of owner renames rewrites every one of them.
 */
export interface OwnerRename {
  owner: 'transaction' | 'sequence';
  from: string;
  to: string;
}

/** The owner renames of one object.rename; a connector renames every one of its transactions. */
export function ownerRenames(before: Project, ref: ObjectRef, newName: string): OwnerRename[] {
  if (ref.type === 'transaction') return [{ owner: 'transaction', from: `${ref.connector}.${ref.transaction}`, to: `${ref.connector}.${newName}` }];
  if (ref.type === 'sequence') return [{ owner: 'sequence', from: ref.sequence, to: newName }];
  if (ref.type === 'connector') {
    const connector = before.connectors.find((c) => c.name === ref.connector);
    return (connector?.transactions ?? []).map((t) => ({ owner: 'transaction' as const, from: `${ref.connector}.${t.name}`, to: `${newName}.${t.name}` }));
  }
  return [];
}

/** The renames of `edits` undone, last edit first. */
export function inverted(edits: readonly (readonly OwnerRename[])[]): OwnerRename[][] {
  return [...edits].reverse().map((edit) => edit.map((r) => ({ owner: r.owner, from: r.to, to: r.from })));
}

/**
 * The name `name` gets after the edits, applied in order (the renames of one edit all at once, so a
 * connector renamed to another's old name is no chain). `owner` limits it to one kind of owner.
 */
export function renamedOwner(name: string, edits: readonly (readonly OwnerRename[])[], owner?: OwnerRename['owner']): string {
  let current = name;
  for (const edit of edits) {
    const hit = edit.find((r) => r.from === current && (owner === undefined || r.owner === owner));
    if (hit) current = hit.to;
  }
  return current;
}

/** Rewrites, in place, every step prop that names a renamed owner (through the kinds' `refersTo`), in every sequence. */
export function renameReferences(project: Project, edit: readonly OwnerRename[]): void {
  if (!edit.length) return;
  const walk = (steps: readonly Step[]) => {
    for (const step of steps) {
      const refersTo = stepKind(step.kind)?.refersTo;
      const props = step.props as Record<string, unknown> | undefined;
      if (refersTo && props && typeof props[refersTo.prop] === 'string') props[refersTo.prop] = renamedOwner(props[refersTo.prop] as string, [edit], refersTo.owner);
      if (step.steps) walk(step.steps);
    }
  };
  for (const sequence of project.sequences) walk(sequence.steps);
}
