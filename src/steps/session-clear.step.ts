import { z } from 'zod';
import { SESSION_USER_KEY } from './io.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({ keepUser: z.boolean().default(true).describe('Keep the authenticated user (Remove Authenticated User logs out)') })
  .describe('Session Clear');
type Props = z.output<typeof props>;

export const sessionClearStep: StepKind<Props> = {
  kind: 'sessionClear',
  title: 'Session Clear',
  category: 'session',
  icon: 'session',
  description: "Removes every key of the caller's session for this project (the authenticated user stays unless keepUser is off). Its output is the number of keys removed.",
  props,
  container: false,
  runSync(step, ctx) {
    const data = ctx.sessionData();
    let removed = 0;
    for (const k of Object.keys(data)) {
      if (k === SESSION_USER_KEY && step.props.keepUser) continue;
      delete data[k];
      removed++;
    }
    return removed;
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: () => ({ type: 'integer' }),
};
