import { z } from 'zod';
import { SESSION_USER_KEY } from './io.js';
import type { StepKind } from './step-kind.js';

const props = z.strictObject({}).describe('Remove Authenticated User');
type Props = z.output<typeof props>;

/** Remove Authenticated User: logs the session's client out (the session's other keys stay). */
export const removeAuthenticatedUserStep: StepKind<Props> = {
  kind: 'removeAuthenticatedUser',
  title: 'Remove Authenticated User',
  category: 'session',
  icon: 'user',
  description: "Logs the session's client out: the session no longer carries a user or roles (its other keys stay). Its output is true when a user was set.",
  props,
  container: false,
  runSync(_step, ctx) {
    const data = ctx.sessionData();
    const had = Object.hasOwn(data, SESSION_USER_KEY);
    delete data[SESSION_USER_KEY];
    return had;
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: () => ({ type: 'boolean' }),
};
