import { z } from 'zod';
import type { Json } from '../model/index.js';
import { anyValue, condition, truthy } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    value: anyValue().describe('The array to filter, usually a source'),
    condition: condition().describe('Kept when true; an expression reads the element as `item` and its position as `index`: {js: "item.price > 10"}'),
  })
  .describe('Filter');
type Props = z.output<typeof props>;

/** Filter: the elements of an array for which the condition holds (`item`, `index` in scope, as in an Iterate). */
export const filterStep: StepKind<Props> = {
  kind: 'filter',
  title: 'Filter',
  category: 'data',
  icon: 'filter',
  description: 'Keeps the elements of an array for which the condition is true; in the condition, `item` is the element and `index` its position. Its output is the filtered array.',
  props,
  container: false,
  runSync(step, ctx) {
    const v = ctx.value(step.props.value);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw ctx.error('BAD_VARIABLE', `value must be an array to filter, got ${typeof v === 'object' ? 'an object' : typeof v}`);
    const outer = ctx.loop;
    const kept: Json[] = [];
    try {
      for (let i = 0; i < v.length; i++) {
        ctx.loop = { item: v[i], index: i, count: i };
        if (truthy(ctx.value(step.props.condition))) kept.push(v[i]!);
      }
    } finally {
      ctx.loop = outer;
    }
    return kept;
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: (step, derive) => derive.value(step.props.value),
};
