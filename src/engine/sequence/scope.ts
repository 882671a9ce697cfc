import type { RunStep } from '../../steps/step-kind.js';
import type { CompiledSequence } from './compile.js';

/**
 * Which steps' outputs a step may read: those that have run before it, whatever path execution took.
 *
 * Walking up from the step, at each level: the earlier siblings and everything inside them, except
 * - the preceding if / elseIf of an `alternative` (elseIf, else): when it runs, they did not;
 * - siblings under a `concurrent` container (parallel): they run at the same time;
 * plus the enclosing steps that expose their output while they run: loops (the current pass,
 * {item, index, count}) and catch (the error).
 * A step inside an earlier container may not have run (a branch not taken, a loop with no pass): its
 * source then reads nothing, which is not an error.
 * The result is in execution order, outermost first.
 */
export function stepsInScope(compiled: CompiledSequence, step: RunStep): RunStep[] {
  const levels: RunStep[][] = [];
  let node: RunStep = step;
  for (;;) {
    const parent = node.parent;
    const siblings = parent ? parent.children : compiled.root;
    const level: RunStep[] = [];
    if (parent?.kind.exposes) level.push(parent);
    if (!parent?.kind.concurrent) {
      let end = siblings.indexOf(node);
      if (node.kind.alternative) {
        end--;
        while (end > 0 && siblings[end]!.kind.alternative) end--;
      }
      for (let i = 0; i < end; i++) withDescendants(siblings[i]!, level);
    }
    levels.push(level);
    if (!parent) break;
    node = parent;
  }
  return levels.reverse().flat();
}

function withDescendants(step: RunStep, into: RunStep[]): void {
  into.push(step);
  for (const child of step.children) withDescendants(child, into);
}

/** Why `target` is not in `step`'s scope, in words. */
export function whyNotInScope(step: RunStep, target: RunStep): string {
  if (target === step) return 'a step cannot read its own output';
  for (let a = step.parent; a; a = a.parent) if (a === target) return `"${target.id}" contains this step and has no output until it ends`;
  if (target.slot > step.slot) return `"${target.id}" runs after this step`;
  const ancestors = new Set<RunStep>();
  for (let a: RunStep | undefined = step; a; a = a.parent) ancestors.add(a);
  let common = target.parent;
  while (common && !ancestors.has(common)) common = common.parent;
  if (common?.kind.concurrent) return `"${target.id}" runs in parallel with this step`;
  return `"${target.id}" is in another branch of the same if / elseIf / else chain`;
}
