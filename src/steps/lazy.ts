import type { Json } from '../model/index.js';
import { endOfPass } from './loops.js';
import type { RunStep, StepContext } from './step-kind.js';

/**
 * A step output too large to hold: rows read on demand (Read CSV of a big file). Only an Iterate goes
 * through it, a batch at a time, so memory stays that of one batch whatever the file size. Its enumerable
 * fields (and toJSON) are a small preview, so traces, snapshots and schema samples stay serializable.
 */
export const LAZY_ROWS = Symbol.for('trellis.lazyRows');

export interface LazyRows {
  readonly [LAZY_ROWS]: true;
  /** a fresh pass over every row: each call reads from the start */
  batches(): AsyncIterable<readonly Json[]>;
}

export function isLazyRows(v: unknown): v is LazyRows {
  return typeof v === 'object' && v !== null && (v as Partial<LazyRows>)[LAZY_ROWS] === true;
}

/** Iterate over lazy rows: the same passes as over an array, with the file read as the loop goes. */
export async function iterateLazy(step: RunStep, ctx: StepContext, rows: LazyRows, maxItems: number | undefined): Promise<Json> {
  const outer = ctx.loop;
  const sync = step.childrenSync;
  let count = 0;
  try {
    // leaving the for-await early (break, return, an error) closes the file
    passes: for await (const batch of rows.batches()) {
      for (let i = 0; i < batch.length; i++) {
        if (maxItems !== undefined && count >= maxItems) break passes;
        const frame = { item: batch[i]!, index: count, count };
        ctx.loop = frame;
        ctx.expose(step, frame);
        if (sync) ctx.runStepsSync(step.children);
        else await ctx.runSteps(step.children);
        count++;
        if (endOfPass(ctx)) break passes;
      }
      await ctx.breathe();
    }
  } finally {
    ctx.loop = outer;
  }
  return { count };
}
