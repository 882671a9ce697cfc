import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrellisError, toTrellisError } from '../engine/errors.js';
import type { Connector } from '../model/index.js';
import { loadProject, saveConnector, writeFileAtomic } from '../project/index.js';
import { cancelled, loadWsdl, type LoadedWsdl } from './load.js';
import { mapWsdl } from './map.js';
import { mergeSoapConnector } from './merge.js';
import type { WsdlImportOptions, WsdlImportPlan, WsdlImportSummary, WsdlReadOptions, WsdlWarning } from './types.js';

export type * from './types.js';

/**
 * WSDL 1.1 → one SOAP connector with a transaction per operation. `readWsdl` maps without writing;
 * `importWsdl` copies a local WSDL (and the local files it imports) into the project, merges the mapping
 * into the connector of the same name (re-import) and writes it with its output schemas and the import
 * record. The rules are in docs/wsdl-import.md.
 */

/** Reads a WSDL (file path or http(s) URL, with every document it imports) and maps it; writes nothing. */
export async function readWsdl(source: string, opts: WsdlReadOptions = {}): Promise<WsdlImportPlan> {
  const loaded = await load(source, opts);
  return plan(loaded, source, opts);
}

/** The WSDL and every document it imports, with its mapping: what an import (CLI or studio) works from. */
export async function loadAndMap(source: string, opts: WsdlReadOptions = {}): Promise<{ loaded: LoadedWsdl; mapped: WsdlImportPlan }> {
  const loaded = await load(source, opts);
  return { loaded, mapped: await plan(loaded, source, opts) };
}

async function load(source: string, opts: WsdlReadOptions): Promise<LoadedWsdl> {
  try {
    return await loadWsdl(source, { signal: opts.signal, timeoutMs: opts.timeoutMs, onProgress: opts.onProgress });
  } catch (e) {
    throw asImportError(e, source);
  }
}

async function plan(loaded: LoadedWsdl, source: string, opts: WsdlReadOptions): Promise<WsdlImportPlan> {
  try {
    const mapped = await mapWsdl(loaded, opts);
    const doc = mapped.wsdl.document;
    mapped.connector.config.wsdl = doc === loaded.entry.url ? source : doc.startsWith('file:') ? fileURLToPath(doc) : doc;
    return mapped;
  } catch (e) {
    throw asImportError(e, source);
  }
}

function asImportError(e: unknown, source: string): TrellisError {
  if (e instanceof TrellisError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return new TrellisError('INVALID_SPEC', `${source}: the WSDL's schemas nest too deeply to be read`, { cause: e });
  return toTrellisError(e, source);
}

export function importRecordFile(connector: string): string {
  return `imports/${connector}.wsdl.json`;
}

export interface WsdlImportRecord {
  format: 'wsdl';
  source: string;
  schemas: Record<string, string>;
  connector: Connector;
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

export async function readWsdlImportRecord(dir: string, name: string, warn: (w: WsdlWarning) => void): Promise<WsdlImportRecord | undefined> {
  const rel = importRecordFile(name);
  const text = await readText(join(dir, rel));
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as WsdlImportRecord;
    if (record?.connector && Array.isArray(record.connector.transactions)) return record;
  } catch {}
  warn({ code: 'import-record-invalid', message: `${rel}: unreadable record of the previous import; merged as if there were none`, file: rel });
  return undefined;
}

const posix = (p: string): string => p.split(sep).join('/');

/**
 * Where the connector finds its WSDL: a URL stays a URL; a file inside the project is referred to where it
 * is; a file outside is copied with the local files it imports under files/wsdl/<connector>/ (their common
 * folder's layout kept, so relative imports still resolve), as bundles carry files/.
 */
export function wsdlCopies(dir: string, loaded: LoadedWsdl, document: string, connector: string): { wsdl: string; copies: Array<{ from: string; to: string }> } {
  if (!document.startsWith('file:')) return { wsdl: document, copies: [] };
  const entry = fileURLToPath(document);
  const inside = relative(dir, entry);
  if (!inside.startsWith('..') && !isAbsolute(inside)) return { wsdl: posix(inside), copies: [] };
  const files = loaded.docs.filter((d) => d.url.startsWith('file:')).map((d) => fileURLToPath(d.url));
  let root = dirname(entry);
  while (files.some((f) => relative(root, f).startsWith('..')) && dirname(root) !== root) root = dirname(root);
  const target = `files/wsdl/${connector}`;
  return { wsdl: `${target}/${posix(relative(root, entry))}`, copies: files.map((f) => ({ from: f, to: `${target}/${posix(relative(root, f))}` })) };
}

/**
 * The output schema files of a mapping (schemas/<connector>.<transaction>.json) and the texts to write. A file
 * changed in the project since the last import (inferred from real calls, edited) is kept, with a warning.
 * Returns the record's file → sha map too.
 */
export async function planSchemaWrites(input: {
  dir: string;
  mapped: WsdlImportPlan;
  names: ReadonlyMap<string, string>;
  exists: boolean;
  record: WsdlImportRecord | undefined;
  warnings: WsdlWarning[];
}): Promise<{ hashes: Record<string, string>; writes: Array<[string, string]> }> {
  const { dir, mapped, names, exists, record, warnings } = input;
  const name = mapped.connector.name;
  const hashes: Record<string, string> = {};
  const writes: Array<[string, string]> = [];
  for (const [owner, schema] of Object.entries(mapped.schemas)) {
    const txName = owner.slice(name.length + 1);
    const rel = `schemas/${name}.${names.get(txName) ?? txName}.json`;
    const text = `${JSON.stringify(schema, null, 2)}\n`;
    const current = exists ? await readText(join(dir, rel)) : undefined;
    const recorded = record?.schemas[rel];
    if (current !== undefined && current !== text && sha(current) !== recorded) {
      warnings.push({ code: 'schema-kept', message: `${rel} was changed in the project since the last import; kept (delete it to take the WSDL's schema)`, file: rel });
      hashes[rel] = recorded ?? sha(current);
      continue;
    }
    hashes[rel] = sha(text);
    if (current !== text) writes.push([rel, text]);
  }
  return { hashes, writes };
}

export async function importWsdl(projectDir: string, source: string, options: WsdlImportOptions = {}): Promise<WsdlImportSummary> {
  const dir = resolve(projectDir);
  const { project, problems } = await loadProject(dir);
  const loaded = await load(source, options);
  const mapped = await plan(loaded, source, options);
  const warnings: WsdlWarning[] = [...mapped.warnings];
  const name = mapped.connector.name;
  const { wsdl, copies } = wsdlCopies(dir, loaded, mapped.wsdl.document, name);
  mapped.connector.config.wsdl = wsdl;
  const file = `connectors/${name}.yaml`;
  const existing = project.connectors.find((c) => c.name === name);
  if (!existing) {
    const broken = problems.find((p) => p.file === file && p.severity === 'error');
    if (broken) throw new TrellisError('INVALID_PROJECT', `${file}:${broken.line}:${broken.col}: ${broken.message} (fix it, or import under another --connector name)`);
  } else if (existing.kind !== 'soap') {
    throw new TrellisError('INVALID_CONFIG', `connector ${name} exists and is a ${existing.kind} connector; import under another --connector name`);
  }
  options.onProgress?.({ phase: 'merge' });
  const record = existing ? await readWsdlImportRecord(dir, name, (w) => warnings.push(w)) : undefined;
  const merged = mergeSoapConnector({ existing, incoming: mapped.connector, base: record?.connector });
  warnings.push(...merged.warnings);

  const { hashes: schemaFiles, writes } = await planSchemaWrites({ dir, mapped, names: merged.names, exists: !!existing, record, warnings });

  const written: string[] = [];
  if (!options.dryRun) {
    const total = copies.length + writes.length + 2;
    options.onProgress?.({ phase: 'write', done: 0, total });
    for (const c of copies) {
      if (options.signal?.aborted) throw cancelled();
      await mkdir(dirname(join(dir, c.to)), { recursive: true });
      await writeFileAtomic(join(dir, c.to), await readFile(c.from));
      written.push(c.to);
    }
    if (writes.length) await mkdir(join(dir, 'schemas'), { recursive: true });
    for (const [rel, text] of writes) {
      if (options.signal?.aborted) throw cancelled();
      await writeFileAtomic(join(dir, rel), text);
      written.push(rel);
    }
    await saveConnector(dir, merged.connector);
    written.push(file);
    const baseline: WsdlImportRecord = { format: 'wsdl', source, schemas: Object.fromEntries(Object.entries(schemaFiles).sort(([a], [b]) => a.localeCompare(b))), connector: mapped.connector };
    await mkdir(join(dir, 'imports'), { recursive: true });
    await writeFileAtomic(join(dir, importRecordFile(name)), `${JSON.stringify(baseline, null, 2)}\n`);
    written.push(importRecordFile(name));
    options.onProgress?.({ phase: 'write', done: total, total });
  }
  return { connector: name, file, imported: mapped.connector.transactions.length, skipped: mapped.skipped, warnings, diff: merged.diff, dryRun: !!options.dryRun, written };
}
