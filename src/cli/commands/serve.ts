import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { isBundleFile } from '../../bundle/index.js';
import { TrellisError } from '../../engine/errors.js';
import type { DeploySource } from '../../runtime/deployments.js';
import { startRuntime, type Runtime } from '../../runtime/server.js';
import { processIo, untilSignal } from '../io.js';
import { failWith } from './fail.js';

function positiveInt(what: string, min = 1) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > 2 ** 31) throw new InvalidArgumentError(`${what}: a whole number${min ? ` from ${min}` : ''}`);
    return n;
  };
}

/** A folder is a project; a file is a bundle (checked when it is opened). */
export async function sourceOf(path: string): Promise<DeploySource> {
  const full = resolve(path);
  const info = await stat(full).catch(() => undefined);
  if (!info) throw new TrellisError('NOT_FOUND', `${path}: no such project folder or bundle`);
  if (info.isDirectory()) return { kind: 'folder', path: full };
  if (!(await isBundleFile(full))) throw new TrellisError('INVALID_BUNDLE', `${path} is not a Trellis bundle (expected a project folder or a .trellis file)`);
  return { kind: 'bundle', path: full };
}


export function registerServe(program: Command): void {
  program
    .command('serve <source...>')
    .description('serve project folders and .trellis bundles as REST APIs (exposed sequences and transactions, mappings, OpenAPI); prints the URL, stops gracefully on SIGTERM')
    .option('--port <n>', 'port to listen on (0 picks a free port)', positiveInt('--port', 0), 8080)
    .option('--host <h>', 'address to listen on', '127.0.0.1')
    .option('--timeout <ms>', 'per-request deadline in milliseconds (504 past it)', positiveInt('--timeout'))
    .option('--body-limit <bytes>', 'largest request body in bytes (413 above)', positiveInt('--body-limit'))
    .option('--concurrency <n>', 'executions of one sequence at a time before 503', positiveInt('--concurrency'))
    .action(async (paths: string[], opts: { port: number; host: string; timeout?: number; bodyLimit?: number; concurrency?: number }) => {
      let runtime: Runtime;
      try {
        const sources = await Promise.all(paths.map(sourceOf));
        runtime = await startRuntime({ sources, port: opts.port, host: opts.host, timeoutMs: opts.timeout, bodyLimit: opts.bodyLimit, concurrency: opts.concurrency });
      } catch (e) {
        failWith(e);
        return;
      }
      const names = runtime.registry.list().map((d) => d.name);
      // the one stdout line scripts read the URL from; request logs go to stderr
      // listen for the stop signal before printing: a script may send it as soon as it reads the line
      const stopped = untilSignal();
      processIo.out(`Trellis runtime: ${runtime.url} (projects: ${names.join(', ')}; sessions: ${runtime.sessions.kind})`);
      await stopped;
      await runtime.close();
    });
}
