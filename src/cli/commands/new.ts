import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { createProject, saveConnector } from '../../project/index.js';
import { toName } from '../../model/index.js';
import { processIo } from '../io.js';
import { failWith } from './fail.js';

/** Splits `host[:port][/basePath]` (no protocol) into connector settings. */
export function parseRestAddress(address: string): { host: string; port?: number; basePath: string } {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(address))
    throw new Error(`--rest takes a server address without protocol (got "${address}"); use --https for https`);
  const slash = address.indexOf('/');
  const hostPort = slash < 0 ? address : address.slice(0, slash);
  const basePath = slash < 0 ? '' : address.slice(slash).replace(/\/+$/, '');
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!m || !m[1]) throw new Error(`--rest: "${address}" is not a server address (host[:port][/basePath])`);
  const port = m[2] ? Number(m[2]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`--rest: port ${port} is out of range 1-65535`);
  return { host: m[1], ...(port !== undefined ? { port } : {}), basePath };
}

export function registerNew(program: Command): void {
  program
    .command('new <dir>')
    .description('create a project folder; with --rest, the "REST empty web service" project with one HTTP connector')
    .option('--name <name>', 'project name (default: the folder name)')
    .option('--rest <address>', 'server address without protocol: host[:port][/basePath]')
    .option('--https', 'use https for the --rest server', false)
    .option('--connector <name>', 'name of the HTTP connector made by --rest', 'rest')
    .action(async (dir: string, opts: { name?: string; rest?: string; https: boolean; connector: string }) => {
      try {
        const folder = resolve(dir);
        const name = opts.name ?? toName(basename(folder), 'project');
        const rest = opts.rest ? parseRestAddress(opts.rest) : undefined;
        const project = await createProject(folder, { name });
        if (rest) {
          await saveConnector(folder, {
            name: opts.connector,
            kind: 'http',
            config: { host: rest.host, https: opts.https, ...(rest.port ? { port: rest.port } : {}), basePath: rest.basePath },
            transactions: [],
          });
        }
        processIo.out(`created project ${project.name} in ${folder}${rest ? ` with HTTP connector ${opts.connector} → ${opts.https ? 'https' : 'http'}://${rest.host}${rest.port ? `:${rest.port}` : ''}${rest.basePath}` : ''}`);
      } catch (e) {
        failWith(e);
      }
    });
}
