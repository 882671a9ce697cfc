import { z } from 'zod';
import { nameSchema } from '../model/names.js';
import { anyValue } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    name: nameSchema.describe('The variable to set; a name not declared by the sequence creates it'),
    value: anyValue().describe('Its new value; reading nothing removes the variable'),
  })
  .describe('Set Variable');
type Props = z.output<typeof props>;

export const setVariableStep: StepKind<Props> = {
  kind: 'setVariable',
  title: 'Set Variable',
  category: 'data',
  icon: 'variable',
  description: 'Sets a sequence variable, which later steps read as a source ({from: variables, path: "$.name"}) or by name in JavaScript.',
  props,
  container: false,
  runSync(step, ctx) {
    const value = ctx.value(step.props.value);
    ctx.setVariable(step.props.name, value);
    return value;
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: (step, derive) => derive.value(step.props.value),
};
