import { useState } from 'react';
import type { JSX } from 'react';
import { useStudio, useStudioState } from '../../state/context.js';
import { findSequence, projectOf } from '../../state/model.js';
import { indexSteps } from './step-model.js';
import { TraceInspector } from './TraceInspector.js';
import { useSequenceTrace } from './use-sequence-data.js';

/**
 * The selected step's part of its sequence's last run, at the top of the Properties view: state,
 * duration, passes, the error of a failing step, and its output. Shown once the sequence has run.
 */
export function StepRunOutput(): JSX.Element | null {
  const studio = useStudio();
  const selection = useStudioState((s) => s.selection);
  const step = selection?.ref.type === 'step' ? selection.ref : null;
  const state = useStudioState((s) => (selection ? s.projects[selection.project] : undefined));
  const trace = useSequenceTrace(studio, selection?.project ?? '', step?.sequence ?? '');
  const [closed, setClosed] = useState<string | null>(null);
  if (!step || !state || !trace) return null;
  const sequence = findSequence(projectOf(state), step.sequence);
  const path = sequence ? indexSteps(sequence.steps).byId.get(step.step)?.path.join('/') : undefined;
  const t = path !== undefined ? trace.steps[path] : undefined;
  const key = `${trace.runId}:${step.step}`;
  if (!t || closed === key) return null;
  return (
    <div className="seq-run-output">
      <TraceInspector step={step.step} trace={t} onClose={() => setClosed(key)} />
    </div>
  );
}
