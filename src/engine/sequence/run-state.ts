import type { Json, Project, Sequence } from '../../model/index.js';
import type { TxResult } from '../../connectors/connector-kind.js';
import type { RunStep } from '../../steps/step-kind.js';
import { TrellisError, toTrellisError } from '../errors.js';
import type { ExecuteOptions } from '../execute-transaction.js';
import type { Logger } from '../logger.js';
import { quickJSIfLoaded } from '../sandbox/quickjs.js';
import { DEFAULT_SCRIPT_LIMITS, Sandbox, type ScriptLimits } from '../sandbox/sandbox.js';
import type { TraceEvent, TraceListener } from '../trace.js';
import type { DebugFrame } from '../debug/frame.js';
import type { CompiledSequence } from './compile.js';
import { sequenceError } from './errors.js';

/** Shared by an execution and the sequences it calls: one step budget, one deadline. */
export interface Budget {
  steps: number;
  readonly max: number;
  /** performance.now() after which the execution is late; a debugger moves it forward by the time paused */
  deadline: number;
  readonly timeoutMs: number;
}

export interface RunSettings {
  project: Project;
  compiled: CompiledSequence;
  options: ExecuteOptions;
  runId: string;
  logger: Logger;
  budget: Budget;
  variables: Record<string, Json>;
  session: Json | undefined;
  scriptLimits: ScriptLimits;
  /** '' at the top; 'callStep/' for the steps of a called sequence, so traces stay addressable */
  tracePrefix: string;
  depth: number;
  callSequence: (run: RunState, step: RunStep, name: string, variables: Record<string, unknown>) => Promise<Json>;
  /** only when the caller wants a snapshot (SequenceOptions.onFinish): the calls of the run, shared with called sequences */
  calls: Map<string, RecordedCall> | undefined;
  /** only under a debugger (SequenceOptions.debug): this sequence's debug frame */
  debug?: DebugFrame;
}

/** The last call of a Call Transaction step, for the end-of-run snapshot. */
export interface RecordedCall {
  /** the step's trace path: 'product', or 'callStep/product' inside a called sequence */
  step: string;
  /** `<connector>.<transaction>` */
  target: string;
  result: TxResult;
}

// Errors already given a step path: containers rethrow them as they are.
const attributed = new WeakSet<object>();

/** The state of one sequence execution: outputs by slot, variables, the result, the sandbox. */
export class RunState {
  readonly project: Project;
  readonly sequence: Sequence;
  readonly compiled: CompiledSequence;
  readonly options: ExecuteOptions;
  readonly id: string;
  readonly logger: Logger;
  readonly budget: Budget;
  readonly signal: AbortSignal | undefined;
  readonly emit: TraceListener | undefined;
  readonly tracePrefix: string;
  readonly depth: number;
  readonly session: Json | undefined;
  readonly scriptLimits: ScriptLimits;
  readonly callSequence: RunSettings['callSequence'];
  /** outputs[slot]: each step's last output */
  readonly outputs: Array<Json | undefined>;
  /** passes[slot]: what a loop or catch last exposed to its children (the source picker's sample of `item`) */
  readonly passes: Array<Json | undefined>;
  /** results[slot]: the call result behind a Call Transaction output (meta, xml) */
  readonly results: Array<TxResult | undefined> = [];
  /** the last call of each step by trace path, in the order of the calls; undefined unless a snapshot was asked for */
  readonly calls: Map<string, RecordedCall> | undefined;
  /** undefined unless a debugger is attached: the step loop then pauses where it says */
  readonly debug: DebugFrame | undefined;
  variables: Record<string, Json>;
  variablesVersion = 0;
  /** the step running now, for script logs */
  current: RunStep | undefined;
  lastBreath = performance.now();
  private output: Json | undefined;
  private hasOutput = false;
  private built: Json | undefined;
  private hasBuilt = false;
  private sandbox: Sandbox | undefined;

  constructor(s: RunSettings) {
    this.project = s.project;
    this.compiled = s.compiled;
    this.sequence = s.compiled.sequence;
    this.options = s.options;
    this.id = s.runId;
    this.logger = s.logger;
    this.budget = s.budget;
    this.signal = s.options.signal;
    this.emit = s.options.onTrace;
    this.tracePrefix = s.tracePrefix;
    this.depth = s.depth;
    this.session = s.session;
    this.scriptLimits = s.scriptLimits ?? DEFAULT_SCRIPT_LIMITS;
    this.callSequence = s.callSequence;
    this.calls = s.calls;
    this.debug = s.debug;
    this.variables = s.variables;
    this.outputs = new Array<Json | undefined>(s.compiled.all.length);
    this.passes = new Array<Json | undefined>(s.compiled.all.length);
  }

  setOutput(value: Json): void {
    this.output = value;
    this.hasOutput = true;
  }

  setBuilt(value: Json): void {
    this.built = value;
    this.hasBuilt = true;
  }

  /** The sequence's output: the last Output (or Return value), else the last top-level builder's value, else null. */
  result(): Json {
    if (this.hasOutput) return this.output ?? null;
    if (this.hasBuilt) return this.built ?? null;
    return null;
  }

  /** Between steps: the step budget, cancellation and (every 64 steps, it costs a clock read) the deadline. */
  tick(): void {
    const b = this.budget;
    if (++b.steps > b.max) throw sequenceError('STEP_LIMIT', `more than ${b.max} steps ran (maxSteps): is a loop running away?`);
    if (this.signal?.aborted) throw this.cancelled();
    if ((b.steps & 63) === 0 && performance.now() > b.deadline) throw this.late();
  }

  /** A full check, before anything that waits. */
  checkpoint(): void {
    if (this.signal?.aborted) throw this.cancelled();
    if (performance.now() > this.budget.deadline) throw this.late();
  }

  remainingMs(): number {
    return Math.max(0, this.budget.deadline - performance.now());
  }

  cancelled(): TrellisError {
    return new TrellisError('CANCELLED', 'the execution was cancelled');
  }

  late(): TrellisError {
    return new TrellisError('TIMEOUT', `the execution did not finish within its ${this.budget.timeoutMs} ms deadline`);
  }

  /** True when the execution as a whole must stop: a try does not swallow that. */
  stopping(): boolean {
    return this.signal?.aborted === true || performance.now() > this.budget.deadline || this.budget.steps > this.budget.max;
  }

  sandboxFor(): Sandbox {
    if (!this.sandbox) {
      const module = quickJSIfLoaded();
      if (!module) throw new TrellisError('INTERNAL', 'the JavaScript sandbox was not loaded before the execution');
      this.sandbox = new Sandbox(module, this.scriptLimits);
    }
    return this.sandbox;
  }

  /** Gives an error the path of the step it came from (once: outer containers keep the innermost path). */
  fail(e: unknown, step: RunStep): TrellisError {
    if (typeof e === 'object' && e !== null && attributed.has(e)) return e as TrellisError;
    const t = toTrellisError(e);
    const error = new TrellisError(t.code, `sequence ${this.sequence.name}, step ${step.path}: ${t.message}`, {
      path: `sequences/${this.sequence.name}/${step.path}`,
      details: t.details,
      cause: e,
    });
    attributed.add(error);
    return error;
  }

  recordCall(step: RunStep, target: string, result: TxResult): void {
    const path = this.tracePrefix + step.path;
    // re-inserted: the map's order is that of each step's last call
    this.calls!.delete(path);
    this.calls!.set(path, { step: path, target, result });
  }

  trace(event: Omit<TraceEvent, 'run'>): void {
    this.emit?.({ run: this.id, ...event });
  }

  dispose(): void {
    this.sandbox?.dispose();
    this.sandbox = undefined;
  }
}
