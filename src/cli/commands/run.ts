import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadProject, readDotEnv } from '../../project/index.js';
import { envFrom } from '../../engine/env.js';
import { TrellisError } from '../../engine/errors.js';
import { executeTransaction } from '../../engine/execute-transaction.js';
import { executeSequence } from '../../engine/sequence/index.js';
import type { Project } from '../../model/index.js';
import { Logs } from '../../engine/logger.js';
import { ConnectionPool } from '../../engine/pool.js';
import { collect, processIo, setExit } from '../io.js';
import { failWith } from './fail.js';
import { fileStubs } from '../../project/stubs.js';

/** `--var a=1 --var a=2 --var b=x` → { a: ['1','2'], b: 'x' }: repeating a name makes a multivalued value. */
export function parseVarValues(specs: string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new TrellisError('BAD_VARIABLE', `--var "${spec}": expected name=value`);
    const name = spec.slice(0, eq);
    const value = spec.slice(eq + 1);
    const prev = out[name];
    out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/**
 * `<connector>.<transaction>` when the part before the first dot names a connector of the project; a
 * sequence otherwise (sequence names may contain dots too).
 */
export function isTransactionTarget(project: Project, target: string): boolean {
  const dot = target.indexOf('.');
  return dot > 0 && project.connectors.some((c) => c.name === target.slice(0, dot));
}

export function registerRun(program: Command): void {
  program
    .command('run <dir> <target>')
    .description(
      'execute <connector>.<transaction> and print the response data as JSON (exit 0: status < 400, 2: status >= 400, 1: failure), or execute a sequence and print its output (exit 0: ok, 1: failure)',
    )
    .option('--var <name=value>', 'a variable value (repeat a name for a multivalued variable)', collect, [])
    .option('--full', 'print {data, meta: {status, headers, ms, bytes}} (a sequence: {data, meta: {ms, steps}})', false)
    .option('--timeout <ms>', 'deadline for the whole execution in ms')
    .option('--stubs', 'stub mode: transactions answer from stubs/<connector>.<transaction>.json instead of their backends', false)
    .action(async (dir: string, target: string, opts: { var: string[]; full: boolean; timeout?: string; stubs?: boolean }) => {
      const pool = new ConnectionPool();
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const folder = resolve(dir);
        const { project, problems } = await loadProject(folder);
        const timeoutMs = opts.timeout === undefined ? undefined : Number(opts.timeout);
        if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new TrellisError('BAD_VARIABLE', `--timeout "${opts.timeout}" is not a positive number of milliseconds`);
        const logs = new Logs({ project: project.log });
        const env = envFrom(process.env, await readDotEnv(folder));
        const options = { env, pool, signal: controller.signal, timeoutMs, ...(opts.stubs ? { stubs: fileStubs(folder) } : {}) };
        if (!isTransactionTarget(project, target)) {
          const broken = problems.find((p) => p.severity === 'error' && p.file === `sequences/${target}.yaml`);
          if (broken) throw new TrellisError('INVALID_PROJECT', `${broken.file}:${broken.line}:${broken.col}: ${broken.message}`);
          const result = await executeSequence(project, target, parseVarValues(opts.var), { ...options, logger: logs.get('sequence') });
          const printed = opts.full ? { data: result.output, meta: { ms: Math.round(result.ms * 10) / 10, steps: result.steps } } : result.output;
          processIo.out(JSON.stringify(printed, null, 2));
          return;
        }
        const connectorName = target.split('.')[0];
        const broken = problems.find((p) => p.severity === 'error' && p.file === `connectors/${connectorName}.yaml`);
        if (broken) throw new TrellisError('INVALID_PROJECT', `${broken.file}:${broken.line}:${broken.col}: ${broken.message}`);
        const result = await executeTransaction(project, target, parseVarValues(opts.var), { ...options, logger: logs.get('transaction'), connectorLogger: logs.get('connector') });
        const { status, headers, ms, bytes } = result.meta;
        // SQL results add rows, affected, columns and truncated; absent keys are dropped by JSON.stringify.
        const { rows, affected, columns, truncated } = result.meta;
        const printed = opts.full ? { data: result.data, meta: { status, headers, ms: Math.round(ms * 10) / 10, bytes, rows, affected, columns, truncated } } : result.data;
        processIo.out(JSON.stringify(printed, null, 2));
        if (status !== undefined && status >= 400) setExit(2);
      } catch (e) {
        failWith(e);
      } finally {
        process.off('SIGINT', onSigint);
        await pool.dispose();
      }
    });
}
