import { access, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { sqlDialect } from '../connectors/sql.connector.js';
import { introspect, type DatabaseSchema } from '../connectors/sql/introspect.js';
import { envFrom, type Env } from '../engine/env.js';
import { TrellisError } from '../engine/errors.js';
import { Logs, type Logger } from '../engine/logger.js';
import { ConnectionPool } from '../engine/pool.js';
import type { Connector, Mappings, Problem, Project } from '../model/index.js';
import { loadProject, readDotEnv, saveConnector, saveSequence, writeFileAtomic } from '../project/index.js';
import { readMappings, writeMappings } from '../project/mappings.js';
import { applyCrud, type CrudApplied } from './crud-apply.js';
import { planCrud, type CrudSchemaFile } from './crud.js';

/**
 * Generating database services into a project folder (the CLI's `trellis generate crud`): load the project,
 * introspect the SQL connector's database, plan, add what does not exist yet, write each changed file
 * atomically. The studio does the same steps on its working copy (service/crud.ts).
 */

export interface CrudOutcome {
  created: string[];
  skipped: string[];
  warnings: string[];
  /** files written, relative to the project */
  written: string[];
}

/** The SQL connector `name` of a project, or an error that says what is wrong (unknown, broken file, other kind). */
export function sqlConnectorOf(project: Project, problems: readonly Problem[], name: string): Connector {
  const connector = project.connectors.find((c) => c.name === name);
  if (!connector) {
    const file = `connectors/${name}.yaml`;
    const broken = problems.find((p) => p.severity === 'error' && p.file === file);
    if (broken) throw new TrellisError('INVALID_PROJECT', `${file}:${broken.line}:${broken.col}: ${broken.message} (fix it first)`, { path: file });
    const names = project.connectors.map((c) => c.name);
    throw new TrellisError('NOT_FOUND', `project ${project.name} has no connector "${name}"${names.length ? ` (connectors: ${names.join(', ')})` : ''}`, { path: file });
  }
  if (connector.kind !== 'sql')
    throw new TrellisError('INVALID_CONFIG', `connector ${name} is of kind ${connector.kind}: database services are generated from a SQL connector (kind: sql)`, { path: `connectors/${name}` });
  return connector;
}

/** The database structure behind a SQL connector, through a pool the caller owns. */
export async function introspectConnector(pool: ConnectionPool, dir: string, connector: Connector, env: Env, logger: Logger): Promise<DatabaseSchema> {
  return introspect(await pool.get(dir, connector, env, logger));
}

/** The mappings of a project folder; a mappings.yaml that does not load is an error (generating would lose it). */
export async function currentMappings(dir: string): Promise<Mappings | undefined> {
  const { mappings, problems } = await readMappings(dir);
  const error = problems.find((p) => p.severity === 'error');
  if (error) throw new TrellisError('INVALID_PROJECT', `${error.file}:${error.line}:${error.col}: ${error.message} (fix mappings.yaml before generating routes into it)`, { path: error.file });
  return mappings;
}

/** Plans and applies the services of `tables` (all by default) for a connector whose database was introspected. */
export function crudFor(project: Project, connector: Connector, schema: DatabaseSchema, mappings: Mappings | undefined, tables?: readonly string[]): CrudApplied & { warnings: string[] } {
  const dialect = sqlDialect(schema.driver);
  const plan = planCrud({ connector: connector.name, schema, quote: (name) => dialect.quoteIdentifier(name), mixedTypeCase: dialect.mixedTypeCase === true, tables });
  return { ...applyCrud(project, connector.name, mappings, plan), warnings: plan.warnings };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Writes the output schemas of created objects, keeping any file already there (it may hold inferred or edited schemas). */
export async function writeCrudSchemas(dir: string, schemas: readonly CrudSchemaFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const s of schemas) {
    const rel = `schemas/${s.owner}.json`;
    const path = join(dir, rel);
    if (await exists(path)) continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, `${JSON.stringify(s.schema, null, 2)}\n`);
    written.push(rel);
  }
  return written;
}

/** Writes what applyCrud added: the connector, the new sequences, mappings.yaml, the schemas. */
export async function writeCrud(dir: string, applied: CrudApplied, before: Connector): Promise<string[]> {
  const written: string[] = [];
  if (applied.connector !== before) {
    await saveConnector(dir, applied.connector);
    written.push(`connectors/${applied.connector.name}.yaml`);
  }
  for (const s of applied.newSequences) {
    await saveSequence(dir, s);
    written.push(`sequences/${s.name}.yaml`);
  }
  if (applied.mappingsChanged) {
    await writeMappings(dir, applied.mappings);
    written.push('mappings.yaml');
  }
  written.push(...(await writeCrudSchemas(dir, applied.schemas)));
  return written;
}

/** `trellis generate crud <dir> <connector> [--tables a,b]`. */
export async function generateCrud(dir: string, connectorName: string, options: { tables?: readonly string[]; env?: Env } = {}): Promise<CrudOutcome> {
  const folder = resolve(dir);
  const { project, problems } = await loadProject(folder);
  const connector = sqlConnectorOf(project, problems, connectorName);
  const mappings = await currentMappings(folder);
  const pool = new ConnectionPool();
  try {
    const env = options.env ?? envFrom(process.env, await readDotEnv(folder));
    const logs = new Logs({ project: project.log });
    const schema = await introspectConnector(pool, folder, connector, env, logs.get('connector'));
    const applied = crudFor(project, connector, schema, mappings, options.tables);
    const written = await writeCrud(folder, applied, connector);
    return { created: applied.created, skipped: applied.skipped, warnings: applied.warnings, written };
  } finally {
    await pool.dispose();
  }
}
