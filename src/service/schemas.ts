import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TrellisError } from '../engine/errors.js';
import { findTransaction } from '../engine/execute-transaction.js';
import type { Project } from '../model/index.js';
import { writeFileAtomic } from '../project/index.js';
import { inferSchema, mergeSchemas, type JSONSchema } from '../schema/index.js';
import { diskOwner } from './rename-log.js';
import type { RunMemory } from './run-memory.js';

export const SCHEMAS_DIR = 'schemas';

/**
 * The project-relative file of an owner's stored output schema, as the OpenAPI import writes them:
 * `schemas/<connector>.<transaction>.json` for a transaction, `schemas/<sequence>.json` for a sequence.
 */
export function schemaFile(owner: string): string {
  return `${SCHEMAS_DIR}/${owner}.json`;
}

/** The same text the OpenAPI import writes: 2-space JSON and a final newline, so files diff well. */
export function schemaFileText(schema: JSONSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** `<connector>.<transaction>` or a sequence name of the project; anything else is an error that lists what exists. */
export function checkOwner(project: Project, owner: string): 'transaction' | 'sequence' {
  if (owner.includes('.')) {
    try {
      findTransaction(project, owner);
      return 'transaction';
    } catch (e) {
      if (!project.sequences.some((s) => s.name === owner)) throw e;
    }
  }
  if (project.sequences.some((s) => s.name === owner)) return 'sequence';
  const names = project.sequences.map((s) => s.name);
  throw new TrellisError(
    'NOT_FOUND',
    `project ${project.name} has no transaction or sequence "${owner}" (a schema belongs to <connector>.<transaction> or a sequence${names.length ? `; sequences: ${names.join(', ')}` : ''})`,
    { path: owner },
  );
}

interface Cached {
  mtimeMs: number;
  size: number;
  schema: JSONSchema;
}

/** Stored output schemas (schemas/*.json): read with a cache checked against the file's mtime, written atomically. */
export class SchemaStore {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly memory: RunMemory) {}

  /** The stored schema of `owner`, or null when there is none. A file that is not a JSON object is an error naming it. */
  async read(project: Project, owner: string): Promise<JSONSchema | null> {
    // A rename not saved yet: the file still has the old name.
    const rel = schemaFile(diskOwner(project, owner));
    const path = join(project.dir, rel);
    let info;
    try {
      info = await stat(path);
    } catch {
      return null;
    }
    const hit = this.cache.get(path);
    if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit.schema;
    let schema: unknown;
    try {
      schema = JSON.parse(await readFile(path, 'utf8'));
    } catch (e) {
      throw new TrellisError('INVALID_CONFIG', `${rel}: not a readable JSON file (${(e as Error).message}); fix it or delete it`, { path: rel });
    }
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema))
      throw new TrellisError('INVALID_CONFIG', `${rel}: a schema file holds a JSON Schema object; fix it or delete it`, { path: rel });
    this.cache.set(path, { mtimeMs: info.mtimeMs, size: info.size, schema: schema as JSONSchema });
    return schema as JSONSchema;
  }

  async get(project: Project, owner: string): Promise<JSONSchema | null> {
    checkOwner(project, owner);
    return this.read(project, owner);
  }

  /**
   * "Update schema from current connector data": infers a schema from the last result of `owner` in this
   * session and merges it into the stored one (mergeSchemas: new fields added, missing ones made optional,
   * types widened), then writes the file atomically.
   */
  async update(project: Project, owner: string): Promise<JSONSchema> {
    const kind = checkOwner(project, owner);
    const data = this.memory.data(project.dir, owner);
    if (data === undefined)
      throw new TrellisError('NOT_FOUND', `${kind} ${owner} has no result to infer a schema from in this session: execute ${owner} first (a failed call or a non-2xx answer does not count)`, {
        path: owner,
      });
    const stored = await this.read(project, owner);
    const inferred = inferSchema(data);
    const schema = stored ? mergeSchemas(stored, inferred) : inferred;
    await mkdir(join(project.dir, SCHEMAS_DIR), { recursive: true });
    await writeFileAtomic(join(project.dir, schemaFile(diskOwner(project, owner))), schemaFileText(schema));
    return schema;
  }
}
