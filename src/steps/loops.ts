import type { JSONSchema } from '../schema/types.js';
import { FLOW_BREAK, FLOW_CONTINUE, FLOW_NONE, type CheckContext, type StepContext } from './step-kind.js';

/** After a pass: consumes break/continue aimed at this loop; true when the loop must stop (break, return). */
export function endOfPass(ctx: StepContext): boolean {
  const flow = ctx.flow;
  if (flow === FLOW_NONE) return false;
  if (flow === FLOW_CONTINUE) {
    ctx.flow = FLOW_NONE;
    return false;
  }
  if (flow === FLOW_BREAK) ctx.flow = FLOW_NONE;
  return true; // break, or return travelling up to the sequence
}

/** break / continue need an enclosing loop, reached without crossing a parallel (branches are not passes). */
export function checkInLoop(title: string, ctx: CheckContext): string[] {
  for (const a of ctx.ancestors) {
    if (a.kind.loop) return [];
    if (a.kind.concurrent) return [`${title} cannot leave a Parallel branch ("${a.id}"): put the loop inside the branch`];
  }
  return [`${title} must be inside an Iterate or While step`];
}

export const loopSchema = (item: JSONSchema | undefined): JSONSchema => ({
  type: 'object',
  description: 'during a pass: the current item, index and passes done; after the loop: the count of passes',
  properties: { ...(item ? { item } : {}), index: { type: 'integer' }, count: { type: 'integer' } },
  required: ['count'],
});
