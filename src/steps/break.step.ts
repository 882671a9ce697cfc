import { z } from 'zod';
import { checkInLoop } from './loops.js';
import { FLOW_BREAK, type StepKind } from './step-kind.js';

const props = z.strictObject({}).describe('Break');

export const breakStep: StepKind<z.output<typeof props>> = {
  kind: 'break',
  title: 'Break',
  category: 'flow',
  icon: 'break',
  description: 'Leaves the enclosing Iterate or While now; the JSON object or array being built in this pass is not added.',
  props,
  container: false,
  runSync(_, ctx) {
    ctx.flow = FLOW_BREAK;
    return undefined;
  },
  async run(_, ctx) {
    ctx.flow = FLOW_BREAK;
    return undefined;
  },
  check: (_, ctx) => checkInLoop('Break', ctx),
};
