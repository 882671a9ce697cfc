import { z } from 'zod';
import type { Json } from '../model/index.js';
import { attach } from './builders.js';
import { dyn } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    key: dyn(z.string(), 'a key').optional().describe('Its key in an enclosing JSON Object (default: the step id); ignored inside a JSON Array'),
  })
  .describe('JSON Object');
type Props = z.output<typeof props>;

/** JSON Object: builds an object from the JSON Value / Object / Array steps inside it (see builders.ts). */
export const jsonObjectStep: StepKind<Props> = {
  kind: 'jsonObject',
  title: 'JSON Object',
  category: 'data',
  icon: 'braces',
  description:
    'Builds a JSON object: each JSON Value inside sets a key, nested JSON Objects and Arrays add theirs, through Ifs and loops in between. Inside a JSON Array it is appended (once per pass of a loop). Its output is the object.',
  props,
  container: true,
  builder: 'object',
  runSync(step, ctx) {
    const value: Record<string, Json> = {};
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
    const value: Record<string, Json> = {};
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
