import { z } from 'zod';
import type { Json } from '../model/index.js';
import type { JSONSchema } from '../schema/types.js';
import { typesOf } from '../schema/types.js';
import { isLazyRows, iterateLazy } from './lazy.js';
import { endOfPass, loopSchema } from './loops.js';
import { anyValue, dyn } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    over: anyValue()
      .optional()
      .describe('The array to go through, usually a source. A single value that is not an array makes one pass (an XML list of one element); null or nothing makes none.'),
    times: dyn(z.number().int().min(0), 'a number of passes').optional().describe('Instead of `over`: make this many passes (item = index)'),
    maxItems: z.number().int().positive().optional().describe('Stop after this many passes'),
  })
  .describe('Iterate');
type Props = z.output<typeof props>;

const EMPTY: readonly Json[] = Object.freeze([]);

/**
 * Iterate: runs its steps once per item. During a pass, its output is `{item, index, count}` (sources:
 * `{from: <iterate id>, path: "$.item.name"}`; expressions: `item`, `index`); after the loop, `{count}`.
 */
export const iterateStep: StepKind<Props> = {
  kind: 'iterate',
  title: 'Iterate',
  category: 'flow',
  icon: 'loop',
  description:
    'Runs its steps once per item of an array (or a number of times). Inside, `item` and `index` (and the source {from: <this step>, path: "$.item"}) give the current pass. Break and Continue steps leave the loop or skip to the next item.',
  props,
  container: true,
  loop: true,
  exposes: true,
  async run(step, ctx) {
    const p = step.props;
    let items: readonly Json[] | undefined;
    let passes: number;
    if (p.over !== undefined) {
      const v = ctx.value(p.over);
      if (isLazyRows(v)) return iterateLazy(step, ctx, v, p.maxItems); // a streamed file: read as the loop goes
      items = v === undefined || v === null ? EMPTY : Array.isArray(v) ? v : [v];
      passes = items.length;
    } else {
      const t = ctx.value(p.times);
      if (typeof t !== 'number' || !(t >= 0)) throw ctx.error('BAD_VARIABLE', `times is ${JSON.stringify(t)}, not a number of passes`);
      passes = Math.floor(t);
    }
    if (p.maxItems !== undefined && passes > p.maxItems) passes = p.maxItems;
    const outer = ctx.loop;
    const sync = step.childrenSync;
    let count = 0;
    try {
      while (count < passes) {
        const frame = { item: items === undefined ? count : items[count]!, index: count, count };
        ctx.loop = frame;
        ctx.expose(step, frame);
        if (sync) ctx.runStepsSync(step.children);
        else await ctx.runSteps(step.children);
        count++;
        if (endOfPass(ctx)) break;
        if ((count & 1023) === 0) await ctx.breathe();
      }
    } finally {
      ctx.loop = outer;
    }
    return { count };
  },
  check(step) {
    const p = step.raw;
    if (p.over === undefined && p.times === undefined) return ['an Iterate needs `over` (an array) or `times`'];
    if (p.over !== undefined && p.times !== undefined) return ['an Iterate takes `over` or `times`, not both'];
    return [];
  },
  outputSchema(step, derive) {
    if (step.props.over === undefined) return loopSchema({ type: 'integer' });
    const over = derive.value(step.props.over);
    const item: JSONSchema = typesOf(over).includes('array') ? (over.items ?? {}) : over;
    return loopSchema(item);
  },
};
