import { z } from 'zod';
import { anyValue } from './props.js';
import { sessionKeyProp } from './session-props.js';
import type { StepKind } from './step-kind.js';

const props = z.strictObject({ key: sessionKeyProp(), value: anyValue().describe('What to keep (JSON)') }).describe('Session Set');
type Props = z.output<typeof props>;

/** Session Set: keeps a value in the session; the runtime saves it when the sequence succeeds. */
export const sessionSetStep: StepKind<Props> = {
  kind: 'sessionSet',
  title: 'Session Set',
  category: 'session',
  icon: 'session',
  description: "Keeps a value in the caller's session under a key, for the next calls of the same client (saved when the sequence succeeds). Its output is the value.",
  props,
  container: false,
  runSync(step, ctx) {
    const v = ctx.value(step.props.value);
    const value = v === undefined ? null : v;
    ctx.sessionData()[step.props.key] = structuredClone(value);
    return value;
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: (step, derive) => derive.value(step.props.value),
};
