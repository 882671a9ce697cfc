import { z } from 'zod';
import { anyValue } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z.strictObject({ value: anyValue().describe('What the sequence returns') }).describe('Output');
type Props = z.output<typeof props>;

/**
 * Output: sets what the sequence returns (the last Output to run wins; a Return with a value overrides).
 * Without any, a sequence returns the value of its last top-level JSON builder, else null.
 */
export const outputStep: StepKind<Props> = {
  kind: 'output',
  title: 'Output',
  category: 'data',
  icon: 'output',
  description: 'Sets what the sequence returns. Without an Output step, the sequence returns the JSON built by its last top-level JSON Object or Array.',
  props,
  container: false,
  runSync(step, ctx) {
    const v = ctx.value(step.props.value);
    const value = v === undefined ? null : v;
    ctx.setOutput(value);
    return value;
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: (step, derive) => derive.value(step.props.value),
  sequenceOutput: (step, derive) => derive.value(step.props.value),
};
