import { z } from 'zod';
import { resultTableSchema } from './dto-sql.js';

export const problemSchema = z.object({
  file: z.string(),
  line: z.number(),
  col: z.number(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
});

/**
 * The model travels as plain JSON: src/model's zod schemas validate it where it is edited, so the
 * contract does not repeat them here.
 */
export const projectModelSchema = z.looseObject({
  dir: z.string(),
  name: z.string(),
  formatVersion: z.number(),
  connectors: z.array(z.looseObject({ name: z.string(), kind: z.string() })),
  sequences: z.array(z.looseObject({ name: z.string() })),
});

export const projectStateSchema = z.object({
  project: projectModelSchema,
  problems: z.array(problemSchema),
  dirty: z.boolean(),
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  /** increases with every change; clients drop stale states */
  version: z.number(),
});
export type ProjectState = z.infer<typeof projectStateSchema>;

export const projectSummarySchema = z.object({ dir: z.string(), name: z.string(), dirty: z.boolean() });

export const kindInfoSchema = z.object({
  kind: z.string(),
  title: z.string(),
  description: z.string(),
  transactionTypes: z.array(z.string()),
  /** JSON Schema of the connector's `config`, drawn as the property form */
  configSchema: z.record(z.string(), z.unknown()),
  /** JSON Schema of a transaction of this kind */
  transactionSchema: z.record(z.string(), z.unknown()),
});
export type KindInfo = z.infer<typeof kindInfoSchema>;

export const bodyViewSchema = z.object({
  /** pretty-printed text for the editor: JSON, XML or plain text */
  text: z.string(),
  language: z.enum(['json', 'xml', 'text']),
  totalChars: z.number(),
  truncated: z.boolean(),
});

export const executionResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    runId: z.string(),
    status: z.number().optional(),
    statusText: z.string().optional(),
    headers: z.record(z.string(), z.string()),
    ms: z.number(),
    bytes: z.number().optional(),
    contentType: z.string().optional(),
    /** the result as JSON (data) */
    body: bodyViewSchema,
    /** the raw payload: the XML when there was XML, else the JSON text */
    raw: bodyViewSchema,
    /** SQL transactions: the result's columns and row count (the studio's grid) */
    table: resultTableSchema.optional(),
  }),
  z.object({
    ok: z.literal(false),
    runId: z.string(),
    ms: z.number(),
    error: z.object({ code: z.string(), message: z.string(), path: z.string().optional(), details: z.unknown().optional() }),
  }),
]);
export type ExecutionResult = z.infer<typeof executionResultSchema>;

/** A folder (isDir) or, when fs.list was asked for files, a file (isDir false, with its size in bytes). */
export const fsEntrySchema = z.object({ name: z.string(), path: z.string(), isDir: z.boolean(), isProject: z.boolean(), size: z.number().optional() });
export const fsListingSchema = z.object({
  dir: z.string(),
  parent: z.string().nullable(),
  home: z.string(),
  separator: z.string(),
  isProject: z.boolean(),
  entries: z.array(fsEntrySchema),
});
export type FsListing = z.infer<typeof fsListingSchema>;

export const traceEventSchema = z.object({
  run: z.string(),
  step: z.string(),
  phase: z.enum(['start', 'end', 'error']),
  ms: z.number(),
  output: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string(), path: z.string().optional() }).optional(),
});

export const logEntrySchema = z.object({
  time: z.string(),
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']),
  category: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type LogEntry = z.infer<typeof logEntrySchema>;
