import { z } from 'zod';
import type { Json } from '../model/index.js';
import { anyValue } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    value: anyValue().describe('The array to sort, usually a source'),
    by: z.string().optional().describe('Sort objects by this key (a dotted path: `address.city`); empty sorts the values themselves'),
    order: z.enum(['asc', 'desc']).default('asc').describe('Ascending or descending'),
  })
  .describe('Sort');
type Props = z.output<typeof props>;

function at(v: Json, path: string[] | undefined): Json | undefined {
  let cur: Json | undefined = v;
  for (const k of path ?? []) cur = cur && typeof cur === 'object' && !Array.isArray(cur) ? cur[k] : undefined;
  return cur;
}

const RANK: Record<string, number> = { number: 0, string: 1, boolean: 2, object: 3 };

/** Numbers by value, texts by locale-independent order; missing and null values last whatever the order. */
function compare(a: Json | undefined, b: Json | undefined): number {
  const na = a === undefined || a === null;
  const nb = b === undefined || b === null;
  if (na || nb) return na === nb ? 0 : na ? 1 : -1;
  const ta = RANK[typeof a] ?? 3;
  const tb = RANK[typeof b] ?? 3;
  if (ta !== tb) return ta - tb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return 0;
}

/** Sort: a stable sort of an array (a new array: the source stays as it was). */
export const sortStep: StepKind<Props> = {
  kind: 'sort',
  title: 'Sort',
  category: 'data',
  icon: 'sort',
  description: 'Sorts an array, by a key of its objects or by the values themselves, ascending or descending (stable; missing values last). Its output is the sorted array.',
  props,
  container: false,
  runSync(step, ctx) {
    const p = step.props;
    const v = ctx.value(p.value);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw ctx.error('BAD_VARIABLE', `value must be an array to sort, got ${typeof v === 'object' ? 'an object' : typeof v}`);
    const path = p.by ? p.by.split('.') : undefined;
    const sign = p.order === 'desc' ? -1 : 1;
    return [...v].sort((x, y) => {
      const a = at(x, path);
      const b = at(y, path);
      if (a === undefined || a === null || b === undefined || b === null) return compare(a, b);
      return sign * compare(a, b);
    });
  },
  async run(step, ctx) {
    return this.runSync!(step, ctx);
  },
  outputSchema: (step, derive) => derive.value(step.props.value),
};
