import { z } from 'zod';
import { nameSchema } from './names.js';
import { variableSchema } from './variable.js';

export const STEP_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Step {
  id: string;
  kind: string;
  description?: string;
  disabled?: boolean;
  props?: Record<string, unknown>;
  steps?: Step[];
}

export const stepSchema: z.ZodType<Step> = z.lazy(() =>
  z
    .object({
      id: z.string().regex(STEP_ID_PATTERN, 'a step id starts with a letter or _ and holds only letters, digits and _'),
      kind: z.string().min(1),
      description: z.string().optional(),
      disabled: z.boolean().optional(),
      props: z.record(z.string(), z.unknown()).optional(),
      steps: z.array(stepSchema).optional(),
    })
    .strict(),
);

export const sequenceSchema = z
  .object({
    name: nameSchema,
    description: z.string().optional(),
    exposed: z.boolean().default(true),
    /** the runtime serves it only to callers holding one of these roles (JWT claim or API key roles) */
    roles: z.array(z.string().min(1)).optional(),
    /** the runtime keeps its variables in a session (cookie trellis_session) between calls */
    stateful: z.boolean().optional(),
    /** limits of each JavaScript evaluation in this sequence */
    limits: z
      .object({
        scriptTimeoutMs: z.number().int().positive().optional(),
        scriptMemoryMb: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    variables: z.array(variableSchema).default([]),
    steps: z.array(stepSchema).default([]),
  })
  .strict();
export type Sequence = z.infer<typeof sequenceSchema>;
