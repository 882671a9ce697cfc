import type { Json, Project, Sequence } from '../../model/index.js';
import type { RunIO } from '../../steps/io.js';
import type { RunStep } from '../../steps/step-kind.js';
import { TrellisError, toTrellisError } from '../errors.js';
import { DEFAULT_DEADLINE_MS, type ExecuteOptions } from '../execute-transaction.js';
import { silentLogger } from '../logger.js';
import { loadQuickJS } from '../sandbox/quickjs.js';
import { DEFAULT_SCRIPT_LIMITS, type ScriptLimits } from '../sandbox/sandbox.js';
import { SecretMask, withSecrets } from '../mask.js';
import { newRunId } from '../trace.js';
import { coerceVariables } from '../variables.js';
import { checkSequence } from './check.js';
import type { DebugController } from '../debug/controller.js';
import { compileSequence, type CompiledSequence } from './compile.js';
import { callMeta, Ctx } from './context.js';
import { sequenceError } from './errors.js';
import { RunState, type Budget, type RecordedCall } from './run-state.js';
import { runSteps } from './runner.js';

export const DEFAULT_MAX_STEPS = 10_000_000;
export const MAX_CALL_DEPTH = 32;

export interface SequenceOptions extends ExecuteOptions {
  /** steps an execution may run, called sequences included (a runaway loop guard); default 10,000,000 */
  maxSteps?: number;
  /** the session data sources read with `from: session` (session steps change it in place) */
  session?: Record<string, Json>;
  /** request, response draft, caller, files folder and clock of this execution (src/steps/io.ts) */
  io?: RunIO;
  /** per-evaluation JavaScript limits; default 1000 ms and 32 MB (a sequence's `limits` overrides them) */
  scriptLimits?: Partial<ScriptLimits>;
  /**
   * Called once when an execution whose steps started running ends, successfully or not, before the
   * returned promise settles: what the steps left (the studio's source-picker samples, "Update schema").
   * Not called when the sequence cannot start (unknown, invalid, variables that do not coerce). Costs
   * nothing when absent: the calls are only recorded for it.
   */
  onFinish?: (snapshot: SequenceSnapshot) => void;
  /** a debugger (src/engine/debug): the execution pauses where it says; the studio's runs and the runtime never attach one */
  debug?: DebugController;
}

/** What an execution left: SequenceOptions.onFinish. */
export interface SequenceSnapshot {
  /** the sequence's variables as the steps left them (Set Variable included) */
  variables: Record<string, Json>;
  /** by step id: the last output of each step of the sequence that produced one */
  outputs: Record<string, Json>;
  /** by step id: the meta of the last call of each Call Transaction step (status, statusText, headers, ms, …), as `<step>.meta` reads it */
  metas: Record<string, Json>;
  /** the last call of each Call Transaction step, the sequences it called included, in the order of those calls */
  calls: RecordedCall[];
  /** steps run, called sequences included */
  steps: number;
  /** by step id: the last value a loop (or catch) exposed to its children, e.g. an iterate's last {item, index, count} */
  passes?: Record<string, Json>;
}

export interface SequenceResult {
  output: Json;
  ms: number;
  /** steps run, called sequences included */
  steps: number;
}

/** Per-sequence script limits, written in the sequence file as `limits: { scriptTimeoutMs, scriptMemoryMb }`. */
function scriptLimits(sequence: Sequence, options: SequenceOptions): ScriptLimits {
  const own = (sequence as { limits?: { scriptTimeoutMs?: number; scriptMemoryMb?: number } }).limits;
  if (own === undefined && options.scriptLimits === undefined) return DEFAULT_SCRIPT_LIMITS;
  return {
    timeoutMs: own?.scriptTimeoutMs ?? options.scriptLimits?.timeoutMs ?? DEFAULT_SCRIPT_LIMITS.timeoutMs,
    memoryBytes: own?.scriptMemoryMb !== undefined ? own.scriptMemoryMb * 1048576 : (options.scriptLimits?.memoryBytes ?? DEFAULT_SCRIPT_LIMITS.memoryBytes),
  };
}

// name → place in the sequences list; a hit is checked (same name at that place) before it is used
const places = new WeakMap<readonly Sequence[], Map<string, number>>();

export function findSequence(project: Project, name: string): Sequence {
  const list = project.sequences;
  let byName = places.get(list);
  const at = byName?.get(name);
  if (at !== undefined && list[at]?.name === name) return list[at];
  const sequence = list.find((s) => s.name === name);
  if (sequence) {
    if (!byName) places.set(list, (byName = new Map()));
    if (byName.size >= 4096) byName.clear();
    byName.set(name, list.indexOf(sequence));
  }
  if (!sequence) {
    const names = project.sequences.map((s) => s.name);
    throw new TrellisError('NOT_FOUND', `project ${project.name} has no sequence "${name}"${names.length ? ` (sequences: ${names.join(', ')})` : ''}`);
  }
  return sequence;
}

// The static check runs once per (sequence object, project object): executions of an unchanged sequence skip it.
const checked = new WeakMap<Sequence, { project: Project; compiled: CompiledSequence }>();

/** Compiles and checks a sequence; refuses one with problems, listing every broken step path. */
export function prepareSequence(project: Project, sequence: Sequence): CompiledSequence {
  const hit = checked.get(sequence);
  if (hit && hit.project === project) return hit.compiled;
  const problems = checkSequence(project, sequence);
  if (problems.length) {
    const list = problems.map((p) => `${p.stepPath || '(sequence)'}: ${p.message}`);
    throw sequenceError('INVALID_SEQUENCE', `sequence ${sequence.name} cannot run: ${list.join('; ')}`, { path: `sequences/${sequence.name}`, details: problems });
  }
  const compiled = compileSequence(sequence);
  checked.set(sequence, { project, compiled });
  return compiled;
}

/** prepareSequence, or under a debugger its debug compile (checked the same way). */
function prepareFor(project: Project, sequence: Sequence, debug: boolean): CompiledSequence {
  const compiled = prepareSequence(project, sequence);
  return debug ? compileSequence(sequence, true) : compiled;
}

/**
 * Executes a sequence: checks it, coerces its variables, runs its steps with the deadline and
 * cancellation of `options`, emits start/end/error trace events per step (step = its id path; '' for the
 * whole sequence) and resolves to its output.
 */
export async function executeSequence(project: Project, name: string, given: Record<string, unknown>, options: SequenceOptions): Promise<SequenceResult> {
  const started = performance.now();
  const runId = options.runId ?? newRunId();
  let emit = options.onTrace;
  emit?.({ run: runId, step: '', phase: 'start', ms: 0 });
  let state: RunState | undefined;
  try {
    const sequence = findSequence(project, name);
    // secret variables: logs, traces and errors of this run show *** (the start event above carries no value)
    options = withSecrets(sequence.variables, given, options);
    emit = options.onTrace;
    const compiled = prepareFor(project, sequence, options.debug !== undefined);
    const variables = coerceVariables(sequence.variables, given, `sequence ${name}`) as Record<string, Json>;
    if (compiled.usesScript) await loadQuickJS();
    const timeoutMs = options.timeoutMs ?? DEFAULT_DEADLINE_MS;
    const budget: Budget = { steps: 0, max: options.maxSteps ?? DEFAULT_MAX_STEPS, deadline: started + timeoutMs, timeoutMs };
    state = new RunState({
      project,
      compiled,
      options,
      runId,
      logger: options.logger ?? silentLogger,
      budget,
      variables,
      session: options.session,
      scriptLimits: scriptLimits(sequence, options),
      tracePrefix: '',
      depth: 0,
      callSequence: callNested,
      calls: options.onFinish ? new Map<string, RecordedCall>() : undefined,
      debug: options.debug?.frame(name),
    });
    await runSteps(compiled.root, new Ctx(state));
    const output = state.result();
    const ms = performance.now() - started;
    emit?.({ run: runId, step: '', phase: 'end', ms, output });
    return { output, ms, steps: budget.steps };
  } catch (e) {
    const error = (options.mask ?? SecretMask.none).error(toTrellisError(e, `sequences/${name}`));
    emit?.({ run: runId, step: '', phase: 'error', ms: performance.now() - started, error: { code: error.code, message: error.message, path: error.path } });
    throw error;
  } finally {
    if (state && options.onFinish) finish(state, options.onFinish);
    state?.dispose();
  }
}

function finish(state: RunState, onFinish: (snapshot: SequenceSnapshot) => void): void {
  const outputs: Record<string, Json> = {};
  const metas: Record<string, Json> = {};
  const passes: Record<string, Json> = {};
  for (const [id, slot] of state.compiled.slotById) {
    const output = state.outputs[slot];
    if (output !== undefined) outputs[id] = output;
    const pass = state.passes[slot];
    if (pass !== undefined) passes[id] = pass;
    const result = state.results[slot];
    if (result !== undefined) metas[id] = callMeta(result);
  }
  const snapshot: SequenceSnapshot = { variables: { ...state.variables }, outputs, metas, calls: [...state.calls!.values()], steps: state.budget.steps, passes };
  try {
    onFinish(snapshot);
  } catch (e) {
    // a listener's bug does not change the execution's outcome
    state.logger.error({ sequence: state.sequence.name, err: e }, 'the onFinish listener of the execution failed');
  }
}

/** Call Sequence: a fresh run state (own outputs, variables and sandbox) sharing the caller's budget and deadline. */
async function callNested(parent: RunState, step: RunStep, name: string, given: Record<string, unknown>): Promise<Json> {
  if (parent.depth + 1 >= MAX_CALL_DEPTH)
    throw sequenceError('RECURSION_LIMIT', `sequence calls are nested more than ${MAX_CALL_DEPTH} deep: is ${name} calling itself without end?`);
  const sequence = findSequence(parent.project, name);
  const compiled = prepareFor(parent.project, sequence, parent.debug !== undefined);
  const variables = coerceVariables(sequence.variables, given, `sequence ${name}`) as Record<string, Json>;
  if (compiled.usesScript) await loadQuickJS();
  const state = new RunState({
    project: parent.project,
    compiled,
    options: parent.options,
    runId: parent.id,
    logger: parent.logger,
    budget: parent.budget,
    variables,
    session: parent.session,
    scriptLimits: scriptLimits(sequence, parent.options as SequenceOptions),
    tracePrefix: `${parent.tracePrefix}${step.path}/`,
    depth: parent.depth + 1,
    callSequence: callNested,
    calls: parent.calls,
    debug: parent.debug?.enter(name, step),
  });
  try {
    await runSteps(compiled.root, new Ctx(state));
    return state.result();
  } finally {
    state.dispose();
  }
}
