import { z } from 'zod';
import type { Json } from '../model/index.js';
import { keyOf } from './builders.js';
import { anyValue, dyn } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    key: dyn(z.string(), 'a key').optional().describe('The key it sets on the enclosing JSON Object (default: the step id); ignored inside a JSON Array'),
    value: anyValue().describe('The value: a constant, a source or an expression; reading nothing gives null'),
  })
  .describe('JSON Value');
type Props = z.output<typeof props>;

export const jsonValueStep: StepKind<Props> = {
  kind: 'jsonValue',
  title: 'JSON Value',
  category: 'data',
  icon: 'value',
  description: 'Sets `key` to `value` on the nearest enclosing JSON Object, or appends the value to the nearest enclosing JSON Array. Its output is the value.',
  props,
  container: false,
  builder: 'value',
  runSync(step, ctx) {
    const v = ctx.value(step.props.value);
    const value: Json = v === undefined ? null : v;
    const b = ctx.builder;
    if (b !== undefined) {
      if (Array.isArray(b)) b.push(value);
      else b[keyOf(step, ctx)] = value;
    }
    return value;
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: (step, derive) => derive.value(step.props.value),
};
