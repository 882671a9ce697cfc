import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadProject, readDotEnv } from '../../project/index.js';
import { formatSchema, introspect } from '../../connectors/sql/introspect.js';
import { envFrom } from '../../engine/env.js';
import { TrellisError } from '../../engine/errors.js';
import { Logs } from '../../engine/logger.js';
import { ConnectionPool } from '../../engine/pool.js';
import { processIo } from '../io.js';
import { failWith } from './fail.js';

export function registerIntrospect(program: Command): void {
  program
    .command('introspect <dir> <connector>')
    .description("print a SQL connector's tables and views: columns (type, nullable, default), primary and foreign keys")
    .option('--json', 'print the structure as JSON', false)
    .action(async (dir: string, connectorName: string, opts: { json: boolean }) => {
      const pool = new ConnectionPool();
      try {
        const folder = resolve(dir);
        const { project, problems } = await loadProject(folder);
        const connector = project.connectors.find((c) => c.name === connectorName);
        if (!connector) {
          const broken = problems.find((p) => p.severity === 'error' && p.file === `connectors/${connectorName}.yaml`);
          if (broken) throw new TrellisError('INVALID_PROJECT', `${broken.file}:${broken.line}:${broken.col}: ${broken.message}`);
          throw new TrellisError('NOT_FOUND', `project ${project.name} has no connector "${connectorName}"${project.connectors.length ? ` (connectors: ${project.connectors.map((c) => c.name).join(', ')})` : ''}`);
        }
        const logs = new Logs({ project: project.log });
        const env = envFrom(process.env, await readDotEnv(folder));
        const handle = await pool.get(folder, connector, env, logs.get('connector'));
        const schema = await introspect(handle);
        processIo.out(opts.json ? JSON.stringify(schema, null, 2) : formatSchema(schema));
      } catch (e) {
        failWith(e);
      } finally {
        await pool.dispose();
      }
    });
}
