import type { Json, Variable } from '../model/index.js';
import type { StepContext } from './step-kind.js';

/**
 * The variables a call passes: with `inheritVariables`, the caller's variables whose names the callee
 * declares; then the mapped ones (constants, sources, expressions), which win. A mapped value that reads
 * nothing is left out, so the callee's default applies.
 */
export function callVariables(ctx: StepContext, mapped: unknown, inherit: boolean, declared: () => readonly Variable[]): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  if (inherit) {
    for (const v of declared()) if (Object.hasOwn(ctx.variables, v.name)) vars[v.name] = ctx.variables[v.name];
  }
  const values = ctx.value(mapped) as Record<string, Json> | undefined;
  if (values) for (const name in values) if (values[name] !== undefined) vars[name] = values[name];
  return vars;
}

/** Names mapped in `variables` that the callee does not declare. */
export function unknownVariables(mapped: Record<string, unknown> | undefined, declared: readonly Variable[], callee: string): string[] {
  const names = new Set(declared.map((v) => v.name));
  return Object.keys(mapped ?? {})
    .filter((n) => !names.has(n))
    .map((n) => `props.variables.${n}: ${callee} has no variable "${n}"${names.size ? ` (it has: ${[...names].join(', ')})` : ' (it declares none)'}`);
}
