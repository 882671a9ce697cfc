import { isAbsolute, resolve } from 'node:path';
import type { OpenApiPreview, ParsedParams, ProjectState } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';
import type { Connector, Project } from '../model/index.js';
import { readOpenApi, type ImportPlan, type ImportRecord, type ImportWarning } from '../openapi/import.js';
import { mergeConnector, type MergeResult } from '../openapi/merge.js';
import { planSchemaFiles, writeSchemaFiles } from '../openapi/schema-files.js';
import type { ImportRecords } from './import-records.js';
import { byFileName } from './object-edits.js';
import { validateConnector, validateTransaction } from './object-validate.js';
import type { TaskHandle, Tasks } from './tasks.js';
import type { OpenProject } from './workspace.js';

/**
 * The studio's "Import REST WS reference": openapi.preview reads a spec and says what an import would do;
 * openapi.import applies it to the working copy as one undoable edit. Output schemas are files beside the
 * model (schemas/<connector>.<transaction>.json), so they are written when the import runs, not on save;
 * the import record (the base of the next re-import's merge) is written with the save (import-records.ts).
 */

export interface OpenApiDeps {
  tasks: Tasks;
  records: ImportRecords;
}

type Source = Pick<ParsedParams<'openapi.preview'>, 'source' | 'connector' | 'server'>;

/** URLs as they are; a path relative to the project folder. */
export function resolveSource(projectDir: string, source: string): string {
  if (/^(https?|file):\/\//i.test(source) || isAbsolute(source)) return source;
  return resolve(projectDir, source);
}

async function readPlan(entry: OpenProject, params: Source, task: TaskHandle): Promise<ImportPlan> {
  return readOpenApi(resolveSource(entry.dir, params.source), {
    signal: task.signal,
    onProgress: (p) => task.progress(p),
    ...(params.connector === undefined ? {} : { connectorName: params.connector }),
    ...(params.server === undefined ? {} : { server: params.server }),
  });
}

/** The connector an import of `name` merges into; one of another kind, or a file that does not load, is refused. */
function existingConnector(entry: OpenProject, name: string): Connector | undefined {
  const existing = entry.project.connectors.find((c) => c.name === name);
  if (existing && existing.kind !== 'http')
    throw new TrellisError('INVALID_CONFIG', `connector ${name} exists and is a ${existing.kind} connector; import under another connector name`, { path: `connectors/${name}` });
  const file = `connectors/${name}.yaml`;
  const broken = existing ? undefined : entry.problems.find((p) => p.file === file && p.severity === 'error');
  if (broken) throw new TrellisError('INVALID_PROJECT', `${file}:${broken.line}:${broken.col}: ${broken.message} (fix it, or import under another connector name)`, { path: file });
  return existing;
}

function warningDto(w: ImportWarning): OpenApiPreview['warnings'][number] {
  const out: OpenApiPreview['warnings'][number] = { message: w.message };
  if (w.file !== undefined) out.file = w.file;
  if (w.pointer !== undefined) out.pointer = w.pointer;
  if (w.rule !== undefined) out.rule = w.rule;
  return out;
}

export async function previewOpenApi(deps: OpenApiDeps, entry: OpenProject, params: ParsedParams<'openapi.preview'>): Promise<OpenApiPreview> {
  return deps.tasks.run(params.taskId, async (task) => {
    const plan = await readPlan(entry, params, task);
    const name = plan.connector.name;
    const existing = existingConnector(entry, name);
    task.progress({ phase: 'merge' });
    const base = existing ? await deps.records.base(entry, name) : undefined;
    const merged = mergeConnector({ existing, incoming: plan.connector, base: base?.connector });
    const added = new Set(merged.diff.added);
    const updated = new Set(merged.diff.updated);
    const change = (op: string) => {
      const n = merged.names.get(op) ?? op;
      return added.has(n) ? ('added' as const) : updated.has(n) ? ('updated' as const) : ('unchanged' as const);
    };
    return {
      connector: name,
      exists: existing !== undefined,
      ...(plan.spec.title === undefined ? {} : { title: plan.spec.title }),
      servers: plan.servers,
      operations: plan.operations.map((o) => ({
        name: o.name,
        method: o.method,
        path: o.path,
        tags: o.tags,
        ...(o.summary === undefined ? {} : { summary: o.summary }),
        ...(o.deprecated === undefined ? {} : { deprecated: o.deprecated }),
        change: change(o.name),
      })),
      removed: merged.diff.removed,
      skipped: plan.skipped,
      warnings: [...plan.warnings, ...merged.warnings].map(warningDto),
    };
  });
}

/** Keeps the operations named (transaction names, or `METHOD /path`). */
function only(plan: ImportPlan, operations: readonly string[]): ImportPlan {
  const wanted = new Set(operations);
  const keep = new Set(plan.operations.filter((o) => wanted.has(o.name) || wanted.has(`${o.method.toUpperCase()} ${o.path}`)).map((o) => o.name));
  return { ...plan, connector: { ...plan.connector, transactions: plan.connector.transactions.filter((t) => keep.has(t.name)) } };
}

/**
 * The plan's output schemas, written now. A schema file changed in the project since the last import
 * (inferred from real calls, edited) is kept (planSchemaFiles). Returns the record's file → sha map.
 */
async function writeSchemas(entry: OpenProject, plan: ImportPlan, merged: MergeResult, exists: boolean, base: ImportRecord | undefined, warnings: ImportWarning[], task: TaskHandle) {
  const { hashes, writes } = await planSchemaFiles({ dir: entry.dir, plan, names: merged.names, exists, record: base, warnings, signal: task.signal });
  const total = writes.length;
  task.progress({ phase: 'write', done: 0, total });
  await writeSchemaFiles(entry.dir, writes, { signal: task.signal, onWritten: (_file, done) => task.progress({ phase: 'write', done, total }) });
  return hashes;
}

/** The working copy with connector `connector` put in place of the one of its name (or added, in file order). */
function withConnector(project: Project, connector: Connector): Project {
  const connectors = [...project.connectors.filter((c) => c.name !== connector.name), connector].sort(byFileName);
  return { ...project, connectors };
}

function validated(project: Project, connector: Connector): Connector {
  const path = `${project.name}/connectors/${connector.name}`;
  const checked = validateConnector(connector, path);
  for (const tx of checked.transactions) validateTransaction(checked, tx, `${path}/${tx.name}`);
  return checked;
}

export interface ImportOutcome {
  connector: string;
  imported: number;
  skipped: number;
  warnings: OpenApiPreview['warnings'];
  state: ProjectState;
}

export async function importOpenApiInto(deps: OpenApiDeps, entry: OpenProject, params: ParsedParams<'openapi.import'>, apply: (next: Project) => ProjectState): Promise<ImportOutcome> {
  return deps.tasks.run(params.taskId, async (task) => {
    let plan = await readPlan(entry, params, task);
    if (params.operations) plan = only(plan, params.operations);
    const name = plan.connector.name;
    const partial = params.operations !== undefined;
    const existing = existingConnector(entry, name);
    task.progress({ phase: 'merge' });
    const base = existing ? await deps.records.base(entry, name) : undefined;
    const mergeInto = (into: Connector | undefined): MergeResult => {
      const result = mergeConnector({ existing: into, incoming: plan.connector, base: into ? base?.connector : undefined, partial });
      // Checked like any edit, before anything is written.
      return { ...result, connector: validated(entry.project, result.connector) };
    };
    let merged = mergeInto(existing);
    const warnings = [...plan.warnings, ...merged.warnings];
    const schemas = await writeSchemas(entry, plan, merged, existing !== undefined, base, warnings, task);
    if (task.signal.aborted) throw new TrellisError('CANCELLED', 'the import was cancelled');
    // The working copy may have been edited while the schemas were written: merge into what is there now.
    const now = existingConnector(entry, name);
    if (now !== existing) merged = mergeInto(now);
    const state = apply(withConnector(entry.project, merged.connector));
    const record: ImportRecord = {
      format: 'openapi',
      source: params.source,
      spec: plan.spec,
      schemas,
      connector: partial && base ? mergeConnector({ existing: base.connector, incoming: plan.connector, partial: true }).connector : plan.connector,
    };
    await deps.records.add(entry, name, record, entry.project);
    return { connector: name, imported: plan.connector.transactions.length, skipped: plan.skipped.length, warnings: warnings.map(warningDto), state };
  });
}
