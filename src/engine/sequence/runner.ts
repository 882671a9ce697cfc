import type { Json } from '../../model/index.js';
import { FLOW_NONE, type RunStep } from '../../steps/step-kind.js';
import type { Ctx } from './context.js';

/**
 * The step loop. A step whose subtree never waits (`sync`) runs without a promise: that is what keeps the
 * per-step overhead well under a microsecond. Between steps: the budget, cancellation and the deadline;
 * after each step: the control signal (break, continue, return) stops the siblings.
 */
export async function runSteps(steps: readonly RunStep[], ctx: Ctx): Promise<void> {
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (s.sync) runStepSync(s, ctx);
    else await runStepAsync(s, ctx);
    if (ctx.flow !== FLOW_NONE) return;
  }
}

export function runStepsSync(steps: readonly RunStep[], ctx: Ctx): void {
  for (let i = 0; i < steps.length; i++) {
    runStepSync(steps[i]!, ctx);
    if (ctx.flow !== FLOW_NONE) return;
  }
}

export function runStepSync(s: RunStep, ctx: Ctx): void {
  const run = ctx.run;
  if (run.emit === undefined) {
    try {
      run.tick();
      run.current = s;
      run.outputs[s.slot] = s.kind.runSync!(s, ctx);
    } catch (e) {
      throw run.fail(e, s);
    }
    return;
  }
  const started = performance.now();
  const step = run.tracePrefix + s.path;
  run.trace({ step, phase: 'start', ms: 0 });
  let out: Json | undefined;
  try {
    run.tick();
    run.current = s;
    out = s.kind.runSync!(s, ctx);
  } catch (e) {
    throw traced(ctx, s, e, started);
  }
  run.outputs[s.slot] = out;
  run.trace(out === undefined ? { step, phase: 'end', ms: performance.now() - started } : { step, phase: 'end', ms: performance.now() - started, output: out });
}

export async function runStepAsync(s: RunStep, ctx: Ctx): Promise<void> {
  const run = ctx.run;
  // Under a debugger every step comes here (a debug compile has no sync steps), so it may pause before any.
  if (run.debug !== undefined) await debugStop(s, ctx);
  const started = run.emit === undefined ? 0 : performance.now();
  const step = run.tracePrefix + s.path;
  if (run.emit !== undefined) run.trace({ step, phase: 'start', ms: 0 });
  let out: Json | undefined;
  try {
    run.tick();
    run.checkpoint();
    run.current = s;
    out = await s.kind.run(s, ctx);
  } catch (e) {
    throw run.emit === undefined ? run.fail(e, s) : traced(ctx, s, e, started);
  }
  run.outputs[s.slot] = out;
  if (run.emit !== undefined)
    run.trace(out === undefined ? { step, phase: 'end', ms: performance.now() - started } : { step, phase: 'end', ms: performance.now() - started, output: out });
}

function traced(ctx: Ctx, s: RunStep, e: unknown, started: number) {
  const run = ctx.run;
  const error = run.fail(e, s);
  run.trace({ step: run.tracePrefix + s.path, phase: 'error', ms: performance.now() - started, error: { code: error.code, message: error.message, path: error.path } });
  return error;
}

async function debugStop(s: RunStep, ctx: Ctx): Promise<void> {
  try {
    await ctx.run.debug!.beforeStep(s, ctx);
  } catch (e) {
    throw ctx.run.emit === undefined ? ctx.run.fail(e, s) : traced(ctx, s, e, performance.now());
  }
}
