import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HTTP_METHODS } from '../connectors/http/config.js';
import { TrellisError, toTrellisError } from '../engine/errors.js';
import { nameSchema, toName, type Connector, type Transaction } from '../model/index.js';
import { loadProject, saveConnector, writeFileAtomic } from '../project/index.js';
import { loadSpec, type LoadedSpec } from './load.js';
import { mergeConnector, orderVariable } from './merge.js';
import { findOperations, mapOperation, SkipOperation } from './operations.js';
import { isObj, SpecDoc } from './refs.js';
import { planSchemaFiles, writeSchemaFiles } from './schema-files.js';
import type { SpecFormat } from './schemas.js';
import { planSecurity, readRequirements, readSchemes, reportUnmet } from './security.js';
import { addressUrl, chooseServer } from './servers.js';
import { TimeSlicer } from './slice.js';
import type { ImportOptions, ImportPlan, ImportSummary, ImportWarning, JsonSchema, OperationInfo, ReadOptions, SkippedOperation } from './types.js';

export type * from './types.js';

/**
 * OpenAPI 3.0/3.1 and Swagger 2.0 → one HTTP connector with a transaction per operation.
 * `readOpenApi` maps without writing; `importOpenApi` merges the result into a project and writes it.
 * The mapping rules are in docs/openapi-import.md.
 */

/** Reads a spec (file path or http(s) URL, with every file its `$ref`s reach) and maps it; writes nothing. */
export async function readOpenApi(source: string, opts: ReadOptions = {}): Promise<ImportPlan> {
  try {
    const loaded = await loadSpec(source, { signal: opts.signal, onProgress: opts.onProgress });
    return await mapSpec(loaded, source, opts);
  } catch (e) {
    throw asImportError(e, source);
  }
}

function asImportError(e: unknown, source: string): TrellisError {
  if (e instanceof TrellisError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new TrellisError('INVALID_SPEC', `${source}: the spec nests too deeply to be read`, { cause: e });
  }
  return toTrellisError(e, source);
}

/** `info.title` → a connector name: camelCase words ("Swagger Petstore - OpenAPI 3.0" → swaggerPetstoreOpenapi30). */
export function connectorNameFromTitle(title: unknown): string {
  const words = typeof title === 'string' ? title.normalize('NFKD').split(/[^A-Za-z0-9]+/).filter(Boolean) : [];
  if (!words.length) return 'api';
  const parts = words.map((w, i) => {
    const lower = w === w.toUpperCase() ? w.toLowerCase() : w;
    return i === 0 ? lower[0]!.toLowerCase() + lower.slice(1) : lower[0]!.toUpperCase() + lower.slice(1);
  });
  return toName(parts.join('').slice(0, 64), 'api');
}

function detectFormat(doc: SpecDoc, warn: (w: ImportWarning) => void): { format: SpecFormat; declared: string } {
  const root = doc.root.v;
  const file = doc.file(doc.root);
  const fail = (pointer: string, reason: string): TrellisError =>
    new TrellisError('INVALID_SPEC', `${file}#${pointer}: ${reason}`, { path: `${file}#${pointer}`, details: { file, pointer, reason } });
  if (root.swagger !== undefined) {
    const declared = String(root.swagger);
    if (typeof root.swagger !== 'string') {
      if (!/^2(\.0)?$/.test(declared)) throw fail('/swagger', `unsupported Swagger version ${declared} (Trellis reads Swagger 2.0 and OpenAPI 3.0/3.1)`);
      warn({ code: 'version-number', message: `${file}#/swagger: the version is the number ${declared}, not the string "2.0"; read as Swagger 2.0`, file, pointer: '/swagger', rule: 'Swagger 2.0: swagger is the string "2.0"' });
    } else if (declared !== '2.0') {
      if (!/^2(\.\d+)*$/.test(declared)) throw fail('/swagger', `unsupported Swagger version "${declared}" (Trellis reads Swagger 2.0 and OpenAPI 3.0/3.1)`);
      warn({ code: 'version-unknown', message: `${file}#/swagger: version "${declared}" read as Swagger 2.0`, file, pointer: '/swagger', rule: 'Swagger 2.0: swagger is "2.0"' });
    }
    return { format: 'swagger-2.0', declared };
  }
  if (root.openapi !== undefined) {
    const declared = String(root.openapi);
    const m = /^(\d+)(?:\.(\d+))?/.exec(declared);
    const major = m ? Number(m[1]) : NaN;
    const minor = m?.[2] !== undefined ? Number(m[2]) : 0;
    if (major !== 3) throw fail('/openapi', `unsupported OpenAPI version ${JSON.stringify(root.openapi)} (Trellis reads Swagger 2.0 and OpenAPI 3.0/3.1)`);
    if (typeof root.openapi !== 'string') {
      warn({ code: 'version-number', message: `${file}#/openapi: the version is the number ${declared}, not a string; read as OpenAPI 3.${minor}`, file, pointer: '/openapi', rule: 'OpenAPI: openapi is a version string' });
    } else if (minor > 1) {
      warn({ code: 'version-newer', message: `${file}#/openapi: OpenAPI ${declared} is newer than 3.1; read with the 3.1 rules`, file, pointer: '/openapi' });
    }
    return { format: minor >= 1 ? 'openapi-3.1' : 'openapi-3.0', declared };
  }
  throw fail('', 'not an OpenAPI or Swagger document: no "openapi" or "swagger" version at the top level');
}

/** Maps loaded documents to a connector, schemas, warnings and skipped operations. */
export async function mapSpec(loaded: LoadedSpec, source: string, opts: ReadOptions = {}): Promise<ImportPlan> {
  const { signal, onProgress } = opts;
  const warnings: ImportWarning[] = [];
  const warn = (w: ImportWarning): void => {
    warnings.push(w);
  };
  const doc = new SpecDoc(loaded);
  const file = doc.file(doc.root);
  const { format, declared } = detectFormat(doc, warn);
  const info = isObj(doc.root.v.info) ? doc.root.v.info : {};
  if (info.version !== undefined && typeof info.version !== 'string') {
    warn({ code: 'version-number', message: `${file}#/info/version: the API version is the number ${String(info.version)}, not a string; read as "${String(info.version)}"`, file, pointer: '/info/version', rule: 'OpenAPI: info.version is a string' });
  }
  const title = typeof info.title === 'string' ? info.title : undefined;
  const version = info.version !== undefined && info.version !== null ? String(info.version) : undefined;
  const connectorName = opts.connectorName ?? connectorNameFromTitle(title);
  if (!nameSchema.safeParse(connectorName).success) {
    throw new TrellisError('INVALID_CONFIG', `connector name "${connectorName}" is not a valid name (letters, digits, _ . -; starting with a letter or _)`);
  }

  const server = chooseServer(doc, format, source, opts.server, warn);
  const skipped: SkippedOperation[] = [];
  const found = findOperations(doc, format, warn, skipped);
  const schemes = readSchemes(doc, format, warn);
  const rootSecurity = readRequirements(doc, doc.child(doc.root, 'security'), () => undefined);
  const security = planSecurity(doc, schemes, rootSecurity, found.map((f) => f.security), connectorName, warn);

  const ctx = { doc, format, warn, security, connectorName, address: server.address, source, otherServers: new Map<string, string[]>(), schemaCache: new Map() };
  const transactions: Transaction[] = [];
  const schemas: Record<string, JsonSchema> = {};
  const operations: OperationInfo[] = [];
  onProgress?.({ phase: 'map', done: 0, total: found.length });
  // Mapping runs on this thread (and reads files that the load skipped): time-sliced, like the load.
  const slicer = new TimeSlicer(signal);
  for (let i = 0; i < found.length; i++) {
    if (slicer.due()) onProgress?.({ phase: 'map', done: i, total: found.length });
    await slicer.pass();
    const f = found[i]!;
    if (!(HTTP_METHODS as readonly string[]).includes(f.method.toUpperCase())) {
      const operation = `${f.method.toUpperCase()} ${f.path}`;
      const reason = `the HTTP connector does not send ${f.method.toUpperCase()} requests`;
      skipped.push({ operation, reason });
      warn({ code: 'method-unsupported', message: `${doc.where(f.loc)}: ${operation} is not imported: ${reason}`, file: doc.file(f.loc), pointer: f.loc.p, operation });
      continue;
    }
    try {
      const mapped = mapOperation(ctx, f);
      mapped.tx.variables = mapped.tx.variables.map(orderVariable);
      transactions.push(mapped.tx);
      operations.push(mapped.info);
      if (mapped.schema) schemas[`${connectorName}.${mapped.tx.name}`] = mapped.schema;
    } catch (e) {
      if (!(e instanceof SkipOperation)) throw e;
      const operation = `${f.method.toUpperCase()} ${f.path}`;
      skipped.push({ operation, reason: e.message });
      warn({ code: 'operation-skipped', message: `${operation} is not imported: ${e.message}`, file: doc.file(f.loc), pointer: f.loc.p, operation });
    }
  }
  onProgress?.({ phase: 'map', done: found.length, total: found.length });

  reportUnmet(doc, security, warn);
  for (const [url, ops] of ctx.otherServers) {
    const list = ops.slice(0, 5).join(', ') + (ops.length > 5 ? `, and ${ops.length - 5} more` : '');
    warn({
      code: 'operation-server',
      message: `${ops.length} operation${ops.length === 1 ? '' : 's'} (${list}) ${ops.length === 1 ? 'uses' : 'use'} the server ${url}, not the connector's ${addressUrl(server.address)}; their transactions go to the connector's server: to call them, import the spec again under another connector name and set that connector's host`,
      file,
    });
  }
  if (isObj(doc.root.v.webhooks) && Object.keys(doc.root.v.webhooks).length) {
    const n = Object.keys(doc.root.v.webhooks).length;
    warn({ code: 'webhooks-ignored', message: `${file}#/webhooks: ${n} webhook${n === 1 ? ' is' : 's are'} not imported: webhooks are requests the API sends, not operations to call`, file, pointer: '/webhooks' });
  }
  if (!transactions.length) {
    warn({ code: 'no-operations', message: `${file}#/paths: the spec has no operations to import; the connector has no transactions`, file, pointer: '/paths' });
  }

  const config: Record<string, unknown> = { host: server.address.host, https: server.address.https };
  if (server.address.port !== undefined) config.port = server.address.port;
  config.basePath = server.address.basePath;
  if (Object.keys(security.headers).length) config.headers = security.headers;
  config.auth = security.auth;
  const connector: Connector = {
    name: connectorName,
    kind: 'http',
    ...(title ? { description: `${title}${version ? ` (API version ${version})` : ''}` } : {}),
    config,
    transactions,
  };
  return {
    connector,
    schemas,
    // the reader's warnings (duplicate YAML keys), including files read during the mapping, come first
    warnings: [...loaded.warnings, ...warnings],
    skipped,
    operations,
    servers: server.urls,
    serverIndex: server.index,
    spec: { title, version, format, declared, files: loaded.docs.size },
  };
}

/** Where the previous import of a connector is recorded (the base of the next re-import's three-way merge). */
export function importRecordFile(connector: string): string {
  return `imports/${connector}.openapi.json`;
}

export interface ImportRecord {
  format: 'openapi';
  source: string;
  spec: ImportPlan['spec'];
  /** project-relative schema file → sha256 of the text written */
  schemas: Record<string, string>;
  connector: Connector;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The record of the previous import of `connector` in the project at `dir` (undefined when none or unreadable). */
export async function readImportRecord(dir: string, connector: string, warn: (w: ImportWarning) => void = () => undefined): Promise<ImportRecord | undefined> {
  const rel = importRecordFile(connector);
  const text = await readText(join(dir, rel));
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as ImportRecord;
    if (isObj(record) && isObj(record.connector) && Array.isArray(record.connector.transactions)) return record;
  } catch {}
  warn({ code: 'import-record-invalid', message: `${rel}: unreadable record of the previous import; merged as if there were none`, file: rel });
  return undefined;
}

/**
 * What an import would do to each operation of `plan` against the connector in the project (the studio's
 * preview): `new`, `changed` or `same`, keyed by the plan's operation name.
 */
export function operationStatus(plan: ImportPlan, existing: Connector | undefined, base?: Connector): Map<string, 'new' | 'changed' | 'same'> {
  const merged = mergeConnector({ existing, incoming: plan.connector, base });
  const added = new Set(merged.diff.added);
  const updated = new Set(merged.diff.updated);
  const status = new Map<string, 'new' | 'changed' | 'same'>();
  for (const op of plan.operations) {
    const name = merged.names.get(op.name) ?? op.name;
    status.set(op.name, added.has(name) ? 'new' : updated.has(name) ? 'changed' : 'same');
  }
  return status;
}

/**
 * Imports a spec into the project at `projectDir`: maps it, merges it into the connector of the same
 * name (re-import), writes the connector, its output schemas and the import record. `dryRun` computes
 * the same summary and writes nothing.
 */
export async function importOpenApi(projectDir: string, source: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const dir = resolve(projectDir);
  const { project, problems } = await loadProject(dir);
  let plan = await readOpenApi(source, options);
  const warnings = [...plan.warnings];
  const name = plan.connector.name;
  if (options.include) {
    const wanted = new Set(options.include);
    const keep = new Set(plan.operations.filter((o) => wanted.has(o.name) || wanted.has(`${o.method} ${o.path}`)).map((o) => o.name));
    plan = { ...plan, connector: { ...plan.connector, transactions: plan.connector.transactions.filter((t) => keep.has(t.name)) } };
  }
  const file = `connectors/${name}.yaml`;
  const existing = project.connectors.find((c) => c.name === name);
  if (!existing) {
    const broken = problems.find((p) => p.file === file && p.severity === 'error');
    if (broken) throw new TrellisError('INVALID_PROJECT', `${file}:${broken.line}:${broken.col}: ${broken.message} (fix it, or import under another --connector name)`);
  } else if (existing.kind !== 'http') {
    throw new TrellisError('INVALID_CONFIG', `connector ${name} exists and is a ${existing.kind} connector; import under another --connector name`);
  }
  options.onProgress?.({ phase: 'merge' });
  const record = existing ? await readImportRecord(dir, name, (w) => warnings.push(w)) : undefined;
  const merged = mergeConnector({ existing, incoming: plan.connector, base: record?.connector, partial: options.include !== undefined });
  warnings.push(...merged.warnings);

  // Output schemas: written unless the project's file was changed since the last import (inferred from real calls, edited).
  const { hashes: schemaFiles, writes } = await planSchemaFiles({ dir, plan, names: merged.names, exists: existing !== undefined, record, warnings, signal: options.signal });

  const written: string[] = [];
  if (!options.dryRun) {
    options.onProgress?.({ phase: 'write', done: 0, total: writes.length + 2 });
    await writeSchemaFiles(dir, writes, {
      signal: options.signal,
      onWritten: (rel, done) => {
        written.push(rel);
        if (done % 50 === 0) options.onProgress?.({ phase: 'write', done, total: writes.length + 2 });
      },
    });
    written.sort();
    options.onProgress?.({ phase: 'write', done: writes.length, total: writes.length + 2 });
    await saveConnector(dir, merged.connector);
    written.push(file);
    const baseline: ImportRecord = {
      format: 'openapi',
      source,
      spec: plan.spec,
      schemas: schemaFiles,
      connector: options.include && record ? mergeConnector({ existing: record.connector, incoming: plan.connector, partial: true }).connector : plan.connector,
    };
    await mkdir(join(dir, 'imports'), { recursive: true });
    await writeFileAtomic(join(dir, importRecordFile(name)), `${JSON.stringify(baseline, null, 2)}\n`);
    written.push(importRecordFile(name));
    options.onProgress?.({ phase: 'write', done: writes.length + 2, total: writes.length + 2 });
  }
  return {
    connector: name,
    file,
    imported: plan.connector.transactions.length,
    skipped: plan.skipped,
    warnings,
    diff: merged.diff,
    dryRun: !!options.dryRun,
    written,
  };
}
