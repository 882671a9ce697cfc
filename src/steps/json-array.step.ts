import { z } from 'zod';
import type { Json } from '../model/index.js';
import { attach } from './builders.js';
import { dyn } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    key: dyn(z.string(), 'a key').optional().describe('Its key in an enclosing JSON Object (default: the step id); ignored inside a JSON Array'),
  })
  .describe('JSON Array');
type Props = z.output<typeof props>;

/** JSON Array: collects the values of the builders inside it, typically one per pass of an Iterate. */
export const jsonArrayStep: StepKind<Props> = {
  kind: 'jsonArray',
  title: 'JSON Array',
  category: 'data',
  icon: 'brackets',
  description:
    'Builds a JSON array: JSON Values inside append their value, JSON Objects and Arrays inside append what they built, once per pass of an Iterate in between. Its output is the array.',
  props,
  container: true,
  builder: 'array',
  runSync(step, ctx) {
    const value: Json[] = [];
    const parent = ctx.builder;
    ctx.builder = value;
    try {
      ctx.runStepsSync(step.children);
    } finally {
      ctx.builder = parent;
    }
    attach(step, ctx, parent, value);
    return value;
  },
  async run(step, ctx) {
    const value: Json[] = [];
    const parent = ctx.builder;
    ctx.builder = value;
    try {
      await ctx.runSteps(step.children);
    } finally {
      ctx.builder = parent;
    }
    attach(step, ctx, parent, value);
    return value;
  },
  outputSchema: (step, derive) => derive.built(step),
};
