import { z } from 'zod';
import { FLOW_NONE, type RunStep, type StepKind } from './step-kind.js';

const props = z.strictObject({}).describe('Try');

/**
 * Try / Catch / Finally. Shape: a `try` container whose last children may be one `catch` and then one
 * `finally` container:
 *
 *   - id: guarded
 *     kind: try
 *     steps:
 *       - { id: product, kind: callTransaction, ... }   # the body
 *       - { id: failed, kind: catch, steps: [...] }     # runs when the body fails; output {code, message, path}
 *       - { id: cleanup, kind: finally, steps: [...] }  # always runs, even after break/continue/return
 *
 * Keeping the handlers inside the try (rather than as siblings like elseIf/else) makes the whole
 * construct one node that moves as a unit on the canvas and needs no state between siblings.
 * Cancellation, the execution's deadline and the step budget are never caught.
 */
interface Parts {
  body: readonly RunStep[];
  handler: RunStep | undefined;
  cleanup: RunStep | undefined;
}

const parts = new WeakMap<RunStep, Parts>();

function split(step: RunStep): Parts {
  let p = parts.get(step);
  if (!p) {
    p = {
      body: step.children.filter((c) => c.kind.kind !== 'catch' && c.kind.kind !== 'finally'),
      handler: step.children.find((c) => c.kind.kind === 'catch'),
      cleanup: step.children.find((c) => c.kind.kind === 'finally'),
    };
    parts.set(step, p);
  }
  return p;
}

export const tryStep: StepKind<z.output<typeof props>> = {
  kind: 'try',
  title: 'Try',
  category: 'flow',
  icon: 'shield',
  description:
    'Runs its steps; when one fails, its Catch step (a child placed after the others) runs with the error as its output ({code, message, path}). Its Finally step (the last child) always runs. Without a Catch, the error goes on after Finally.',
  props,
  container: true,
  async run(step, ctx) {
    const { body, handler, cleanup } = split(step);
    let failed = false;
    let pending: unknown;
    try {
      await ctx.runSteps(body);
    } catch (e) {
      if (!ctx.catchable(e)) throw e;
      failed = true;
      pending = e;
    }
    if (failed && handler) {
      const outer = ctx.caught;
      ctx.caught = ctx.errorValue(pending);
      failed = false;
      try {
        await ctx.runSteps([handler]);
      } catch (e) {
        if (!ctx.catchable(e)) throw e;
        failed = true;
        pending = e;
      } finally {
        ctx.caught = outer;
      }
    }
    if (cleanup) {
      const flow = ctx.flow;
      ctx.flow = FLOW_NONE;
      await ctx.runSteps([cleanup]); // an error here replaces a pending one, as in JavaScript
      if (ctx.flow === FLOW_NONE) ctx.flow = flow;
    }
    if (failed) throw pending;
    return undefined;
  },
  check(step) {
    const { handler, cleanup } = split(step);
    return handler || cleanup ? [] : ['a Try needs a Catch or a Finally step as its last child'];
  },
};
