import { resolve } from 'node:path';
import type { Project } from '../model/index.js';
import { inverted, renamedOwner, type OwnerRename } from './rename-references.js';

/**
 * Renames whose files (mappings.yaml, tests/*.yaml, schemas/*.json) follow at the next save.
 *
 * Those files live beside the model, not in it, so each working copy remembers the renames made since the
 * project was opened (an edit keeps the list of the copy it came from; undo and redo bring back a copy with
 * its own list), and each project folder remembers the list of the copy last saved. A save turns the disk's
 * list into the saved copy's: it undoes the renames only the disk has, then makes the ones only the copy has.
 */
export type RenameEdit = readonly OwnerRename[];

const logs = new WeakMap<Project, readonly RenameEdit[]>();
const saved = new Map<string, readonly RenameEdit[]>();

export function renamesOf(project: Project): readonly RenameEdit[] {
  return logs.get(project) ?? [];
}

/** Gives `next` the renames of `previous`, plus `edit` when the edit renamed something. */
export function carryRenames(previous: Project, next: Project, edit?: RenameEdit): void {
  if (next === previous) return;
  const list = renamesOf(previous);
  logs.set(next, edit?.length ? [...list, edit] : list);
}

/** Gives `next` the renames of `previous` unless the edit that made it recorded its own. */
export function inheritRenames(previous: Project, next: Project): void {
  if (!logs.has(next)) carryRenames(previous, next);
}

/** `project` is what the folder holds now (it was saved, or read from disk). */
export function markRenamesSaved(project: Project): void {
  saved.set(resolve(project.dir), renamesOf(project));
}

export function forgetRenames(dir: string): void {
  saved.delete(resolve(dir));
}

/** The renames that turn the folder's files into `project`'s names, in order. */
export function pendingRenames(project: Project): OwnerRename[][] {
  const disk = saved.get(resolve(project.dir)) ?? [];
  const mine = renamesOf(project);
  let common = 0;
  while (common < disk.length && common < mine.length && disk[common] === mine[common]) common++;
  return [...inverted(disk.slice(common)), ...mine.slice(common).map((e) => [...e])];
}

/** The owner name the folder's files use for `owner` of the working copy (differs until a rename is saved). */
export function diskOwner(project: Project, owner: string): string {
  return renamedOwner(owner, inverted(pendingRenames(project)));
}
