import { z } from 'zod';
import { dyn } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({ status: dyn(z.number().int().min(200).max(599), 'an HTTP status 200-599').describe('The HTTP status of the reply: 201 Created, 202, 404…') })
  .describe('Set Response Status');
type Props = z.output<typeof props>;

/** Set Response Status: the status of the runtime's reply when the sequence succeeds (errors keep theirs). */
export const setResponseStatusStep: StepKind<Props> = {
  kind: 'setResponseStatus',
  title: 'Set Response Status',
  category: 'misc',
  icon: 'response',
  description: 'Sets the HTTP status of the reply of an exposed sequence (200-599; applied when it succeeds, over the mapping\'s status). Its output is the status.',
  props,
  container: false,
  runSync(step, ctx) {
    const status = ctx.value(step.props.status);
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)
      throw ctx.error('BAD_VARIABLE', `status must be an HTTP status between 200 and 599, got ${JSON.stringify(status)}`);
    if (ctx.io.response) ctx.io.response.status = status;
    return status;
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: () => ({ type: 'integer' }),
};
