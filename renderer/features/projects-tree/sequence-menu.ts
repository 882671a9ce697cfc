import type { StepKindInfo } from '../../../src/contract/index.js';
import type { Project, Step } from '../../../src/model/index.js';
import { findSequence, projectOf } from '../../state/model.js';
import type { Studio } from '../../state/studio.js';
import { insertKind } from '../sequence-canvas/step-actions.js';
import { indexSteps, insertTargetFor } from '../sequence-canvas/step-model.js';
import type { MenuItem } from '../shell/Menu.js';
import type { TreeRow } from './tree-model.js';

const CATEGORY_LABELS: Record<StepKindInfo['category'], string> = { call: 'Calls', flow: 'Flow', data: 'Data', file: 'Files', session: 'Session', misc: 'Misc' };

/** New › Step › <category> › <kind>: inserted into the row's container, after the row's step, or at the end of the sequence. */
function stepSubmenu(studio: Studio, project: string, sequence: string, step: string | null): MenuItem | null {
  const kinds = studio.state.stepKinds;
  if (!kinds?.length) return null;
  const categories = [...new Set(kinds.map((k) => k.category))];
  return {
    label: 'Step',
    icon: 'step',
    submenu: categories.map((c) => ({
      label: CATEGORY_LABELS[c],
      submenu: kinds
        .filter((k) => k.category === c)
        .map((k) => ({
          label: k.title,
          onSelect: () => {
            const state = studio.state.projects[project];
            const seq = state ? findSequence(projectOf(state), sequence) : undefined;
            if (!seq) return;
            void insertKind(studio, project, sequence, k, insertTargetFor(seq, indexSteps(seq.steps), kinds, step));
          },
        })),
    })),
  };
}

function callsTransaction(steps: readonly Step[] | undefined, target: string): boolean {
  return (steps ?? []).some((s) => (s.kind === 'callTransaction' && s.props?.transaction === target) || callsTransaction(s.steps, target));
}

/** Whether `owner` has a result from this session to infer a schema from (run itself, or called by a sequence that ran). */
function hasResult(studio: Studio, project: string, model: Project, owner: string): boolean {
  const executed = studio.state.executed;
  if (executed.has(`${project}\u0001${owner}`)) return true;
  return model.sequences.some((s) => executed.has(`${project}\u0001${s.name}`) && callsTransaction(s.steps, owner));
}

/** The Projects view's entries for sequences: New › Sequence, New › Step, Update schema. */
export function sequenceMenuItems(studio: Studio, row: TreeRow): { newItems: MenuItem[]; items: MenuItem[] } {
  const { project, ref } = row;
  const newItems: MenuItem[] = [];
  const items: MenuItem[] = [];
  const state = studio.state.projects[project];
  if (!state) return { newItems, items };
  const model = projectOf(state);
  if ((ref.type === 'project' && row.kind !== 'folder') || row.folder === 'sequences' || ref.type === 'sequence')
    newItems.push({ label: 'Sequence', icon: 'sequence', onSelect: () => void studio.newSequence(project) });
  if (ref.type === 'sequence' || ref.type === 'step') {
    const sub = stepSubmenu(studio, project, ref.sequence, ref.type === 'step' ? ref.step : null);
    if (sub) newItems.push(sub);
  }
  const owner = ref.type === 'transaction' ? `${ref.connector}.${ref.transaction}` : ref.type === 'sequence' ? ref.sequence : null;
  if (owner) {
    const ready = hasResult(studio, project, model, owner);
    items.push({
      label: ready ? 'Update schema from current connector data' : 'Update schema from current connector data (execute first)',
      disabled: !ready,
      onSelect: () => void studio.updateSchema(project, owner),
    });
  }
  return { newItems, items };
}
