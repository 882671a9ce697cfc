import { z } from 'zod';
import { condition, truthy } from './props.js';
import type { CheckContext, StepKind } from './step-kind.js';

const props = z.strictObject({ condition: condition() }).describe('Else If');
type Props = z.output<typeof props>;

/** The placement rule shared by elseIf and else: right after an if or an elseIf. */
export function checkChained(title: string, ctx: CheckContext): string[] {
  const previous = ctx.previous?.kind.kind;
  return previous === 'if' || previous === 'elseIf' ? [] : [`${title} must come right after an If or an Else If step${ctx.previous ? ` (it follows "${ctx.previous.id}", a ${previous})` : ''}`];
}

export const elseIfStep: StepKind<Props> = {
  kind: 'elseIf',
  title: 'Else If',
  category: 'flow',
  icon: 'branch',
  description: 'Placed right after an If or Else If: runs its steps when none of the previous branches ran and its condition is truthy.',
  props,
  container: true,
  alternative: true,
  runSync(step, ctx) {
    if (ctx.chain) return undefined;
    const taken = truthy(ctx.value(step.props.condition));
    if (taken) ctx.runStepsSync(step.children);
    ctx.chain = taken;
    return taken;
  },
  async run(step, ctx) {
    if (ctx.chain) return undefined;
    const taken = truthy(ctx.value(step.props.condition));
    if (taken) await ctx.runSteps(step.children);
    ctx.chain = taken;
    return taken;
  },
  check: (_, ctx) => checkChained('Else If', ctx),
  outputSchema: () => ({ type: 'boolean' }),
};
