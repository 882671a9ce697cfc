import { z } from 'zod';
import type { StepKind } from './step-kind.js';

const props = z.strictObject({}).describe('Finally');

export const finallyStep: StepKind<z.output<typeof props>> = {
  kind: 'finally',
  title: 'Finally',
  category: 'flow',
  icon: 'finally',
  description: 'The last step of a Try: always runs, whether the other steps succeeded, failed or left with Break, Continue or Return.',
  props,
  container: true,
  async run(step, ctx) {
    await ctx.runSteps(step.children);
    return undefined;
  },
  check(step, ctx) {
    if (ctx.parent?.kind.kind !== 'try') return ['a Finally goes inside a Try step, as its last child'];
    const siblings = ctx.parent.children;
    if (siblings[siblings.length - 1] !== step) return ['a Finally is the last child of its Try'];
    return [];
  },
};
