import { z } from 'zod';
import { anyValue } from './props.js';
import { sessionKeyProp } from './session-props.js';
import type { StepKind } from './step-kind.js';

const props = z.strictObject({ key: sessionKeyProp(), default: anyValue().optional().describe('The output when the session holds nothing under the key') }).describe('Session Get');
type Props = z.output<typeof props>;

/** Session Get: a value the session holds (runtime: per client, memory or Redis; studio: the studio session). */
export const sessionGetStep: StepKind<Props> = {
  kind: 'sessionGet',
  title: 'Session Get',
  category: 'session',
  icon: 'session',
  description: "Reads a value of the caller's session (stateful sequences; the studio keeps its own session). Its output is the value, else `default`, else null.",
  props,
  container: false,
  runSync(step, ctx) {
    const data = ctx.sessionData();
    if (Object.hasOwn(data, step.props.key)) return data[step.props.key]!;
    return step.props.default === undefined ? null : (ctx.value(step.props.default) ?? null);
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
};
