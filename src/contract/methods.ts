import { z } from 'zod';
import { executionResultSchema, fsListingSchema, kindInfoSchema, projectStateSchema, projectSummarySchema } from './dto.js';
import { wsdlImportParamsSchema, wsdlPreviewParamsSchema, wsdlPreviewSchema } from './dto-wsdl.js';
import { importWarningSchema, openApiPreviewSchema, sequenceProblemSchema, sourceNodeSchema, stepKindInfoSchema } from './dto-sequences.js';
import { bundleDeployResultSchema, bundleExportResultSchema, unsavedPolicySchema } from './dto-bundle.js';
import { databaseSchemaSchema } from './dto-sql.js';
import { scheduleListSchema } from './dto-schedules.js';
import { mappingsStateSchema } from './dto-mappings.js';
import { objectRefSchema } from './refs.js';
import { historyEntrySchema, historySummarySchema, logLevelsSchema, testReportSchema, testsListSchema } from './dto-testing.js';
import { breakpointSchema, debugCommandSchema } from './dto-debug.js';
import { fullsyncMethods } from './methods-fullsync.js';

function method<P extends z.ZodType, R extends z.ZodType>(description: string, params: P, result: R) {
  return { description, params, result };
}

const project = z.string().min(1).describe('the project folder (absolute path), its id in the studio');
const ok = z.object({ ok: z.literal(true) });

/**
 * Every method the studio may call, `noun.verb`. The service implements each once; Electron IPC, the
 * web-mode server and tests are loops over this table.
 */
export const methods = {
  'workspace.get': method('The open projects and the home folder.', z.object({}), z.object({ projects: z.array(projectSummarySchema), home: z.string() })),
  'project.open': method('Opens a project folder (or returns it when already open).', z.object({ dir: z.string().min(1) }), projectStateSchema),
  'project.create': method(
    'Creates a project folder; with `rest`, the "REST empty web service" project with one HTTP connector.',
    z.object({
      dir: z.string().min(1),
      name: z.string().optional(),
      description: z.string().optional(),
      rest: z
        .object({
          connector: z.string().default('rest'),
          host: z.string().min(1),
          https: z.boolean().default(false),
          port: z.number().int().min(1).max(65535).optional(),
          basePath: z.string().optional(),
        })
        .optional(),
    }),
    projectStateSchema,
  ),
  'project.get': method('The current state of an open project.', z.object({ project }), projectStateSchema),
  'project.close': method('Closes a project (unsaved edits are dropped).', z.object({ project }), ok),
  'project.save': method('Writes every unsaved edit to disk, atomically.', z.object({ project }), projectStateSchema),
  'project.undo': method('Undoes the last model edit.', z.object({ project }), projectStateSchema),
  'project.redo': method('Redoes the last undone edit.', z.object({ project }), projectStateSchema),
  'object.create': method(
    'Adds a connector, transaction, variable or sequence under `parent`; `value` is validated by its kind.',
    z.object({
      project,
      parent: objectRefSchema,
      objectType: z.enum(['connector', 'transaction', 'variable', 'sequence', 'sequenceVariable', 'step']),
      value: z.record(z.string(), z.unknown()),
      /** position among the new object's siblings; default: last */
      index: z.number().int().min(0).optional(),
    }),
    z.object({ ref: objectRefSchema, state: projectStateSchema }),
  ),
  'object.update': method('Replaces an object with `value` (validated; the name cannot change here: use object.rename).', z.object({ project, ref: objectRefSchema, value: z.record(z.string(), z.unknown()) }), projectStateSchema),
  'object.rename': method('Renames an object.', z.object({ project, ref: objectRefSchema, name: z.string() }), z.object({ ref: objectRefSchema, state: projectStateSchema })),
  'object.delete': method('Deletes an object.', z.object({ project, ref: objectRefSchema }), projectStateSchema),
  'object.duplicate': method('Copies an object next to itself under a free name.', z.object({ project, ref: objectRefSchema }), z.object({ ref: objectRefSchema, state: projectStateSchema })),
  'object.move': method('Moves an object to `index` among its siblings.', z.object({ project, ref: objectRefSchema, index: z.number().int().min(0) }), projectStateSchema),
  'kinds.list': method('Connector kinds with the JSON Schemas of their settings, and the variable schema.', z.object({}), z.object({ connectors: z.array(kindInfoSchema), variableSchema: z.record(z.string(), z.unknown()) })),
  'transaction.execute': method(
    'Executes a transaction (`<connector>.<transaction>`) with the given variable values; `stubs`: answer from stubs/ (stub mode).',
    z.object({ project, target: z.string().min(1), variables: z.record(z.string(), z.unknown()).default({}), runId: z.string().optional(), timeoutMs: z.number().int().positive().optional(), stubs: z.boolean().optional() }),
    executionResultSchema,
  ),
  'run.cancel': method('Cancels a running execution.', z.object({ runId: z.string() }), z.object({ cancelled: z.boolean() })),
  'run.page': method(
    'Reads a slice of a large response body that was truncated in the execution result.',
    z.object({ runId: z.string(), part: z.enum(['body', 'raw']), offset: z.number().int().min(0), length: z.number().int().min(1).max(4_000_000) }),
    z.object({ text: z.string(), totalChars: z.number() }),
  ),
  'steps.list': method('Step kinds for the palette, with the JSON Schema of their props.', z.object({}), z.object({ steps: z.array(stepKindInfoSchema) })),
  'step.move': method(
    'Moves a step of a sequence into another container (or to the top level when `parent` is null) at `index`.',
    z.object({ project, sequence: z.string(), step: z.string(), parent: z.string().nullable(), index: z.number().int().min(0) }),
    projectStateSchema,
  ),
  'sequence.execute': method(
    'Executes a sequence with the given variable values; step traces stream as run.event; `stubs`: its transactions answer from stubs/ (stub mode).',
    z.object({ project, sequence: z.string().min(1), variables: z.record(z.string(), z.unknown()).default({}), runId: z.string().optional(), timeoutMs: z.number().int().positive().optional(), stubs: z.boolean().optional() }),
    executionResultSchema,
  ),
  'sequence.debug': method(
    'Executes a sequence under the debugger: like sequence.execute, and pauses at breakpoints (debug.paused events with a snapshot) until debug.command resumes it. Without `breakpoints`, those last set with debug.setBreakpoints apply; breakpoints set for other sequences apply in the sequences it calls.',
    z.object({
      project,
      sequence: z.string().min(1),
      variables: z.record(z.string(), z.unknown()).default({}),
      runId: z.string().optional(),
      timeoutMs: z.number().int().positive().optional(),
      breakpoints: z.array(breakpointSchema).optional(),
      /** pause before the first step, as if stepping into the sequence */
      stopOnEntry: z.boolean().optional(),
    }),
    executionResultSchema,
  ),
  'debug.command': method(
    'Resumes a paused debug run (continue, stepOver, stepInto, stepOut) or stops it (stop, also while it runs).',
    z.object({ runId: z.string().min(1), command: debugCommandSchema }),
    z.object({ ok: z.literal(true) }),
  ),
  'debug.setBreakpoints': method(
    "Sets a sequence's breakpoints (kept for the studio session and used by the next sequence.debug); with `runId`, the running debug session uses them from its next step.",
    z.object({ runId: z.string().optional(), project, sequence: z.string().min(1), breakpoints: z.array(breakpointSchema) }),
    z.object({ breakpoints: z.array(breakpointSchema) }),
  ),
  'sequence.check': method('Static checks of a sequence: broken sources, unknown kinds, invalid props.', z.object({ project, sequence: z.string() }), z.object({ problems: z.array(sequenceProblemSchema) })),
  'sequence.sources': method(
    'Every source in scope for a step (variables, earlier steps) as a tree built from output schemas, with samples from the last run.',
    z.object({ project, sequence: z.string(), step: z.string() }),
    z.object({ tree: z.array(sourceNodeSchema) }),
  ),
  'schema.get': method('The stored output schema of a transaction (`<connector>.<transaction>`) or sequence.', z.object({ project, owner: z.string() }), z.object({ schema: z.record(z.string(), z.unknown()).nullable() })),
  'schema.update': method(
    'Update schema from current connector data: infers a JSON Schema from the last result of `owner` and merges it into the stored one.',
    z.object({ project, owner: z.string() }),
    z.object({ schema: z.record(z.string(), z.unknown()) }),
  ),
  'openapi.preview': method(
    'Reads an OpenAPI/Swagger document (file path or http(s) URL) and lists what an import would do, without changing anything.',
    z.object({ project, source: z.string().min(1), connector: z.string().optional(), server: z.number().int().min(0).optional(), taskId: z.string().optional() }),
    openApiPreviewSchema,
  ),
  'openapi.import': method(
    'Imports the operations (all, or those named) as transactions of one HTTP connector; an edit of the project, undoable, saved with project.save.',
    z.object({
      project,
      source: z.string().min(1),
      connector: z.string().optional(),
      server: z.number().int().min(0).optional(),
      operations: z.array(z.string()).optional(),
      taskId: z.string().optional(),
    }),
    z.object({ connector: z.string(), imported: z.number(), skipped: z.number(), warnings: z.array(importWarningSchema), state: projectStateSchema }),
  ),
  'wsdl.preview': method(
    'Reads a WSDL (file path or http(s) URL, with the documents it imports) and lists its services, ports, SOAP versions and operations, without changing anything.',
    wsdlPreviewParamsSchema.extend({ project }),
    wsdlPreviewSchema,
  ),
  'wsdl.import': method(
    'Imports the operations (all, or those named) as transactions of one SOAP connector; an edit of the project, undoable, saved with project.save.',
    wsdlImportParamsSchema.extend({ project }),
    z.object({ connector: z.string(), imported: z.number(), skipped: z.number(), warnings: z.array(wsdlPreviewSchema.shape.warnings.element), state: projectStateSchema }),
  ),
  'bundle.info': method(
    'What Export bundle and Deploy would write: the name, the version of the files saved on disk, the default bundle file, and whether there are unsaved edits.',
    z.object({ project }),
    z.object({ name: z.string(), version: z.string(), file: z.string(), dirty: z.boolean() }),
  ),
  'bundle.export': method(
    'Project > Export bundle: writes the project as saved on disk to one .trellis file (default <project>/../<name>-<version>.trellis); with unsaved edits it refuses unless `unsaved` is "saved". Progress streams as task.progress.',
    z.object({ project, output: z.string().min(1).optional(), unsaved: unsavedPolicySchema.default('refuse'), taskId: z.string().optional() }),
    bundleExportResultSchema,
  ),
  'bundle.deploy': method(
    "Project > Deploy to server: exports the project as saved on disk and uploads it to a runtime's admin API (POST <url>/admin/bundles with the bearer token), which hot-swaps it in. The token is used for this call only and never stored.",
    z.object({ project, url: z.string().min(1), token: z.string().min(1), unsaved: unsavedPolicySchema.default('refuse'), taskId: z.string().optional() }),
    bundleDeployResultSchema,
  ),
  'connector.introspect': method(
    "A SQL connector's database structure: tables and views with their columns (type, nullable, default), primary and foreign keys.",
    z.object({ project, connector: z.string().min(1) }),
    databaseSchemaSchema,
  ),
  'connector.generateCrud': method(
    "Generate database services: for each table of a SQL connector's database (all, or those named), list/get/create/update/delete transactions and the sequences that expose them, as one undoable edit saved with project.save; the REST routes (mappings.yaml) and output schemas (schemas/) are written at once. Objects, routes and schema files that exist already are kept and listed in `skipped`.",
    z.object({ project, connector: z.string().min(1), tables: z.array(z.string().min(1)).optional() }),
    z.object({ created: z.array(z.string()), skipped: z.array(z.string()), warnings: z.array(z.string()), state: projectStateSchema }),
  ),
  'tests.list': method('The test files of a project (tests/*.yaml) with their cases, and the problems of malformed ones.', z.object({ project }), testsListSchema),
  'tests.run': method(
    'Runs test cases: all of them, those of one `file` (tests/<name>.yaml), or one `testCase` of it; `stubs` runs every case in stub mode. Progress as task.progress when a taskId is given.',
    z.object({ project, file: z.string().optional(), testCase: z.string().optional(), stubs: z.boolean().optional(), taskId: z.string().optional() }),
    testReportSchema,
  ),
  'tests.createFromExecution': method(
    'Create test case from this execution: writes (or adds to) tests/<file>.yaml a case named `name` with the execution\'s variables (secret ones as ${env:NAME}), its status and assertions proposed from its result.',
    z.object({ project, runId: z.string().min(1), file: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a file name: letters, digits, _ . -'), name: z.string().min(1) }),
    z.object({ file: z.string(), replaced: z.boolean(), testCase: z.record(z.string(), z.unknown()), notes: z.array(z.string()) }),
  ),
  'stub.create': method(
    'Create stub from current response: writes the response of execution `runId` (a transaction) as stubs/<connector>.<transaction>.json, which stub mode answers with.',
    z.object({ project, runId: z.string().min(1) }),
    z.object({ file: z.string(), target: z.string() }),
  ),
  'history.list': method('The last executions of a project (at most 100), newest first.', z.object({ project }), z.object({ entries: z.array(historySummarySchema) })),
  'history.get': method('One execution of the history: inputs, output, trace and duration (large values cut and marked).', z.object({ project, id: z.string() }), historyEntrySchema),
  'history.rerun': method('Executes an execution of the history again with the same inputs (and stub mode).', z.object({ project, id: z.string(), runId: z.string().optional() }), executionResultSchema),
  'logs.getLevels': method('The log levels in force in the studio: the default and each category\'s own.', z.object({}), logLevelsSchema.extend({ categories: z.record(z.string(), z.string()), known: z.array(z.string()) })),
  'logs.setLevels': method(
    'Sets log levels by category (`default` for the rest) in the studio; with `runtime`, on that running runtime instead, through its admin API (PUT /admin/log-levels), without a restart.',
    z.object({
      levels: z.record(z.string(), z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])),
      runtime: z.object({ url: z.string().url(), token: z.string().min(1), project: z.string().optional() }).optional(),
    }),
    z.object({ levels: logLevelsSchema, runtime: z.object({ ok: z.boolean(), status: z.number().optional(), message: z.string() }).optional() }),
  ),
  'schedule.list': method(
    "The jobs of the project's schedules.yaml with their next run times, its autoStart sequences, and its problems (file:line).",
    z.object({ project }),
    scheduleListSchema,
  ),
  'schedule.runNow': method(
    'Runs a job of schedules.yaml now in the studio: its sequence with its variables, like sequence.execute (run.event traces, run.cancel with `runId`).',
    z.object({ project, job: z.string().min(1), runId: z.string().optional() }),
    executionResultSchema,
  ),
  'mappings.get': method(
    "The project's mappings.yaml (REST routes the runtime serves): its text ('' when absent), its routes, its problems with lines (incl. targets the project lacks) and the base path.",
    z.object({ project }),
    mappingsStateSchema,
  ),
  'mappings.save': method(
    'Writes mappings.yaml from `text` (an empty text removes the file). Refuses YAML or schema errors, naming line and column; a route whose target the project lacks is saved and listed in problems.',
    z.object({ project, text: z.string() }),
    mappingsStateSchema,
  ),
  'task.cancel': method('Cancels a long task (an import) by the taskId given to it.', z.object({ taskId: z.string() }), z.object({ cancelled: z.boolean() })),
  ...fullsyncMethods,
  'fs.list': method(
    'Lists a folder for the folder and file pickers (web mode cannot see the disk): sub-folders, and with `files` its files too (only those whose name ends with one of `extensions`, when given, e.g. [".json", ".yaml"]).',
    z.object({ dir: z.string().optional(), files: z.boolean().optional(), extensions: z.array(z.string()).optional() }),
    fsListingSchema,
  ),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export const methodNames = Object.keys(methods) as MethodName[];

export type Params<M extends MethodName> = z.input<Methods[M]['params']>;
export type ParsedParams<M extends MethodName> = z.output<Methods[M]['params']>;
export type Result<M extends MethodName> = z.output<Methods[M]['result']>;

/** What the renderer holds: one async function per method. */
export type StudioApi = { [M in MethodName]: (params: Params<M>) => Promise<Result<M>> };

/** What the service implements: params arrive parsed; results are validated before they leave. */
export type StudioHandlers = { [M in MethodName]: (params: ParsedParams<M>) => Promise<z.input<Methods[M]['result']>> };
