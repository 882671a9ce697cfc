import { z } from 'zod';
import { nameSchema } from '../model/names.js';
import { callVariables, unknownVariables } from './calls.js';
import { callVariables as variablesProp } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    sequence: nameSchema.describe('The sequence of this project to call'),
    variables: variablesProp(),
    inheritVariables: z.boolean().default(false).describe("Also pass this sequence's variables whose names the called one declares (mapped variables win)"),
  })
  .describe('Call Sequence');
type Props = z.output<typeof props>;

/**
 * Call Sequence: runs another sequence of the project (own variables, outputs and sandbox; the same step
 * budget and deadline; at most 32 calls deep) and outputs what it returns. A sequence has no status, so
 * there is no failOnErrorStatus: its errors fail the step, and a Try handles them.
 */
export const callSequenceStep: StepKind<Props> = {
  kind: 'callSequence',
  title: 'Call Sequence',
  category: 'call',
  icon: 'sequence',
  description: 'Calls another sequence of this project with variables mapped from sources, expressions or constants, and outputs what it returns.',
  props,
  container: false,
  async run(step, ctx) {
    const p = step.props;
    const declared = () => ctx.project.sequences.find((s) => s.name === p.sequence)?.variables ?? [];
    return ctx.callSequence(step, p.sequence, callVariables(ctx, p.variables, p.inheritVariables, declared));
  },
  check(step, ctx) {
    const target = ctx.project.sequences.find((s) => s.name === step.raw.sequence);
    if (!target) {
      const names = ctx.project.sequences.map((s) => s.name);
      return [`props.sequence: project ${ctx.project.name} has no sequence "${step.raw.sequence}"${names.length ? ` (sequences: ${names.join(', ')})` : ''}`];
    }
    return unknownVariables(step.raw.variables as Record<string, unknown>, target.variables, `sequence ${target.name}`);
  },
  outputSchema: (step, derive) => derive.sequence(step.raw.sequence),
  refersTo: { prop: 'sequence', owner: 'sequence' },
};
