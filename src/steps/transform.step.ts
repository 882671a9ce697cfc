import jsonata from 'jsonata';
import { z } from 'zod';
import type { Json } from '../model/index.js';
import { anyValue } from './props.js';
import type { RunStep, StepKind } from './step-kind.js';

const props = z
  .strictObject({
    value: anyValue().describe('The input ($ in the expression), usually a source'),
    expression: z.string().min(1, 'write a JSONata expression').describe('A JSONata expression reshaping the input, e.g. `items.{"id": sku, "total": price * qty}`'),
    bindings: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'binding names are identifiers'), anyValue()).optional().describe('Extra values the expression reads as $name'),
  })
  .describe('Transform');
type Props = z.output<typeof props>;

// compiled once per step object (steps are compiled once per sequence and reused)
const compiled = new WeakMap<RunStep, ReturnType<typeof jsonata>>();

function expressionOf(step: RunStep<Props>): ReturnType<typeof jsonata> {
  let e = compiled.get(step);
  if (!e) {
    e = jsonata(step.props.expression);
    compiled.set(step, e);
  }
  return e;
}

/** Transform: reshapes JSON with a JSONata expression. */
export const transformStep: StepKind<Props> = {
  kind: 'transform',
  title: 'Transform',
  category: 'data',
  icon: 'transform',
  description: 'Reshapes JSON with a JSONata expression (https://jsonata.org): the input is `value`, `bindings` add $names. Its output is the expression\'s result.',
  props,
  container: false,
  async run(step, ctx) {
    let expression: ReturnType<typeof jsonata>;
    try {
      expression = expressionOf(step);
    } catch (e) {
      const err = e as { message: string; position?: number };
      throw ctx.error('BAD_VARIABLE', `the JSONata expression does not parse at position ${err.position ?? '?'}: ${err.message}`);
    }
    const bindings: Record<string, unknown> = {};
    Object.assign(bindings, (ctx.value(step.props.bindings) ?? {}) as Record<string, unknown>); // resolved as a whole
    try {
      const out = (await expression.evaluate(ctx.value(step.props.value) ?? null, bindings)) as unknown;
      // JSONata sequences carry a marker property: a JSON round trip gives plain values (undefined → null)
      return out === undefined ? null : (JSON.parse(JSON.stringify(out)) as Json);
    } catch (e) {
      const err = e as { message: string; position?: number; code?: string };
      throw ctx.error('SCRIPT_ERROR', `the JSONata expression failed${err.position !== undefined ? ` at position ${err.position}` : ''}: ${err.message}`);
    }
  },
  check(step) {
    try {
      jsonata(step.raw.expression);
      return [];
    } catch (e) {
      const err = e as { message: string; position?: number };
      return [`props.expression: JSONata does not parse at position ${err.position ?? '?'}: ${err.message}`];
    }
  },
};
