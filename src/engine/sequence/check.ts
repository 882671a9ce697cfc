import type { Project, Sequence } from '../../model/index.js';
import type { CheckContext, RunStep } from '../../steps/step-kind.js';
import { SLOT_UNKNOWN } from '../sources.js';
import { compileSequence, type StepProblem } from './compile.js';
import { stepsInScope, whyNotInScope } from './scope.js';

export type { StepProblem } from './compile.js';

/**
 * The static check of a sequence, run before every execution of a changed sequence and by the studio
 * on each edit: unknown kinds, invalid props, duplicate ids, sources that read a step that has not run
 * before in scope (or a disabled or unknown one), JSONPath/XPath syntax, and each kind's own checks
 * (unknown transaction or sequence, elseIf/else without a preceding if, catch outside try, break outside
 * a loop, ...). Each problem names the step path; the list is in document order.
 */
export function checkSequence(project: Project, sequence: Sequence): StepProblem[] {
  const compiled = compileSequence(sequence);
  const problems: StepProblem[] = [...compiled.problems];
  const visit = (steps: readonly RunStep[], parent: RunStep | undefined, ancestors: RunStep[]) => {
    steps.forEach((step, i) => {
      const ctx: CheckContext = { project, sequence, previous: i > 0 ? steps[i - 1] : undefined, parent, ancestors };
      if (!compiled.invalid.has(step)) for (const message of step.kind.check?.(step, ctx) ?? []) problems.push({ stepPath: step.path, message });
      const sources = compiled.sources.get(step);
      if (sources?.length) {
        const scope = new Set(stepsInScope(compiled, step));
        for (const ref of sources) {
          if (ref.slot < 0) {
            if (ref.slot === SLOT_UNKNOWN)
              problems.push({ stepPath: step.path, message: `${ref.at}: no step "${ref.from}" in this sequence (a source reads a step id, variables or session)` });
            continue;
          }
          const target = compiled.all[ref.slot]!;
          if (compiled.disabled.has(target)) problems.push({ stepPath: step.path, message: `${ref.at}: step "${ref.from}" is disabled, so it never runs` });
          else if (!scope.has(target)) problems.push({ stepPath: step.path, message: `${ref.at}: "${ref.from}" has not run before this step: ${whyNotInScope(step, target)}` });
        }
      }
      visit(step.children, step, [step, ...ancestors]);
    });
  };
  visit(compiled.root, undefined, []);
  const order = new Map<string, number>();
  for (const step of compiled.all) if (!order.has(step.path)) order.set(step.path, step.slot);
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (order.get(a.p.stepPath) ?? -1) - (order.get(b.p.stepPath) ?? -1) || a.i - b.i)
    .map(({ p }) => p);
}
