import { z } from 'zod';
import { checkInLoop } from './loops.js';
import { FLOW_CONTINUE, type StepKind } from './step-kind.js';

const props = z.strictObject({}).describe('Continue');

export const continueStep: StepKind<z.output<typeof props>> = {
  kind: 'continue',
  title: 'Continue',
  category: 'flow',
  icon: 'continue',
  description: 'Skips the rest of this pass of the enclosing Iterate or While; the JSON object or array being built in this pass is not added.',
  props,
  container: false,
  runSync(_, ctx) {
    ctx.flow = FLOW_CONTINUE;
    return undefined;
  },
  async run(_, ctx) {
    ctx.flow = FLOW_CONTINUE;
    return undefined;
  },
  check: (_, ctx) => checkInLoop('Continue', ctx),
};
