import type { ParsedParams } from '../contract/index.js';
import { introspect, type DatabaseSchema } from '../connectors/sql/introspect.js';
import { TrellisError } from '../engine/errors.js';
import type { Logger } from '../engine/logger.js';
import type { ConnectionPool } from '../engine/pool.js';
import type { Project } from '../model/index.js';
import { projectEnv } from './execution.js';

export interface IntrospectDeps {
  pool: ConnectionPool;
  logger: Logger;
}

/** connector.introspect: the structure of the database behind a SQL connector, through the studio's pooled handle. */
export async function introspectConnector(deps: IntrospectDeps, project: Project, { connector: name }: ParsedParams<'connector.introspect'>): Promise<DatabaseSchema> {
  const connector = project.connectors.find((c) => c.name === name);
  if (!connector)
    throw new TrellisError('NOT_FOUND', `project ${project.name} has no connector "${name}"${project.connectors.length ? ` (connectors: ${project.connectors.map((c) => c.name).join(', ')})` : ''}`, {
      path: `connectors/${name}`,
    });
  if (connector.kind !== 'sql') throw new TrellisError('INVALID_CONFIG', `connector ${name} is of kind ${connector.kind}: only SQL connectors (kind: sql) can be introspected`, { path: `connectors/${name}` });
  const handle = await deps.pool.get(project.dir, connector, await projectEnv(project), deps.logger);
  return introspect(handle);
}
