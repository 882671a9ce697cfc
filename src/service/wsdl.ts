import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ParsedParams, ProjectState, WsdlPreview } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';
import type { Connector, Project } from '../model/index.js';
import { writeFileAtomic } from '../project/index.js';
import { importRecordFile, loadAndMap, planSchemaWrites, readWsdlImportRecord, wsdlCopies, type WsdlImportPlan, type WsdlImportRecord, type WsdlWarning } from '../wsdl/import.js';
import type { LoadedWsdl } from '../wsdl/load.js';
import { mergeSoapConnector, type SoapMergeResult } from '../wsdl/merge.js';
import { ImportRecords, type RecordFormat } from './import-records.js';
import { byFileName } from './object-edits.js';
import { validateConnector, validateTransaction } from './object-validate.js';
import { resolveSource } from './openapi.js';
import type { TaskHandle, Tasks } from './tasks.js';
import type { OpenProject } from './workspace.js';

/**
 * The studio's "Import WSDL": wsdl.preview reads a WSDL (and what it imports) and says what an import would
 * do: its services, SOAP ports and versions, and the operations; wsdl.import applies it to the working copy
 * as one undoable edit, with the same policy as openapi.import (warnings for what is worked around, an error
 * naming file and line for what cannot be). Output schemas and the copy of a WSDL that lives outside the
 * project (files/wsdl/<connector>/) are files beside the model, written when the import runs; the import
 * record (the base of the next re-import's merge) is written with the save.
 */

export const wsdlRecordFormat: RecordFormat<WsdlImportRecord> = {
  file: importRecordFile,
  read: (dir, name) => readWsdlImportRecord(dir, name, () => undefined),
};

export interface WsdlDeps {
  tasks: Tasks;
  records: ImportRecords<WsdlImportRecord>;
}

export function wsdlDeps(tasks: Tasks): WsdlDeps {
  return { tasks, records: new ImportRecords(wsdlRecordFormat) };
}

type Source = Pick<ParsedParams<'wsdl.preview'>, 'source' | 'connector' | 'service' | 'binding'>;

async function readPlan(entry: OpenProject, params: Source, task: TaskHandle): Promise<{ loaded: LoadedWsdl; mapped: WsdlImportPlan }> {
  return loadAndMap(resolveSource(entry.dir, params.source), {
    signal: task.signal,
    onProgress: (p) => task.progress(p),
    ...(params.connector ? { connectorName: params.connector } : {}),
    ...(params.service ? { service: params.service } : {}),
    ...(params.binding ? { binding: params.binding } : {}),
  });
}

/** The connector an import of `name` merges into; one of another kind, or a file that does not load, is refused. */
function existingConnector(entry: OpenProject, name: string): Connector | undefined {
  const existing = entry.project.connectors.find((c) => c.name === name);
  if (existing && existing.kind !== 'soap')
    throw new TrellisError('INVALID_CONFIG', `connector ${name} exists and is a ${existing.kind} connector; import under another connector name`, { path: `connectors/${name}` });
  const file = `connectors/${name}.yaml`;
  const broken = existing ? undefined : entry.problems.find((p) => p.file === file && p.severity === 'error');
  if (broken) throw new TrellisError('INVALID_PROJECT', `${file}:${broken.line}:${broken.col}: ${broken.message} (fix it, or import under another connector name)`, { path: file });
  return existing;
}

type WarningDto = WsdlPreview['warnings'][number];

function warningDto(w: WsdlWarning): WarningDto {
  const out: WarningDto = { message: w.message };
  if (w.file !== undefined) out.file = w.file;
  if (w.pointer !== undefined) out.pointer = w.pointer;
  if (w.line !== undefined) out.line = w.line;
  const rule = w.rule ?? w.code;
  if (rule !== undefined) out.rule = rule;
  return out;
}

/** Keeps the operations named (transaction names, or port type operation names). */
function only(mapped: WsdlImportPlan, operations: readonly string[]): WsdlImportPlan {
  const wanted = new Set(operations);
  const keep = new Set(mapped.operations.filter((o) => wanted.has(o.name) || wanted.has(o.operation)).map((o) => o.name));
  const unknown = operations.filter((n) => !mapped.operations.some((o) => o.name === n || o.operation === n));
  if (unknown.length) throw new TrellisError('BAD_PARAMS', `the WSDL has no operation ${unknown.join(', ')} (operations: ${mapped.operations.map((o) => o.name).join(', ') || 'none'})`);
  const prefix = `${mapped.connector.name}.`;
  const schemas = Object.fromEntries(Object.entries(mapped.schemas).filter(([owner]) => keep.has(owner.slice(prefix.length))));
  return { ...mapped, schemas, connector: { ...mapped.connector, transactions: mapped.connector.transactions.filter((t) => keep.has(t.name)) } };
}

export async function previewWsdl(deps: WsdlDeps, entry: OpenProject, params: ParsedParams<'wsdl.preview'>): Promise<WsdlPreview> {
  return deps.tasks.run(params.taskId, async (task) => {
    const { mapped } = await readPlan(entry, params, task);
    const name = mapped.connector.name;
    const existing = existingConnector(entry, name);
    task.progress({ phase: 'merge' });
    const base = existing ? await deps.records.base(entry, name) : undefined;
    const merged = mergeSoapConnector({ existing, incoming: mapped.connector, base: base?.connector });
    const added = new Set(merged.diff.added);
    const updated = new Set(merged.diff.updated);
    const change = (tx: string) => {
      const n = merged.names.get(tx) ?? tx;
      return added.has(n) ? ('added' as const) : updated.has(n) ? ('updated' as const) : ('unchanged' as const);
    };
    const config = mapped.connector.config as { service?: string; port?: string; binding: 'soap11' | 'soap12' };
    const bindings = [...new Set(mapped.ports.filter((p) => p.service === config.service).map((p) => p.binding))].sort();
    return {
      connector: name,
      exists: existing !== undefined,
      ...(mapped.wsdl.name === undefined ? {} : { title: mapped.wsdl.name }),
      ...(mapped.wsdl.targetNamespace === undefined ? {} : { targetNamespace: mapped.wsdl.targetNamespace }),
      files: mapped.wsdl.files,
      ports: mapped.ports,
      ...(config.service === undefined ? {} : { service: config.service }),
      ...(config.port === undefined ? {} : { port: config.port }),
      binding: config.binding,
      bindings,
      operations: mapped.operations.map((o) => ({
        name: o.name,
        operation: o.operation,
        portType: o.portType.replace(/^\{[^}]*\}/, ''),
        bindings: o.bindings,
        style: o.style,
        oneWay: o.oneWay,
        ...(o.description === undefined ? {} : { description: o.description }),
        change: change(o.name),
      })),
      removed: merged.diff.removed,
      skipped: mapped.skipped,
      warnings: [...mapped.warnings, ...merged.warnings].map(warningDto),
    };
  });
}

function validated(project: Project, connector: Connector): Connector {
  const path = `${project.name}/connectors/${connector.name}`;
  const checked = validateConnector(connector, path);
  for (const tx of checked.transactions) validateTransaction(checked, tx, `${path}/${tx.name}`);
  return checked;
}

/** The working copy with connector `connector` put in place of the one of its name (or added, in file order). */
function withConnector(project: Project, connector: Connector): Project {
  const connectors = [...project.connectors.filter((c) => c.name !== connector.name), connector].sort(byFileName);
  return { ...project, connectors };
}

/** The WSDL copies (when it lives outside the project) and the output schemas, written now, with progress. */
async function writeFiles(dir: string, copies: Array<{ from: string; to: string }>, writes: Array<[string, string]>, task: TaskHandle): Promise<void> {
  const total = copies.length + writes.length;
  let done = 0;
  task.progress({ phase: 'write', done, total });
  const write = async (rel: string, data: string | Buffer) => {
    if (task.signal.aborted) throw new TrellisError('CANCELLED', 'the import was cancelled');
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFileAtomic(join(dir, rel), data);
    task.progress({ phase: 'write', done: ++done, total });
  };
  for (const c of copies) await write(c.to, await readFile(c.from));
  for (const [rel, text] of writes) await write(rel, text);
}

export interface WsdlImportOutcome {
  connector: string;
  imported: number;
  skipped: number;
  warnings: WarningDto[];
  state: ProjectState;
}

export async function importWsdlInto(deps: WsdlDeps, entry: OpenProject, params: ParsedParams<'wsdl.import'>, apply: (next: Project) => ProjectState): Promise<WsdlImportOutcome> {
  return deps.tasks.run(params.taskId, async (task) => {
    const read = await readPlan(entry, params, task);
    const mapped = params.operations ? only(read.mapped, params.operations) : read.mapped;
    const name = mapped.connector.name;
    const partial = params.operations !== undefined;
    const { wsdl, copies } = wsdlCopies(entry.dir, read.loaded, mapped.wsdl.document, name);
    mapped.connector.config.wsdl = wsdl;
    const existing = existingConnector(entry, name);
    task.progress({ phase: 'merge' });
    const base = existing ? await deps.records.base(entry, name) : undefined;
    const mergeInto = (into: Connector | undefined): SoapMergeResult => {
      const result = mergeSoapConnector({ existing: into, incoming: mapped.connector, base: into ? base?.connector : undefined, partial });
      // Checked like any edit, before anything is written.
      return { ...result, connector: validated(entry.project, result.connector) };
    };
    let merged = mergeInto(existing);
    const warnings: WsdlWarning[] = [...mapped.warnings, ...merged.warnings];
    const { hashes, writes } = await planSchemaWrites({ dir: entry.dir, mapped, names: merged.names, exists: existing !== undefined, record: base, warnings });
    await writeFiles(entry.dir, copies, writes, task);
    if (task.signal.aborted) throw new TrellisError('CANCELLED', 'the import was cancelled');
    // The working copy may have been edited while the files were written: merge into what is there now.
    const now = existingConnector(entry, name);
    if (now !== existing) merged = mergeInto(now);
    const state = apply(withConnector(entry.project, merged.connector));
    const baseline = partial && base ? mergeSoapConnector({ existing: base.connector, incoming: mapped.connector, partial: true }).connector : mapped.connector;
    const schemas = { ...(partial ? base?.schemas : {}), ...hashes };
    const record: WsdlImportRecord = { format: 'wsdl', source: params.source, schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))), connector: baseline };
    await deps.records.add(entry, name, record, entry.project);
    return { connector: name, imported: mapped.connector.transactions.length, skipped: mapped.skipped.length, warnings: warnings.map(warningDto), state };
  });
}
