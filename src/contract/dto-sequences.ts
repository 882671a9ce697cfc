import { z } from 'zod';

export const stepKindInfoSchema = z.object({
  kind: z.string(),
  title: z.string(),
  category: z.enum(['call', 'flow', 'data', 'file', 'session', 'misc']),
  icon: z.string(),
  description: z.string(),
  container: z.boolean(),
  /** JSON Schema of the step's props (io: input), drawn as its property form */
  propsSchema: z.record(z.string(), z.unknown()),
});
export type StepKindInfo = z.infer<typeof stepKindInfoSchema>;

export const sequenceProblemSchema = z.object({
  /** ids from the top of the sequence joined by '/', '' for the sequence itself */
  stepPath: z.string(),
  message: z.string(),
  property: z.string().optional(),
});

export interface SourceNodeDto {
  label: string;
  from: string;
  path: string;
  type: string;
  meta?: true;
  sample?: unknown;
  children: SourceNodeDto[];
}
export const sourceNodeSchema: z.ZodType<SourceNodeDto> = z.lazy(() =>
  z.object({
    label: z.string(),
    from: z.string(),
    path: z.string(),
    type: z.string(),
    meta: z.literal(true).optional(),
    sample: z.unknown().optional(),
    children: z.array(sourceNodeSchema),
  }),
) as z.ZodType<SourceNodeDto>;

export const importWarningSchema = z.object({
  message: z.string(),
  file: z.string().optional(),
  pointer: z.string().optional(),
  rule: z.string().optional(),
});

export const openApiPreviewSchema = z.object({
  /** the connector the import would create or update */
  connector: z.string(),
  exists: z.boolean(),
  title: z.string().optional(),
  servers: z.array(z.string()),
  operations: z.array(
    z.object({
      name: z.string(),
      method: z.string(),
      path: z.string(),
      tags: z.array(z.string()),
      summary: z.string().optional(),
      deprecated: z.boolean().optional(),
      /** against the existing connector: new, changed, same */
      change: z.enum(['added', 'updated', 'unchanged']).optional(),
    }),
  ),
  removed: z.array(z.string()),
  skipped: z.array(z.object({ operation: z.string(), reason: z.string() })),
  warnings: z.array(importWarningSchema),
});
export type OpenApiPreview = z.infer<typeof openApiPreviewSchema>;
