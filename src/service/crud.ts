import type { ParsedParams, ProjectState } from '../contract/index.js';
import type { Logger } from '../engine/logger.js';
import type { ConnectionPool } from '../engine/pool.js';
import { crudFor, currentMappings, introspectConnector, sqlConnectorOf, writeCrudSchemas } from '../generate/crud-project.js';
import type { Project } from '../model/index.js';
import { writeMappings } from '../project/mappings.js';
import { projectEnv } from './execution.js';
import type { OpenProject } from './workspace.js';

/**
 * connector.generateCrud, the studio's "Generate database services": introspects the connector's database
 * through the studio's pooled handle and adds the generated transactions and sequences to the working copy as
 * one undoable edit. Routes (mappings.yaml) and output schemas (schemas/) are files beside the model, so they
 * are written now, as openapi.import writes its schemas; what exists already is kept and reported as skipped.
 */

export interface CrudDeps {
  pool: ConnectionPool;
  logger: Logger;
  /** runs a write so the project's watcher does not take it for an outside edit */
  whileWriting<T>(write: () => Promise<T>): Promise<T>;
}

export interface CrudResult {
  created: string[];
  skipped: string[];
  warnings: string[];
  state: ProjectState;
}

export async function generateCrudInto(deps: CrudDeps, entry: OpenProject, params: ParsedParams<'connector.generateCrud'>, apply: (next: Project) => ProjectState): Promise<CrudResult> {
  const connector = sqlConnectorOf(entry.project, entry.problems, params.connector);
  const mappings = await currentMappings(entry.dir);
  const schema = await introspectConnector(deps.pool, entry.dir, connector, await projectEnv(entry.project), deps.logger);
  // the working copy may have changed while the database answered: generate against what is there now
  const now = sqlConnectorOf(entry.project, entry.problems, params.connector);
  const applied = crudFor(entry.project, now, schema, mappings, params.tables);
  await deps.whileWriting(async () => {
    if (applied.mappingsChanged) await writeMappings(entry.dir, applied.mappings);
    await writeCrudSchemas(entry.dir, applied.schemas);
  });
  const modelChanged = applied.connector !== now || applied.newSequences.length > 0;
  const state = modelChanged ? apply(applied.project) : entry.state();
  deps.logger.info({ project: entry.dir }, `generated database services for connector ${params.connector}: ${applied.created.length} created, ${applied.skipped.length} skipped`);
  return { created: applied.created, skipped: applied.skipped, warnings: applied.warnings, state };
}
