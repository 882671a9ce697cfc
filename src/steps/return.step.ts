import { z } from 'zod';
import { anyValue } from './props.js';
import { FLOW_RETURN, type StepKind } from './step-kind.js';

const props = z
  .strictObject({
    value: anyValue().optional().describe('What the sequence returns; without it, the output so far (Output steps, else the built JSON)'),
  })
  .describe('Return');
type Props = z.output<typeof props>;

/** Return: ends the sequence (Finally steps still run), optionally setting its output. */
export const returnStep: StepKind<Props> = {
  kind: 'return',
  title: 'Return',
  category: 'flow',
  icon: 'return',
  description: 'Ends the sequence now, from any depth of loops and branches, returning `value` when given (Finally steps still run).',
  props,
  container: false,
  runSync(step, ctx) {
    if (step.props.value !== undefined) ctx.setOutput(ctx.value(step.props.value) ?? null);
    ctx.flow = FLOW_RETURN;
    return undefined;
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  sequenceOutput: (step, derive) => (step.props.value === undefined ? undefined : derive.value(step.props.value)),
};
