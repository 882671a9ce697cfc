import { resolve } from 'node:path';
import type { ProjectState } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';
import type { Problem, Project } from '../model/index.js';
import { inheritRenames, markRenamesSaved } from './rename-log.js';

const CONFLICT_MESSAGE =
  'changed on disk while this project has unsaved edits: the edits were kept, and saving overwrites the file (close the project without saving and open it again to take the disk version)';

/** How many edits undo remembers per project; a snapshot of a 2,000-transaction project is a few MB. */
const UNDO_LIMIT = 100;

interface Snapshot {
  project: Project;
  /** whether the working copy differed from the disk in that state */
  dirty: boolean;
}

/** One open project: the working copy the studio edits, and everything needed to save or undo it. */
export class OpenProject {
  readonly dir: string;
  project: Project;
  problems: Problem[];
  dirty = false;
  version = 1;
  private undoStack: Snapshot[] = [];
  private redoStack: Snapshot[] = [];

  constructor(project: Project, problems: Problem[]) {
    this.dir = projectKey(project.dir);
    this.project = project;
    this.problems = problems;
    markRenamesSaved(project);
  }

  state(): ProjectState {
    // Project is an interface without an index signature; the contract's loose object accepts it as is.
    return { project: this.project as unknown as ProjectState['project'], problems: this.problems, dirty: this.dirty, canUndo: this.undoStack.length > 0, canRedo: this.redoStack.length > 0, version: this.version };
  }

  /** `next` must be a new object: the current one becomes the undo snapshot and is never mutated again. */
  applyEdit(next: Project): void {
    this.undoStack.push({ project: this.project, dirty: this.dirty });
    if (this.undoStack.length > UNDO_LIMIT) this.undoStack.shift();
    this.redoStack = [];
    // An edit that did not rename keeps the renames still to be saved (object.rename records its own).
    inheritRenames(this.project, next);
    this.project = next;
    this.dirty = true;
    this.version++;
  }

  /** True when `project` is the working copy or one it was edited from (an edit made there is still in effect). */
  inHistory(project: Project): boolean {
    return this.project === project || this.undoStack.some((s) => s.project === project);
  }

  undo(): boolean {
    return this.swap(this.undoStack, this.redoStack);
  }

  redo(): boolean {
    return this.swap(this.redoStack, this.undoStack);
  }

  private swap(from: Snapshot[], to: Snapshot[]): boolean {
    const snapshot = from.pop();
    if (!snapshot) return false;
    to.push({ project: this.project, dirty: this.dirty });
    this.project = snapshot.project;
    this.dirty = snapshot.dirty;
    this.version++;
    return true;
  }

  /** `saved` is the working copy the save wrote; an edit made while it was writing stays unsaved. */
  markSaved(saved: Project, problems: Problem[]): void {
    // Every remembered state now differs from what is on disk, whatever it was before.
    for (const s of [...this.undoStack, ...this.redoStack]) s.dirty = s.project !== saved;
    this.dirty = this.project !== saved;
    markRenamesSaved(saved);
    this.problems = problems;
    this.version++;
  }

  /**
   * Files of the project changed on disk and were read again (or failed to load): without unsaved edits
   * the disk version becomes the working copy; with some, the edits stay and the problems say what happened.
   * Returns the `conflict` flag of the project.changed event.
   */
  diskChanged(loaded: { project: Project; problems: Problem[] } | Error, files: string[]): boolean | undefined {
    if (loaded instanceof Error) {
      this.recordConflict([{ file: 'trellis.yaml', line: 0, col: 0, severity: 'error', message: loaded.message }]);
      return this.dirty;
    }
    if (!this.dirty) {
      this.replaceFromDisk(loaded.project, loaded.problems);
      return undefined;
    }
    const warnings: Problem[] = files.map((file) => ({ file, line: 0, col: 0, severity: 'warning', message: CONFLICT_MESSAGE }));
    this.recordConflict([...loaded.problems, ...warnings]);
    return true;
  }

  /** The files changed on disk and nothing was unsaved: the disk version becomes the working copy. */
  replaceFromDisk(project: Project, problems: Problem[]): void {
    this.project = project;
    markRenamesSaved(project);
    this.problems = problems;
    this.dirty = false;
    this.undoStack = [];
    this.redoStack = [];
    this.version++;
  }

  /** The files changed on disk while edits were unsaved: the edits stay, the problems say what happened. */
  recordConflict(problems: Problem[]): void {
    this.problems = problems;
    this.version++;
  }
}

/** A project's identity is its absolute folder, however the caller spelled it. */
export function projectKey(dir: string): string {
  return resolve(dir);
}

/** The open projects, by folder. */
export class Workspace {
  private readonly open = new Map<string, OpenProject>();

  find(dir: string): OpenProject | undefined {
    return this.open.get(projectKey(dir));
  }

  get(dir: string): OpenProject {
    const entry = this.find(dir);
    if (entry) return entry;
    const names = [...this.open.keys()];
    throw new TrellisError('NOT_FOUND', `project ${dir} is not open${names.length ? ` (open projects: ${names.join(', ')})` : ' (no project is open)'}`, { path: dir });
  }

  add(entry: OpenProject): void {
    this.open.set(entry.dir, entry);
  }

  remove(dir: string): OpenProject | undefined {
    const entry = this.find(dir);
    if (entry) this.open.delete(entry.dir);
    return entry;
  }

  list(): OpenProject[] {
    return [...this.open.values()];
  }
}
