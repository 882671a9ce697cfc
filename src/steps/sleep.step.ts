import { z } from 'zod';
import { dyn } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({ ms: dyn(z.number().min(0), 'milliseconds').describe('How long to wait, in milliseconds') })
  .describe('Sleep');
type Props = z.output<typeof props>;

export const sleepStep: StepKind<Props> = {
  kind: 'sleep',
  title: 'Sleep',
  category: 'misc',
  icon: 'clock',
  description: 'Waits for `ms` milliseconds (cut short by cancellation or the execution deadline).',
  props,
  container: false,
  async run(step, ctx) {
    const ms = ctx.value(step.props.ms);
    if (typeof ms !== 'number' || !(ms >= 0)) throw ctx.error('BAD_VARIABLE', `ms is ${JSON.stringify(ms)}, not a number of milliseconds`);
    await ctx.sleep(ms);
    return undefined;
  },
};
