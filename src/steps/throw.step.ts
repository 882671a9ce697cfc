import { z } from 'zod';
import { dyn } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    code: dyn(z.string().min(1), 'an error code').default('THROWN').describe('The error code, e.g. NOT_FOUND'),
    message: dyn(z.string(), 'a message').describe('What went wrong, for the caller'),
  })
  .describe('Throw');
type Props = z.output<typeof props>;

export const throwStep: StepKind<Props> = {
  kind: 'throw',
  title: 'Throw',
  category: 'misc',
  icon: 'alert',
  description: 'Fails the sequence with an error code and message (a Try around it can catch it).',
  props,
  container: false,
  runSync(step, ctx) {
    const code = ctx.value(step.props.code);
    const message = ctx.value(step.props.message);
    throw ctx.error(typeof code === 'string' && code ? code : 'THROWN', typeof message === 'string' ? message : JSON.stringify(message ?? null));
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
};
