import { z } from 'zod';

export const DEBUG_COMMAND_NAMES = ['continue', 'stepOver', 'stepInto', 'stepOut', 'stop'] as const;
export const debugCommandSchema = z.enum(DEBUG_COMMAND_NAMES);
export type DebugCommandName = z.infer<typeof debugCommandSchema>;

export const breakpointSchema = z.object({
  /** the step id (unique in its sequence) */
  step: z.string().min(1),
  /** a JavaScript expression in the step's scope (variables, steps.<id>, item, index): pauses when truthy */
  condition: z.string().optional(),
});
export type BreakpointDto = z.infer<typeof breakpointSchema>;

const json = z.unknown();

/**
 * What the debugger shows at a pause. Values are bounded copies: a cut string ends with
 * `… [truncated: N chars]`, a cut array ends with an item `… [truncated: N more items, M in all]`, a cut
 * object has a key `…`; `truncated` is true when anything was cut.
 */
export const debugSnapshotSchema = z.object({
  reason: z.enum(['breakpoint', 'step', 'condition-error']),
  sequence: z.string(),
  step: z.object({ id: z.string(), path: z.string(), trace: z.string(), kind: z.string(), title: z.string() }),
  condition: z.string().optional(),
  conditionError: z.string().optional(),
  variables: z.record(z.string(), json),
  outputs: z.array(z.object({ step: z.string(), kind: z.string(), output: json })),
  loops: z.array(z.object({ step: z.string(), kind: z.string(), item: json, index: z.number(), count: z.number() })),
  session: json.optional(),
  callStack: z.array(z.object({ sequence: z.string(), step: z.string() })),
  truncated: z.boolean(),
});
export type DebugSnapshotDto = z.infer<typeof debugSnapshotSchema>;
