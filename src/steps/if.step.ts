import { z } from 'zod';
import { condition, truthy } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z.strictObject({ condition: condition() }).describe('If');
type Props = z.output<typeof props>;

/** If: the head of an if / elseIf / else chain (siblings, in that order). Its output is whether it ran. */
export const ifStep: StepKind<Props> = {
  kind: 'if',
  title: 'If',
  category: 'flow',
  icon: 'branch',
  description: 'Runs its steps when the condition is truthy. Else If and Else steps placed right after it run only when it did not.',
  props,
  container: true,
  runSync(step, ctx) {
    const taken = truthy(ctx.value(step.props.condition));
    if (taken) ctx.runStepsSync(step.children);
    ctx.chain = taken; // after the children, which may hold chains of their own
    return taken;
  },
  async run(step, ctx) {
    const taken = truthy(ctx.value(step.props.condition));
    if (taken) await ctx.runSteps(step.children);
    ctx.chain = taken;
    return taken;
  },
  outputSchema: () => ({ type: 'boolean' }),
};
