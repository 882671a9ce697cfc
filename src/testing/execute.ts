import { resolveEnv } from '../engine/env.js';
import { TrellisError, toTrellisError } from '../engine/errors.js';
import { effectiveVariables, executeTransaction, findTransaction, type ExecuteOptions } from '../engine/execute-transaction.js';
import type { Logger } from '../engine/logger.js';
import { maskInputs, SecretMask } from '../engine/mask.js';
import { executeSequence } from '../engine/sequence/index.js';
import type { Json, Project, Variable } from '../model/index.js';
import { fileStubs } from '../project/stubs.js';
import type { JSONSchema } from '../schema/index.js';
import type { Outcome } from './assertions.js';
import type { CaseMask, TestDeps } from './runner.js';

/** `<connector>.<transaction>` when the part before the first dot names a connector; a sequence otherwise. */
export function isTransaction(project: Project, target: string): boolean {
  const dot = target.indexOf('.');
  return dot > 0 && project.connectors.some((c) => c.name === target.slice(0, dot));
}

/** The declared variables of a target, or an error saying the target does not exist. */
export function targetVariables(project: Project, target: string): Variable[] {
  if (isTransaction(project, target)) {
    const { connector, transaction } = findTransaction(project, target);
    return effectiveVariables(connector, transaction);
  }
  const sequence = project.sequences.find((s) => s.name === target);
  if (!sequence) throw new TrellisError('NOT_FOUND', `project ${project.name} has no transaction or sequence "${target}"`, { path: target });
  return sequence.variables;
}

export function caseMask(project: Project, target: string, variables: Record<string, unknown>): CaseMask {
  let declared: Variable[] = [];
  try {
    declared = targetVariables(project, target);
  } catch {
    // an unknown target fails the case itself; its report has nothing secret to hide
  }
  const mask = SecretMask.of(declared, variables);
  return {
    inputs: (given) => mask.json(maskInputs(declared, given)) as Record<string, Json>,
    value: (value) => mask.json(value),
  };
}

export interface EngineTestOptions {
  /** env, pool, signal and timeout of the executions */
  execute: Pick<ExecuteOptions, 'env' | 'pool' | 'signal' | 'timeoutMs'>;
  loggers?: { transaction?: Logger; connector?: Logger; sequence?: Logger };
  schema(target: string): Promise<JSONSchema | null>;
  stubs?: boolean;
}

/** The runner's dependencies over the real engine: one project, its stubs/ folder, its stored schemas. */
export function engineTestDeps(project: Project, options: EngineTestOptions): TestDeps {
  return {
    stubs: options.stubs,
    signal: options.execute.signal,
    schema: options.schema,
    mask: (target, variables) => caseMask(project, target, variables),
    async execute(target, variables, { stubs }): Promise<Outcome> {
      const common: ExecuteOptions = { ...options.execute, ...(stubs ? { stubs: fileStubs(project.dir) } : {}) };
      const started = performance.now();
      try {
        // secret values stay out of test files: `${env:NAME}` is read from the environment and the project's .env
        variables = resolveEnv(variables, options.execute.env, `test of ${target}`);
        if (isTransaction(project, target)) {
          const result = await executeTransaction(project, target, variables, { ...common, logger: options.loggers?.transaction, connectorLogger: options.loggers?.connector });
          return { ok: true, data: result.data, status: result.meta.status, ms: performance.now() - started };
        }
        const result = await executeSequence(project, target, variables, { ...common, logger: options.loggers?.sequence });
        return { ok: true, data: result.output as Json, status: 200, ms: performance.now() - started };
      } catch (e) {
        const error = toTrellisError(e, target);
        return { ok: false, ms: performance.now() - started, error: { code: error.code, message: error.message, ...(error.path ? { path: error.path } : {}) } };
      }
    },
  };
}
