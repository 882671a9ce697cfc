import { z } from 'zod';
import { endOfPass, loopSchema } from './loops.js';
import { condition, truthy } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    condition: condition(),
    maxIterations: z.number().int().positive().default(10_000).describe('Fail when the condition is still true after this many passes (a runaway guard)'),
  })
  .describe('While');
type Props = z.output<typeof props>;

/** While: checks its condition before each pass; `index` is the pass number (also during the check). */
export const whileStep: StepKind<Props> = {
  kind: 'while',
  title: 'While',
  category: 'flow',
  icon: 'loop',
  description: 'Runs its steps again and again while the condition is truthy (checked before each pass; `index` counts passes). Fails after maxIterations passes.',
  props,
  container: true,
  loop: true,
  exposes: true,
  async run(step, ctx) {
    const outer = ctx.loop;
    const sync = step.childrenSync;
    let count = 0;
    try {
      for (;;) {
        const frame = { index: count, count };
        ctx.loop = frame;
        ctx.expose(step, frame);
        if (!truthy(ctx.value(step.props.condition))) break;
        if (count >= step.props.maxIterations)
          throw ctx.error('LOOP_LIMIT', `the condition is still true after ${step.props.maxIterations} passes (maxIterations)`);
        if (sync) ctx.runStepsSync(step.children);
        else await ctx.runSteps(step.children);
        count++;
        if (endOfPass(ctx)) break;
        if ((count & 255) === 0) await ctx.breathe();
      }
    } finally {
      ctx.loop = outer;
    }
    return { count };
  },
  outputSchema: () => loopSchema(undefined),
};
