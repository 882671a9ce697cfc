import { z } from 'zod';
import { checkChained } from './else-if.step.js';
import type { StepKind } from './step-kind.js';

const props = z.strictObject({}).describe('Else');
type Props = z.output<typeof props>;

export const elseStep: StepKind<Props> = {
  kind: 'else',
  title: 'Else',
  category: 'flow',
  icon: 'branch',
  description: 'Placed right after an If or Else If: runs its steps when none of the previous branches ran.',
  props,
  container: true,
  alternative: true,
  runSync(step, ctx) {
    if (ctx.chain) return undefined;
    ctx.runStepsSync(step.children);
    ctx.chain = true;
    return true;
  },
  async run(step, ctx) {
    if (ctx.chain) return undefined;
    await ctx.runSteps(step.children);
    ctx.chain = true;
    return true;
  },
  check: (_, ctx) => checkChained('Else', ctx),
  outputSchema: () => ({ type: 'boolean' }),
};
