import type { EventPayload, ExecutionResult, ParsedParams } from '../contract/index.js';
import type { SourceNodeDto } from '../contract/index.js';
import type { Logger } from '../engine/logger.js';
import type { ConnectionPool } from '../engine/pool.js';
import { checkSequence, executeSequence, findSequence, type SequenceSnapshot } from '../engine/sequence/index.js';
import type { Json, Project } from '../model/index.js';
import { deriveStepSchemas, sourceTree, type JSONSchema } from '../schema/index.js';
import type { DebugController } from '../engine/debug/index.js';
import { bodyView, isSuccess, jsonViews, projectEnv, type Executions, type RunHandle } from './execution.js';
import type { RunMemory } from './run-memory.js';
import { fileStubs } from '../project/stubs.js';
import type { SchemaStore } from './schemas.js';
import { studioSession } from './studio-session.js';

export interface SequenceDeps {
  executions: Executions;
  pool: ConnectionPool;
  logger: Logger;
  memory: RunMemory;
  schemas: SchemaStore;
  onTrace(event: EventPayload<'run.event'>): void;
}

/**
 * F5 on a sequence: the run bookkeeping of transaction.execute (runId, run.cancel, paged bodies), traces
 * as run.event (step = id path, '' for the sequence), and what the source picker and "Update schema" need
 * from the run kept in memory.
 */
export async function runSequence(
  deps: SequenceDeps,
  project: Project,
  params: ParsedParams<'sequence.execute'>,
  /** sequence.debug: the debugger of this run (debug.ts) */
  attachDebugger?: (run: RunHandle) => DebugController,
): Promise<ExecutionResult> {
  return deps.executions.track(params.runId, async (run) => {
    let last: SequenceSnapshot | undefined;
    // What the run left, for the source picker (outputs by step id, '<id>.meta', 'variables') and "Update
    // schema" (the data of each transaction called, the sequences called included). A run that produced
    // nothing (it failed at once) leaves the previous run's samples in place.
    const remember = () => {
      if (!last) return;
      const { outputs, metas, variables, calls } = last;
      if (!calls.length && !Object.keys(outputs).length) return;
      const samples: Record<string, Json> = { ...outputs };
      for (const [id, meta] of Object.entries(metas)) samples[`${id}.meta`] = meta;
      for (const [id, pass] of Object.entries(last.passes ?? {})) samples[`${id}.pass`] = pass;
      samples.variables = variables;
      deps.memory.setSamples(project.dir, params.sequence, samples);
      for (const call of calls) if (isSuccess(call.result)) deps.memory.setData(project.dir, call.target, call.result.data);
    };
    try {
      const result = await executeSequence(project, params.sequence, params.variables, {
        env: await projectEnv(project),
        pool: deps.pool,
        logger: deps.logger,
        signal: run.signal,
        timeoutMs: params.timeoutMs,
        runId: run.runId,
        onTrace: (e) => deps.onTrace(e),
        session: studioSession(project.dir),
        ...(params.stubs ? { stubs: fileStubs(project.dir) } : {}),
        onFinish: (snapshot) => {
          last = snapshot;
        },
        debug: attachDebugger?.(run),
      });
      remember();
      deps.memory.setData(project.dir, params.sequence, result.output);
      const v = jsonViews(result.output);
      deps.executions.keep(run.runId, v);
      return { ok: true, runId: run.runId, headers: {}, ms: result.ms, contentType: 'application/json', body: bodyView(v.body), raw: bodyView(v.raw) };
    } catch (e) {
      remember();
      return deps.executions.failure(run, e, `sequences/${params.sequence}`, deps.logger);
    }
  });
}

export interface SequenceProblem {
  stepPath: string;
  message: string;
  property?: string;
}

/**
 * `props.variables.id.source: ...` → the property the problem is about, relative to the step, as the
 * property form addresses it: 'props.variables.id' (a source or expression is the value of that property).
 */
function propertyOf(message: string): string | undefined {
  const path = /^(props(?:\.[^\s:]+)?):\s/.exec(message)?.[1];
  return path?.replace(/^(props\.[^.]+(?:\.[^.]+)*?)\.(?:source|js)(?:\..*)?$/, '$1');
}

export function sequenceProblems(project: Project, name: string): SequenceProblem[] {
  const sequence = findSequence(project, name);
  return checkSequence(project, sequence).map((p) => {
    const property = propertyOf(p.message);
    return property ? { stepPath: p.stepPath, message: p.message, property } : { stepPath: p.stepPath, message: p.message };
  });
}

/**
 * The source picker's tree for a step: schemas derived from the stored schemas of the transactions the
 * sequence (and the sequences it calls) reach, with the last run's values as samples.
 */
export async function sequenceSources(deps: Pick<SequenceDeps, 'memory' | 'schemas'>, project: Project, name: string, stepId: string): Promise<SourceNodeDto[]> {
  const sequence = findSequence(project, name);
  // First pass: which transaction schemas does the derivation ask for? Only those files are read.
  const wanted = new Set<string>();
  const recorder = new Proxy<Record<string, JSONSchema>>(
    {},
    {
      get: (_target, key) => {
        if (typeof key === 'string') wanted.add(key);
        return undefined;
      },
    },
  );
  deriveStepSchemas(project, sequence, recorder);
  const txSchemas: Record<string, JSONSchema> = {};
  const known = (target: string) => project.connectors.some((c) => target.startsWith(`${c.name}.`) && c.transactions.some((t) => `${c.name}.${t.name}` === target));
  await Promise.all(
    [...wanted].filter(known).map(async (target) => {
      const schema = await deps.schemas.read(project, target).catch(() => null);
      if (schema) txSchemas[target] = schema;
    }),
  );
  const schemas = deriveStepSchemas(project, sequence, txSchemas);
  const samples = deps.memory.samples(project.dir, name) ?? {};
  return sourceTree(project, sequence, stepId, schemas, samples) as SourceNodeDto[];
}
