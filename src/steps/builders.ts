import type { Json } from '../model/index.js';
import { FLOW_BREAK, FLOW_CONTINUE, type BuilderFrame, type RunStep, type StepContext } from './step-kind.js';

/**
 * How JSON builders compose (DESIGN.md): a builder writes into the nearest enclosing builder, through any
 * flow containers in between. Into an object it sets its key (the `key` prop, else its step id); into an
 * array it appends, once per pass of an enclosing loop. A builder with no enclosing builder hands its value
 * to the run: the sequence returns the last such value unless an Output or Return step says otherwise.
 * A builder left by break or continue is not added (continue skips the item being built).
 */
export function attach(step: RunStep<{ key?: unknown }>, ctx: StepContext, parent: BuilderFrame | undefined, value: Json): void {
  if (ctx.flow === FLOW_BREAK || ctx.flow === FLOW_CONTINUE) return;
  if (parent === undefined) ctx.built(value);
  else if (Array.isArray(parent)) parent.push(value);
  else parent[keyOf(step, ctx)] = value;
}

/** The key a builder sets on an enclosing object: its `key` prop (usually a constant), else its step id. */
export function keyOf(step: RunStep<{ key?: unknown }>, ctx: StepContext): string {
  const k = step.props.key;
  if (typeof k === 'string') return k;
  const key = k === undefined ? undefined : ctx.value(k);
  return key === undefined || key === null ? step.id : typeof key === 'string' ? key : String(key);
}
