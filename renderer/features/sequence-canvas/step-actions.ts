import type { ObjectRef, StepKindInfo } from '../../../src/contract/index.js';
import type { Step } from '../../../src/model/index.js';
import { findSequence, projectOf } from '../../state/model.js';
import type { Studio } from '../../state/studio.js';
import type { InsertTarget } from './step-model.js';
import { callStepFor, copyStep, indexSteps, newStepValue, parentRefOf, stepIds } from './step-model.js';

/**
 * The edits the canvas, the palette and the tree's context menu make on steps, through the contract
 * (object.create / step.move / object.delete), each one undoable with project.undo.
 */

function sequenceOf(studio: Studio, project: string, sequence: string) {
  const state = studio.state.projects[project];
  const model = state ? projectOf(state) : undefined;
  const seq = model ? findSequence(model, sequence) : undefined;
  return model && seq ? { model, seq } : null;
}

/** Creates a step at `target` and selects it. */
export async function createStep(studio: Studio, project: string, sequence: string, target: InsertTarget, value: Record<string, unknown>): Promise<string | null> {
  await studio.flushEdits();
  try {
    const result = await studio.api['object.create']({ project, parent: parentRefOf(sequence, target), objectType: 'step', value, index: target.index });
    studio.applyState(result.state);
    studio.select(project, result.ref, { reveal: true });
    return result.ref.type === 'step' ? result.ref.step : null;
  } catch (e) {
    studio.fail(e, `${sequence}`);
    return null;
  }
}

/** A kind from the palette (drop or Enter). */
export function insertKind(studio: Studio, project: string, sequence: string, info: StepKindInfo, target: InsertTarget): Promise<string | null> {
  const found = sequenceOf(studio, project, sequence);
  if (!found) return Promise.resolve(null);
  return createStep(studio, project, sequence, target, newStepValue(info, found.model, sequence, stepIds(found.seq)));
}

/** A transaction or sequence dragged from the tree with Ctrl: a Call step with its variables mapped by name. */
export function insertCall(studio: Studio, project: string, sequence: string, ref: ObjectRef, target: InsertTarget): Promise<string | null> {
  const found = sequenceOf(studio, project, sequence);
  if (!found) return Promise.resolve(null);
  const value = callStepFor(found.model, found.seq, ref, stepIds(found.seq));
  if (!value) {
    studio.notify('info', 'Only transactions and sequences can be dropped on the canvas: they become Call Transaction / Call Sequence steps.');
    return Promise.resolve(null);
  }
  if (ref.type === 'sequence' && ref.sequence === sequence) {
    studio.notify('info', `A sequence cannot call itself from the canvas: ${sequence} is the sequence being edited.`);
    return Promise.resolve(null);
  }
  return createStep(studio, project, sequence, target, value);
}

/** Moves a step into `parent` (null: the top level) at `index` among the other children. */
export async function moveStep(studio: Studio, project: string, sequence: string, step: string, parent: string | null, index: number): Promise<void> {
  await studio.flushEdits();
  try {
    studio.applyState(await studio.api['step.move']({ project, sequence, step, parent, index }));
    studio.select(project, { type: 'step', sequence, step }, { reveal: true });
  } catch (e) {
    studio.fail(e, `${sequence}/${step}`);
  }
}

let clipboard: Step | null = null;

/** Ctrl+C on the canvas. */
export function copyToClipboard(studio: Studio, project: string, sequence: string, step: string): boolean {
  const found = sequenceOf(studio, project, sequence);
  const loc = found ? indexSteps(found.seq.steps).byId.get(step) : undefined;
  if (!loc) return false;
  clipboard = JSON.parse(JSON.stringify(loc.step)) as Step;
  try {
    void navigator.clipboard?.writeText(JSON.stringify(loc.step, null, 2)).catch(() => undefined);
  } catch {}
  return true;
}

export function hasClipboard(): boolean {
  return clipboard !== null;
}

/** Ctrl+V on the canvas: a copy of the copied step (and its children) under free ids. */
export function paste(studio: Studio, project: string, sequence: string, target: InsertTarget): Promise<string | null> {
  const found = sequenceOf(studio, project, sequence);
  if (!found || !clipboard) return Promise.resolve(null);
  const copy = copyStep(clipboard, stepIds(found.seq));
  return createStep(studio, project, sequence, target, copy as unknown as Record<string, unknown>);
}
