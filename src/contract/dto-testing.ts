import { z } from 'zod';
import { problemSchema, traceEventSchema } from './dto.js';

/** Test cases, stubs, execution history and log levels (issue 9). */

export const testSuiteInfoSchema = z.object({
  name: z.string(),
  /** project-relative: tests/<name>.yaml */
  file: z.string(),
  target: z.string(),
  cases: z.array(z.object({ name: z.string(), stubs: z.boolean().optional(), variables: z.record(z.string(), z.unknown()).optional() })),
});
export type TestSuiteInfo = z.infer<typeof testSuiteInfoSchema>;

export const checkResultSchema = z.object({
  check: z.string(),
  ok: z.boolean(),
  expected: z.unknown().optional(),
  actual: z.unknown().optional(),
  message: z.string().optional(),
});
export type CheckResultDto = z.infer<typeof checkResultSchema>;

export const caseResultSchema = z.object({
  suite: z.string(),
  file: z.string(),
  target: z.string(),
  name: z.string(),
  ok: z.boolean(),
  ms: z.number(),
  stubs: z.boolean(),
  variables: z.record(z.string(), z.unknown()),
  checks: z.array(checkResultSchema),
});
export type CaseResultDto = z.infer<typeof caseResultSchema>;

export const testReportSchema = z.object({ cases: z.array(caseResultSchema), passed: z.number(), failed: z.number(), ms: z.number() });
export type TestReportDto = z.infer<typeof testReportSchema>;

/** A value kept in the history: its text (JSON or plain), cut at a bound and marked when it was. */
export const keptValueSchema = z.object({ text: z.string(), truncated: z.boolean(), totalChars: z.number() });

export const historySummarySchema = z.object({
  /** the execution's runId */
  id: z.string(),
  kind: z.enum(['transaction', 'sequence']),
  target: z.string(),
  startedAt: z.string(),
  ms: z.number(),
  ok: z.boolean(),
  status: z.number().optional(),
  stubs: z.boolean(),
  /** the inputs, secret ones as *** */
  variables: z.record(z.string(), z.unknown()),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type HistorySummary = z.infer<typeof historySummarySchema>;

export const historyEntrySchema = historySummarySchema.extend({
  output: keptValueSchema.optional(),
  trace: z.array(traceEventSchema),
  /** true when the run had more trace events than the history keeps */
  traceTruncated: z.boolean(),
});
export type HistoryEntryDto = z.infer<typeof historyEntrySchema>;

export const logLevelsSchema = z.object({ default: z.string(), categories: z.record(z.string(), z.string()) });

export const testsListSchema = z.object({ suites: z.array(testSuiteInfoSchema), problems: z.array(problemSchema) });
