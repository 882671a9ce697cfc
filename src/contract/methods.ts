import { z } from 'zod';
import { executionResultSchema, fsListingSchema, kindInfoSchema, projectStateSchema, projectSummarySchema } from './dto.js';
import { importWarningSchema, openApiPreviewSchema, sequenceProblemSchema, sourceNodeSchema, stepKindInfoSchema } from './dto-sequences.js';
import { objectRefSchema } from './refs.js';

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
    'Executes a transaction (`<connector>.<transaction>`) with the given variable values.',
    z.object({ project, target: z.string().min(1), variables: z.record(z.string(), z.unknown()).default({}), runId: z.string().optional(), timeoutMs: z.number().int().positive().optional() }),
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
    'Executes a sequence with the given variable values; step traces stream as run.event.',
    z.object({ project, sequence: z.string().min(1), variables: z.record(z.string(), z.unknown()).default({}), runId: z.string().optional(), timeoutMs: z.number().int().positive().optional() }),
    executionResultSchema,
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
  'task.cancel': method('Cancels a long task (an import) by the taskId given to it.', z.object({ taskId: z.string() }), z.object({ cancelled: z.boolean() })),
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
