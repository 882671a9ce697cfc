import { z } from 'zod';
import type { JSONSchema } from '../schema/types.js';
import type { StepKind } from './step-kind.js';

const props = z.strictObject({}).describe('Catch');

export const ERROR_SCHEMA: JSONSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    path: { type: 'string' },
    details: {},
  },
  required: ['code', 'message'],
};

/** Catch: runs (from its Try) with the error as its output, readable by its children as soon as it starts. */
export const catchStep: StepKind<z.output<typeof props>> = {
  kind: 'catch',
  title: 'Catch',
  category: 'flow',
  icon: 'catch',
  description:
    'Inside a Try, after its other steps: runs when one of them fails. Its output is the error {code, message, path, details}: read it with a source ({from: <this step>, path: "$.message"}) or steps.<id> in JavaScript. An error raised here goes on after Finally.',
  props,
  container: true,
  exposes: true,
  async run(step, ctx) {
    const error = ctx.caught ?? null;
    ctx.expose(step, error);
    await ctx.runSteps(step.children);
    return error;
  },
  check(step, ctx) {
    if (ctx.parent?.kind.kind !== 'try') return ['a Catch goes inside a Try step, after its other steps'];
    const siblings = ctx.parent.children;
    const after = siblings.slice(siblings.indexOf(step) + 1);
    if (after.some((s) => s.kind.kind !== 'finally')) return ['a Catch comes after the other steps of its Try (only a Finally may follow it)'];
    if (siblings.filter((s) => s.kind.kind === 'catch').length > 1) return ['a Try has at most one Catch'];
    return [];
  },
  outputSchema: () => ERROR_SCHEMA,
};
