import { z } from 'zod';
import { sessionKeyProp } from './session-props.js';
import type { StepKind } from './step-kind.js';

const props = z.strictObject({ key: sessionKeyProp() }).describe('Session Remove');
type Props = z.output<typeof props>;

export const sessionRemoveStep: StepKind<Props> = {
  kind: 'sessionRemove',
  title: 'Session Remove',
  category: 'session',
  icon: 'session',
  description: "Removes a key from the caller's session. Its output is true when the key was there.",
  props,
  container: false,
  runSync(step, ctx) {
    const data = ctx.sessionData();
    const had = Object.hasOwn(data, step.props.key);
    delete data[step.props.key];
    return had;
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: () => ({ type: 'boolean' }),
};
