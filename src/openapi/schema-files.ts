import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../project/index.js';
import type { ImportRecord } from './import.js';
import { schemaText } from './schemas.js';
import { cancelled, TimeSlicer } from './slice.js';
import type { ImportPlan, ImportWarning } from './types.js';

/**
 * The output schema files of an import (schemas/<connector>.<transaction>.json), shared by the CLI's
 * importOpenApi and the studio's openapi.import: which to write, which to keep, and the writing.
 */

export const SCHEMAS_DIR = 'schemas';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

export interface SchemaFilesPlan {
  /** the import record's `schemas`: project-relative file → sha256, sorted by file */
  hashes: Record<string, string>;
  /** files to write, [project-relative file, text], in the plan's order; unchanged files are not in it */
  writes: Array<[string, string]>;
}

export interface SchemaFilesInput {
  /** the project folder */
  dir: string;
  /** the plan, its connector's transactions being those imported (after any operation filter) */
  plan: ImportPlan;
  /** the merge's renames: plan transaction name → name in the project */
  names: ReadonlyMap<string, string>;
  /** whether the connector was in the project (otherwise no schema file is read) */
  exists: boolean;
  /** the record of the previous import */
  record: ImportRecord | undefined;
  /** `schema-kept` warnings go here */
  warnings: ImportWarning[];
  signal?: AbortSignal;
}

/**
 * Decides the schema files of an import. A file the developer changed since the last import (its text is
 * neither the spec's schema nor what that import wrote, by the record's sha) is kept, with a
 * `schema-kept` warning. Files of earlier imports that this one does not touch keep their recorded hashes.
 */
export async function planSchemaFiles(input: SchemaFilesInput): Promise<SchemaFilesPlan> {
  const { dir, plan, names, exists, record, warnings } = input;
  const name = plan.connector.name;
  const imported = new Set(plan.connector.transactions.map((t) => t.name));
  const hashes: Record<string, string> = {};
  const writes: Array<[string, string]> = [];
  // Hundreds of schemas to serialize and hash (DigitalOcean: 659): time-sliced like the mapping.
  const slicer = new TimeSlicer(input.signal);
  for (const [owner, schema] of Object.entries(plan.schemas)) {
    const txName = owner.slice(name.length + 1);
    if (!imported.has(txName)) continue;
    await slicer.pass();
    const rel = `${SCHEMAS_DIR}/${name}.${names.get(txName) ?? txName}.json`;
    const text = schemaText(schema);
    const current = exists ? await readText(join(dir, rel)) : undefined;
    const recorded = record?.schemas[rel];
    if (current !== undefined && current !== text && sha256(current) !== recorded) {
      warnings.push({ code: 'schema-kept', message: `${rel} was changed in the project since the last import; kept (delete it to take the spec's schema)`, file: rel });
      hashes[rel] = recorded ?? sha256(current);
      continue;
    }
    hashes[rel] = sha256(text);
    if (current !== text) writes.push([rel, text]);
  }
  if (record) for (const [rel, hash] of Object.entries(record.schemas)) hashes[rel] ??= hash;
  return { hashes: Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => a.localeCompare(b))), writes };
}

/**
 * Writes schema files atomically, 16 at a time (each atomic write flushes: several keep the disk busy
 * instead of waiting on each flush). Checks cancellation before each file; `onWritten` after each.
 */
export async function writeSchemaFiles(dir: string, writes: ReadonlyArray<readonly [string, string]>, opts: { signal?: AbortSignal; onWritten?: (file: string, done: number) => void } = {}): Promise<void> {
  if (!writes.length) return;
  await mkdir(join(dir, SCHEMAS_DIR), { recursive: true });
  const queue = [...writes];
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (opts.signal?.aborted) throw cancelled();
      await writeFileAtomic(join(dir, next[0]), next[1]);
      opts.onWritten?.(next[0], ++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, writes.length) }, worker));
}
